"""A model of how each Falco generation reads values out of a condition (falco-facts.md 5).

Used by the tests to read back what the renderer wrote and compare it with the entry.
"""

from __future__ import annotations

import re

_CPP_UNESCAPE = {
    "\\": "\\",
    '"': '"',
    "'": "'",
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "b": "\b",
    "f": "\f",
    "/": "/",
}
_BARE_STOP = set("()\"'=,") | {" ", "\t", "\n"}


def read_values(condition: str, lua: bool) -> list[str]:
    """Every literal after `=` or inside `in (...)`, as the engine's parser reads it."""
    values: list[str] = []
    i, n = 0, len(condition)
    expect_value = in_list = False
    while i < n:
        ch = condition[i]
        if ch.isspace() or ch == ",":
            i += 1
            continue
        if ch == "(":
            in_list = expect_value
            expect_value = False
            i += 1
            continue
        if ch == ")":
            in_list = False
            i += 1
            continue
        if ch == "=":
            expect_value = True
            i += 1
            continue
        if ch in "\"'":
            text, i = (read_lua_string if lua else read_cpp_string)(condition, i)
        else:
            j = i
            while j < n and condition[j] not in _BARE_STOP:
                j += 1
            text, i = condition[i:j], j
            if text == "in":
                expect_value = True
                continue
        if expect_value or in_list:
            values.append(text)
            expect_value = False
    return values


def read_lua_string(text: str, start: int) -> tuple[str, int]:
    """Lua era: the raw text up to the matching quote; a backslash lets the next char through."""
    quote, i = text[start], start + 1
    out = []
    while text[i] != quote:
        if text[i] == "\\":
            out.append(text[i])
            i += 1
        out.append(text[i])
        i += 1
    return "".join(out), i + 1


def read_cpp_string(text: str, start: int) -> tuple[str, int]:
    quote, i = text[start], start + 1
    out = []
    while text[i] != quote:
        if text[i] == "\\":
            esc = text[i + 1]
            if esc not in _CPP_UNESCAPE or (esc in "\"'" and esc != quote):
                raise ValueError(f"unsupported string escape sequence \\{esc}")
            out.append(_CPP_UNESCAPE[esc])
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out), i + 1


def quote_item(value: str) -> str:
    """What Falco's loader does to an exception value before it joins the condition."""
    if " " in value and not value.startswith(("'", '"')):
        return f'"{value}"'
    return value


def is_bare_list_name(value: str, lists: set[str]) -> bool:
    return value in lists and re.fullmatch(r"[A-Za-z0-9_]+", value) is not None
