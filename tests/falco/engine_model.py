"""A model of how each Falco generation turns a rendered rules item into the condition it
evaluates, written from falco-facts.md (sections 2, 4 and 5) and Falco's own grammars,
independently of falco_exceptions (it imports nothing from it: see test_models.py).

- The loader: a rule exception's rows become `((f1 c1 q(v1) and f2 c2 q(v2)) or (...))`
  (a list value as `(q(a), q(b))`), where q is Falco's `quote_item` (wrap in double
  quotes when the value holds a space and does not already start with a quote; escape
  nothing), and the rule's condition becomes
  `(<condition>) and not <that>`. A macro or rule `append: true` joins the texts with one
  space.
- Falco <= 0.31 (Lua): before parsing, every list name that stands between delimiters
  (start, end, white space, `(`, `)`, `,`, `=`) is replaced by the list's items, even
  inside quotes. The lpeg grammar then reads a value as a number if it starts like one,
  else a quoted string (raw text to the matching quote; a backslash lets the next
  character through and stays), else a bare string up to a space, `(`, `)`, `,` or `=`;
  each value is trimmed of white space.
- Falco >= 0.32 (C++): quoted strings with the escapes \\b \\f \\n \\r \\t \\\\ \\/ and the
  quote's own; any other escape is an error, and so is a quoted value that ends in a
  backslash (verified on 0.35.1 and 0.44.1). A bare value stops at white space, `(`, `)`,
  `"`, `'`, `=` or `,`; a bare value that names a list is that list's items.

`parse` returns the tree; LoadError is what Falco would refuse.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

SPACE = " \t\n\v\f\r"  # C isspace, which Lua's lpeg.space and libs both use
LUA_BARE_STOP = set(" (),=")
CPP_BARE_STOP = set(SPACE) | set("()\"'=,")
CPP_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "\\": "\\", "/": "/"}
LUA_NUMBER = re.compile(
    r"0[xX][0-9a-fA-F]+|(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+|[0-9]+"
)
RELATIONS = ("==", "!=", "<=", ">=", "=", "<", ">")
WORD_RELATIONS = ("contains", "icontains", "startswith")


class LoadError(Exception):
    """Falco would not load this condition."""


@dataclass(frozen=True)
class Text:
    value: str


@dataclass(frozen=True)
class Number:
    text: str


@dataclass(frozen=True)
class ListItems:
    name: str


Operand = Text | Number | ListItems


@dataclass(frozen=True)
class Compare:
    field: str
    op: str
    operands: tuple[Operand, ...]


@dataclass(frozen=True)
class Macro:
    name: str


@dataclass(frozen=True)
class Not:
    arg: Node


@dataclass(frozen=True)
class Bool:
    op: str  # and | or
    left: Node
    right: Node


Node = Compare | Macro | Not | Bool


def quote_item(value: str) -> str:
    """Falco's loader, on each exception value before it joins the condition."""
    if " " in value and not value.startswith(("'", '"')):
        return f'"{value}"'
    return value


def exception_condition(fields: list[str], comps: list[str], rows: list[list[Any]]) -> str:
    """A list value is written `(a, b)` (each through quote_item), a single value under a
    list operator in parentheses."""
    rendered = []
    for row in rows:
        parts = []
        for name, comp, value in zip(fields, comps, row, strict=True):
            if isinstance(value, list):
                text = "(" + ", ".join(quote_item(v) for v in value) + ")"
            elif comp in ("in", "intersects", "pmatch"):
                text = value if value.startswith("(") else f"({value})"
            else:
                text = quote_item(value)
            parts.append(f"{name} {comp} {text}")
        rendered.append("(" + " and ".join(parts) + ")")
    return "(" + " or ".join(rendered) + ")"


def with_exception(condition: str, exception: str) -> str:
    return f"({condition}) and not {exception}"


def appended(base: str, text: str) -> str:
    return f"{base} {text}"


def expand_lists_lua(condition: str, lists: dict[str, list[str]]) -> str:
    """The Lua era's text substitution of list names (before parsing)."""
    for name in sorted(lists):
        items = ", ".join(lists[name])
        start = 0
        while (at := condition.find(name, start)) >= 0:
            end = at + len(name)
            before_ok = at == 0 or condition[at - 1] in SPACE + "(),="
            after_ok = end == len(condition) or condition[end] in SPACE + "(),="
            if before_ok and after_ok:
                condition = condition[:at] + items + condition[end:]
                start = at + len(items)
            else:
                start = at + 1
    return condition


def parse(condition: str, lua: bool, lists: Collection[str] = ()) -> Node:
    parser = _Parser(condition, lua, set(lists))
    node = parser.expression()
    parser.skip()
    if parser.i != len(condition):
        raise LoadError(f"unexpected text at {parser.i}: {condition[parser.i : parser.i + 20]!r}")
    return node


class _Parser:
    def __init__(self, text: str, lua: bool, lists: set[str]) -> None:
        self.text, self.lua, self.lists, self.i = text, lua, lists, 0

    def skip(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in SPACE:
            self.i += 1

    def keyword(self, word: str) -> bool:
        self.skip()
        end = self.i + len(word)
        if self.text.startswith(word, self.i) and not _ident_char(self.text[end : end + 1]):
            self.i = end
            return True
        return False

    def symbol(self, sym: str) -> bool:
        self.skip()
        if self.text.startswith(sym, self.i):
            self.i += len(sym)
            return True
        return False

    def expression(self) -> Node:
        node = self.conjunction()
        while self.keyword("or"):
            node = Bool("or", node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while self.keyword("and"):
            node = Bool("and", node, self.negation())
        return node

    def negation(self) -> Node:
        if self.keyword("not"):
            return Not(self.negation())
        return self.primary()

    def primary(self) -> Node:
        if self.symbol("("):
            node = self.expression()
            if not self.symbol(")"):
                raise LoadError(f"expected ')' at {self.i}")
            return node
        self.skip()
        match = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*(\[[^\]]*\])?").match(self.text, self.i)
        if match is None:
            raise LoadError(f"expected a field or macro at {self.i}")
        name = match.group()
        self.i = match.end()
        if "." not in name:
            return Macro(name)
        if self.keyword("in"):
            return Compare(name, "in", self.value_list())
        for op in (*RELATIONS, *WORD_RELATIONS):
            if (self.keyword if op.isalpha() else self.symbol)(op):
                return Compare(name, op, self.value())
        raise LoadError(f"expected an operator after {name} at {self.i}")

    def value_list(self) -> tuple[Operand, ...]:
        if not self.symbol("("):
            raise LoadError(f"expected '(' at {self.i}")
        items: list[Operand] = []
        while True:
            items.extend(self.value())
            if self.symbol(")"):
                return tuple(items)
            if not self.symbol(","):
                raise LoadError(f"expected ',' or ')' at {self.i}")

    def value(self) -> tuple[Operand, ...]:
        self.skip()
        return (self.lua_value(),) if self.lua else self.cpp_value()

    def lua_value(self) -> Operand:
        text, i = self.text, self.i
        number = LUA_NUMBER.match(text, i)
        if number:
            self.i = number.end()
            return Number(number.group())
        if i < len(text) and text[i] in "\"'":
            quote, j = text[i], i + 1
            while j < len(text) and text[j] != quote:
                j += 2 if text[j] == "\\" else 1
            if j >= len(text):
                raise LoadError("unterminated string")
            self.i = j + 1
            return Text(text[i + 1 : j].strip(SPACE))
        j = i
        while j < len(text) and text[j] not in LUA_BARE_STOP:
            j += 1
        if j == i:
            raise LoadError(f"expected a value at {i}")
        self.i = j
        return Text(text[i:j].strip(SPACE))

    def cpp_value(self) -> tuple[Operand, ...]:
        text, i = self.text, self.i
        if i < len(text) and text[i] in "\"'":
            quote, j, out = text[i], i + 1, []
            while True:
                if j >= len(text):
                    raise LoadError("unterminated string")
                ch = text[j]
                if ch == quote:
                    break
                if ch == "\\":
                    esc = text[j + 1 : j + 2]
                    if esc == quote:
                        out.append(quote)
                    elif esc in CPP_ESCAPES:
                        out.append(CPP_ESCAPES[esc])
                    else:
                        raise LoadError(f"unsupported string escape sequence \\{esc}")
                    j += 2
                    continue
                out.append(ch)
                j += 1
            self.i = j + 1
            value = "".join(out)
            if value.endswith("\\"):
                raise LoadError("a quoted value that ends in a backslash does not load")
            return (Text(value),)
        j = i
        while j < len(text) and text[j] not in CPP_BARE_STOP:
            j += 1
        if j == i:
            raise LoadError(f"expected a value at {i}")
        self.i = j
        bare = text[i:j]
        return (ListItems(bare),) if bare in self.lists else (Text(bare),)


def _ident_char(ch: str) -> bool:
    return bool(ch) and (ch.isascii() and (ch.isalnum() or ch == "_"))


def rows_of(node: Node) -> set[frozenset[tuple[str, str]]]:
    """What an exception's tree excepts, as a set of rows {(field, value), ...}: an `or`
    of `and`s of `field = "value"` or `field in ("v1", "v2")`. Anything else (a number, a
    list's items, another operator, a macro) raises ValueError: not the declared values."""
    if isinstance(node, Bool) and node.op == "or":
        return rows_of(node.left) | rows_of(node.right)
    rows: set[frozenset[tuple[str, str]]] = {frozenset()}
    for compare in _conjuncts(node):
        if compare.op not in ("=", "in") or (compare.op == "=") != (len(compare.operands) == 1):
            raise ValueError(f"not a plain comparison: {compare}")
        values = []
        for operand in compare.operands:
            if not isinstance(operand, Text):
                raise ValueError(f"not a string operand: {operand}")
            values.append(operand.value)
        rows = {row | {(compare.field, v)} for row in rows for v in values}
    return rows


def _conjuncts(node: Node) -> list[Compare]:
    if isinstance(node, Bool) and node.op == "and":
        return _conjuncts(node.left) + _conjuncts(node.right)
    if isinstance(node, Compare):
        return [node]
    raise ValueError(f"not a comparison: {node}")
