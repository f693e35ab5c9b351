"""YAML parser errors in words a person acts on: what is wrong, where, and how to fix it.

The C parser (libyaml, through ruamel.yaml.clib) and ruamel's pure-Python parser word the
same mistakes differently ("found character '\\t' that cannot start any token" and "found
character that cannot start any token"; "expected <block end>, but found '?'" and "did not
find expected '-' indicator"), so the common mistakes are recognised by the meaning of
either wording and the position, then explained from the file's own text. A mistake not
recognised keeps the parser's problem, after "YAML syntax error:".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

PREFIX = "YAML syntax error: "


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based; 0 when the parser gave no place
    col: int
    message: str


def describe(exc: Any, text: str) -> Problem:
    """The problem behind a ruamel/libyaml error `exc` raised while reading `text`."""
    problem = " ".join(str(getattr(exc, "problem", None) or "").split())
    context = " ".join(str(getattr(exc, "context", None) or "").split())
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None and hasattr(exc, "character"):  # a ReaderError: a forbidden character
        return _forbidden_character(exc.character, text)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    context_mark = getattr(exc, "context_mark", None)
    opened = (context_mark.line + 1, context_mark.column + 1) if context_mark else None
    message = _explain(problem, context, here, col, lines, line, opened)
    if message is None:
        message = PREFIX + (problem or context or "this is not valid YAML")
    elif "is not aligned with" in message:
        col = _key_column(here)  # the misaligned key, not where the parser noticed
    elif opened and ("is never closed" in message or "has no ':'" in message):
        line, col = opened  # where the quote or the key starts, not where the file ends
    return Problem(line, col, message)


def _explain(
    problem: str,
    context: str,
    here: str,
    col: int,
    lines: list[str],
    line: int,
    opened: tuple[int, int] | None,
) -> str | None:
    at_char = here[col - 1 : col] if col else ""
    if "\\t" in problem or "tab character" in problem or (at_char == "\t" and "token" in problem):
        return (
            PREFIX + "a tab character here; YAML indents with spaces, never tabs: "
            "replace the tab with spaces"
        )
    duplicate = re.search(r'found duplicate key "(.*?)"', problem)
    if duplicate:
        return (
            PREFIX + f"key {duplicate.group(1)!r} appears twice in this mapping; keep one of them"
        )
    if "another document" in problem or "expected <document start>" in problem:
        return (
            PREFIX + "a second YAML document starts here; the file must hold one document: "
            "remove this `---` or `...` line and what follows, or move it to a file of its own"
        )
    if "cannot start any token" in problem:
        return (
            PREFIX + f"a plain value cannot start with {at_char!r}; put the value in quotes "
            f"('{here[col - 1 :].strip()}')"
        )
    if "end of stream" in problem and "quoted" in context:
        where = f" on line {opened[0]}" if opened else ""
        return PREFIX + f"the quoted text that starts{where} is never closed; add the closing quote"
    if "undefined alias" in problem:
        name = re.match(r"\*?([^\s,\]}]*)", here[col - 1 :] if col else "")
        alias = f"*{name.group(1)}" if name and name.group(1) else "this alias"
        return (
            PREFIX + f"{alias} names no anchor (&name) defined above it; define the anchor "
            "first, or write the value out"
        )
    if "duplicate anchor" in problem or "duplicate anchor" in context:
        return PREFIX + "this anchor name is already defined above; give each anchor its own name"
    if "escape character" in problem:
        return (
            PREFIX + "a backslash in double quotes starts an escape that YAML does not know; "
            "write \\\\ for a backslash, or use single quotes"
        )
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        bracket = "[" if "]" in problem else "{"
        where = f" on line {opened[0]}" if opened else ""
        return (
            PREFIX + f"the {'list' if bracket == '[' else 'mapping'} opened with {bracket!r}"
            f"{where} is not closed before this; close it (or quote the value if the "
            "bracket belongs to it)"
        )
    if "mapping values are not allowed" in problem:
        return _colon_in_value(here, lines, line)
    if (
        "expected <block end>" in problem
        or "did not find expected key" in problem
        or "expected '-' indicator" in problem
    ):
        if not _key_text(here):
            rest = here[col - 1 :].strip() if col else here.strip()
            return PREFIX + (
                f"{rest!r} follows the end of a value; if it belongs to the value, put the "
                "whole value in quotes (a quoted value ends at its closing quote)"
            )
        return _misaligned(here, lines, line)
    if "could not find expected ':'" in problem and opened:
        key = lines[opened[0] - 1].strip() if opened[0] <= len(lines) else ""
        return PREFIX + f"{key!r} on line {opened[0]} has no ':' after it; write `key: value`"
    return None


def _forbidden_character(character: Any, text: str) -> Problem:
    char = chr(character) if isinstance(character, int) else str(character)[:1]
    index = text.find(char) if char else -1
    line = text.count("\n", 0, index) + 1 if index >= 0 else 0
    col = index - (text.rfind("\n", 0, index) + 1) + 1 if index >= 0 else 0
    return Problem(
        line,
        col,
        f"the file holds the control character U+{ord(char):04X}, which YAML does not "
        "allow; remove it (write it as an escape in double quotes if you need it)",
    )


def _colon_in_value(here: str, lines: list[str], line: int) -> str:
    """`a: b: c`, or a key indented deeper than the key above it (read as its value)."""
    key = _key_text(here)
    above = _previous_key_line(lines, line)
    if above and here.strip().startswith(key + ":") and _indent(here) > _indent(lines[above - 1]):
        return _misaligned(here, lines, line)
    value = here.split(": ", 1)[-1].strip()
    return PREFIX + (
        "a value holds ': ' (a colon and a space), which YAML reads as a new key; put the "
        f"value in quotes ('{value}')"
    )


def _misaligned(here: str, lines: list[str], line: int) -> str:
    key = _key_text(here) or here.strip()
    above = _previous_key_line(lines, line)
    if not above:
        return PREFIX + f"{key!r} is not indented like the lines around it; align it"
    other = lines[above - 1]
    return PREFIX + (
        f"{key!r} (column {_key_column(here)}) is not aligned with {_key_text(other)!r} on "
        f"line {above} (column {_key_column(other)}); YAML nests by indentation: indent the "
        "keys of one mapping by the same number of spaces"
    )


def _previous_key_line(lines: list[str], line: int) -> int:
    for number in range(line - 1, 0, -1):
        text = lines[number - 1]
        if text.strip() and not text.lstrip().startswith("#") and _key_text(text):
            return number
    return 0


_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)*([^:#]*?)[ \t]*:(?:[ \t]|$)")


def _key_text(line: str) -> str:
    found = _KEY.match(line)
    return found.group(1).strip("'\"") if found else ""


def _key_column(line: str) -> int:
    found = re.match(r"^[ \t]*(?:-[ \t]+)*", line)
    return (found.end() if found else 0) + 1


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
