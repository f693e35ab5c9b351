"""A model of how each Falco generation reads values out of a condition (falco-facts.md 5).

String reading per parser and the loader's quote_item; condition_model.py parses whole
tuple tests with them.
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
