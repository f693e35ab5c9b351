"""A tolerant tokenizer for Falco condition strings (Lua and C++ eras alike).

It is not a parser: it only tells words, strings, operators and parentheses apart so
callers can ask structural questions (is there an `or` outside every parenthesis? which
names are negated?). Unbalanced or otherwise broken input never raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["lparen", "rparen", "comma", "op", "keyword", "string", "word"]

KEYWORDS = frozenset({"and", "or", "not"})
WORD_OPERATORS = frozenset(
    {
        "in",
        "intersects",
        "pmatch",
        "contains",
        "icontains",
        "bcontains",
        "startswith",
        "bstartswith",
        "endswith",
        "glob",
        "iglob",
        "exists",
        "regex",
    }
)
# `val(proc.name)`, `tolower(fd.name)`: a function call is one operand, not a group.
FUNCTIONS = frozenset({"val", "tolower", "toupper", "b64", "basename", "len"})
SYMBOL_OPERATORS = ("<=", ">=", "!=", "==", "=", "<", ">")
_WORD_STOP = frozenset(" \t\r\n()\",'=<>")


@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str  # as written: strings keep their quotes and escapes
    depth: int  # parentheses open around the token; a paren carries the depth outside it


def tokenize(condition: str) -> list[Token]:
    tokens: list[Token] = []
    depth = 0
    i, n = 0, len(condition)
    while i < n:
        c = condition[i]
        if c.isspace():
            i += 1
        elif c == "(":
            tokens.append(Token("lparen", c, depth))
            depth += 1
            i += 1
        elif c == ")":
            depth = max(depth - 1, 0)
            tokens.append(Token("rparen", c, depth))
            i += 1
        elif c == ",":
            tokens.append(Token("comma", c, depth))
            i += 1
        elif c in "\"'":
            end = _string_end(condition, i)
            tokens.append(Token("string", condition[i:end], depth))
            i = end
        elif (op := _symbol_operator(condition, i)) and not _after_operator(tokens):
            tokens.append(Token("op", op, depth))
            i += len(op)
        else:
            end = _word_end(condition, i)
            text = condition[i:end]
            tokens.append(Token(_word_kind(text), text, depth))
            i = end
    return tokens


def has_top_level_or(condition: str) -> bool:
    return any(t.kind == "keyword" and t.text == "or" and t.depth == 0 for t in tokenize(condition))


def negated_names(condition: str) -> list[tuple[str, int, bool]]:
    """Names directly after `not`, as (name, depth, guards the whole condition).

    A name guards the whole condition when every top-level `or` branch has `not NAME` as
    one of its own top-level conjuncts (at the branch's start or after `and`): then
    `NAME` being true excludes every event the rule matches. Parentheses around the whole
    condition, or around a whole branch, group nothing. A word followed by an operator is
    a field (`not proc.name in (...)`), not a name.
    """
    tokens = _unwrap(tokenize(condition))
    guards = set.intersection(*(_conjunct_negations(_unwrap(b)) for b in _branches(tokens)))
    return [
        (tokens[i + 1].text, tokens[i + 1].depth, tokens[i + 1].text in guards)
        for i in range(len(tokens) - 1)
        if _is_negated_name(tokens, i)
    ]


def _is_negated_name(tokens: list[Token], i: int) -> bool:
    tok, name = tokens[i], tokens[i + 1]
    if not (tok.kind == "keyword" and tok.text == "not" and name.kind == "word"):
        return False
    return not (i + 2 < len(tokens) and tokens[i + 2].kind == "op")


def _branches(tokens: list[Token]) -> list[list[Token]]:
    """`tokens` split at each `or` outside every parenthesis."""
    branches: list[list[Token]] = [[]]
    for tok in tokens:
        if tok.kind == "keyword" and tok.text == "or" and tok.depth == 0:
            branches.append([])
        else:
            branches[-1].append(tok)
    return branches


def _conjunct_negations(tokens: list[Token]) -> set[str]:
    """Names negated as a top-level conjunct of `tokens` (one `or`-free branch)."""
    names = set()
    for i in range(len(tokens) - 1):
        before = tokens[i - 1] if i else None
        first_or_after_and = before is None or (before.kind == "keyword" and before.text == "and")
        if tokens[i].depth == 0 and first_or_after_and and _is_negated_name(tokens, i):
            names.add(tokens[i + 1].text)
    return names


def _unwrap(tokens: list[Token]) -> list[Token]:
    """Drop parentheses that enclose all of `tokens`, as often as they do."""
    while len(tokens) >= 2 and tokens[0].kind == "lparen" and _closing(tokens) == len(tokens) - 1:
        tokens = [Token(t.kind, t.text, t.depth - 1) for t in tokens[1:-1]]
    return tokens


def _closing(tokens: list[Token]) -> int:
    """Index of the parenthesis closing tokens[0], or -1 when it is never closed."""
    return next((i for i, t in enumerate(tokens) if i and t.kind == "rparen" and t.depth == 0), -1)


def _string_end(text: str, start: int) -> int:
    """Index after the closing quote; a backslash always lets the next character through."""
    quote, i = text[start], start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == quote:
            return i + 1
        else:
            i += 1
    return len(text)


def _symbol_operator(text: str, i: int) -> str | None:
    return next((op for op in SYMBOL_OPERATORS if text.startswith(op, i)), None)


def _after_operator(tokens: list[Token]) -> bool:
    # `evt.dir = <` and `evt.dir=>`: a `<` or `>` right after an operator is a value.
    return bool(tokens) and tokens[-1].kind == "op" and tokens[-1].text not in WORD_OPERATORS


def _word_end(text: str, start: int) -> int:
    i, n = start, len(text)
    while i < n:
        c = text[i]
        if c == "[":  # field argument or value like runc:[1:CHILD]: keep it whole
            close = text.find("]", i)
            i = n if close < 0 else close + 1
        elif c == "!" and text.startswith("!=", i):
            break
        elif c in _WORD_STOP:
            if i == start:  # a lone `<`/`>` value after an operator
                i += 1
            break
        else:
            i += 1
    if i < n and text[i] == "(" and text[start:i] in FUNCTIONS:
        i = _group_end(text, i)
    return max(i, start + 1)


def _group_end(text: str, start: int) -> int:
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c in "\"'":
            i = _string_end(text, i)
            continue
        depth += {"(": 1, ")": -1}.get(c, 0)
        i += 1
        if depth == 0:
            return i
    return len(text)


def _word_kind(text: str) -> Kind:
    if text in KEYWORDS:
        return "keyword"
    if text in WORD_OPERATORS:
        return "op"
    return "word"
