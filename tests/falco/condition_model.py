"""A model of how each Falco generation parses the tuple tests this tool writes, written
from falco-facts.md section 5 and independent of the package's own code.

`comparisons` reads a condition made of `field = v`, `field startswith v`,
`field in (v, ...)`, `and`, `or` and parentheses into the ways it can hold: a set of
conjunctions, each the set of (field, operator, value) comparisons that must all hold,
with `in (a, b)` read as `= a` or `= b`. Anything else (a `not`, another operator, a
stray token) raises ParseError, as Falco would refuse to load it.
"""

from __future__ import annotations

import itertools
import re

from tests.falco.parser_model import read_cpp_string, read_lua_string

Comparison = tuple[str, str, str]  # (field, "=" or "startswith", value)
Conjunction = frozenset[Comparison]

_STOP = set("()\"'=,") | {" ", "\t", "\n", "\r"}
_LUA_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")


class ParseError(ValueError):
    pass


def comparisons(condition: str, lua: bool) -> set[Conjunction]:
    tokens = _tokens(condition, lua)
    parser = _Parser(tokens)
    result = parser.disjunction()
    if parser.i != len(tokens):
        raise ParseError(f"unexpected {tokens[parser.i]!r} in {condition!r}")
    return result


def _tokens(text: str, lua: bool) -> list[tuple[str, str]]:
    """(kind, text): punct `( ) , =`, string (its value, unquoted) or word."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "(),=":
            out.append(("punct", ch))
            i += 1
        elif ch in "\"'":
            value, i = (read_lua_string if lua else read_cpp_string)(text, i)
            out.append(("string", value))
        else:
            j = i
            while j < len(text) and text[j] not in _STOP:
                j += 1
            word = text[i:j]
            number = _LUA_NUMBER.match(word) if lua else None
            if number:  # the Lua lexer reads a number first: `11-dhclient` is 11, -dhclient
                j = i + number.end()
                word = text[i:j]
            out.append(("word", word))
            i = j
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ParseError("unexpected end of condition")
        self.i += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token != ("punct", text):
            raise ParseError(f"expected {text!r}, got {token!r}")

    def disjunction(self) -> set[Conjunction]:
        result = self.conjunction()
        while self.peek() == ("word", "or"):
            self.take()
            result = result | self.conjunction()
        return result

    def conjunction(self) -> set[Conjunction]:
        result = self.factor()
        while self.peek() == ("word", "and"):
            self.take()
            right = self.factor()
            result = {a | b for a, b in itertools.product(result, right)}
        return result

    def factor(self) -> set[Conjunction]:
        token = self.take()
        if token == ("punct", "("):
            inner = self.disjunction()
            self.expect(")")
            return inner
        kind, field = token
        if kind != "word" or "." not in field or field in ("and", "or", "not"):
            raise ParseError(f"expected a field, got {token!r}")
        op = self.take()
        if op == ("punct", "="):
            return {frozenset({(field, "=", self.value())})}
        if op == ("word", "startswith"):
            return {frozenset({(field, "startswith", self.value())})}
        if op == ("word", "in"):
            self.expect("(")
            values = [self.value()]
            while self.peek() == ("punct", ","):
                self.take()
                values.append(self.value())
            self.expect(")")
            return {frozenset({(field, "=", v)}) for v in values}
        raise ParseError(f"unsupported operator {op!r} after {field}")

    def value(self) -> str:
        kind, text = self.take()
        if kind == "punct" or (kind == "word" and text in ("and", "or", "not", "in")):
            raise ParseError(f"expected a value, got {text!r}")
        return text
