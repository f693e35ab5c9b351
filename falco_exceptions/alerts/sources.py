"""Records from an alerts file, one at a time: text lines, JSON lines, and JSON documents.

A line is a record: a Falco text line, or a JSON value on one line (Falco's JSON output,
a fluent-bit record, a Loki `--output=jsonl` line). A pretty-printed JSON document (a
falcosidekick webhook body saved to a file, `aws logs filter-log-events` output) starts on
a line that opens a JSON object or array without closing it (`{`, `[`, `{"events": [`).
Its elements are read one at a time: each object of a top-level array or of an `events`
array is a record of its own, so memory follows the size of one alert, not of the file.
A document without such arrays is one record. JSON strings never span lines, so the
document's structure is followed line by line with one regular expression.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

_OPENS_DOCUMENT = re.compile(r'^[\[{]\s*(?:"(?:[^"\\]|\\.)*"\s*:\s*[\[{]\s*)*$')
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]')
_DECODER = json.JSONDecoder()
RECORD_ARRAYS = frozenset(("events",))  # `aws logs filter-log-events` wraps records so


class Record(NamedTuple):
    line: int  # where the record starts, 1-based
    value: Any  # a text line (str) or a decoded JSON value


class Unreadable(NamedTuple):
    line: int
    problem: str


def records(lines: Iterable[str]) -> Iterator[Record | Unreadable]:
    """Each record of the input, in order; blank lines are skipped."""
    document: _Document | None = None
    for number, line in enumerate(lines, 1):
        if document is not None:
            yield from document.feed(line, number)
            if document.closed:
                document = None
            continue
        text = line.strip()
        if not text:
            continue
        if text[0] in "{[":
            try:
                value, end = _DECODER.raw_decode(text)
                if end != len(text):
                    raise json.JSONDecodeError("Extra data", text, end)
                yield Record(number, value)
                continue
            except ValueError as exc:
                if _OPENS_DOCUMENT.match(text):
                    document = _Document(number)
                    yield from document.feed(line, number)
                    if document.closed:
                        document = None
                    continue
                if text[0] == "{":
                    yield Unreadable(number, f"not valid JSON ({_reason(exc)})")
                    continue
        yield Record(number, text)
    if document is not None:
        yield Unreadable(document.start, "a JSON document starts here but is never closed")


def _reason(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg}, column {exc.colno}"
    return str(exc)


class _Document:
    """A JSON document spread over lines, read element by element."""

    def __init__(self, start: int) -> None:
        self.start = start
        self.stack: list[tuple[str, str | None]] = []  # (bracket, the key it belongs to)
        self.shell: list[str] | None = []  # the text outside elements, until one is found
        self.element: list[str] | None = None
        self.element_start = 0
        self.element_depth = 0
        self.closed = False
        self.last_string: str | None = None

    def feed(self, line: str, number: int) -> Iterator[Record | Unreadable]:
        cursor = 0
        for token in _TOKENS.finditer(line):
            text = token.group()
            if text[0] == '"':
                self.last_string = text
                continue
            if text in "{[":
                key = self._key_before(line, token.start())
                if text == "{" and self.element is None and self._holds_records():
                    self._keep(line[cursor : token.start()])
                    cursor = token.start()
                    self.element, self.element_start = [], number
                    self.element_depth = len(self.stack)
                    self.shell = None
                self.stack.append((text, key))
                continue
            if not self.stack:
                self.closed = True
                return
            self.stack.pop()
            if self.element is not None and len(self.stack) == self.element_depth:
                self.element.append(line[cursor : token.end()])
                cursor = token.end()
                yield self._decode("".join(self.element), self.element_start)
                self.element = None
            if not self.stack:
                self.closed = True
                self._keep(line[cursor : token.end()])
                if self.shell is not None:
                    yield self._decode("".join(self.shell), self.start)
                return
        self._keep(line[cursor:])

    def _holds_records(self) -> bool:
        if not self.stack:
            return False
        bracket, key = self.stack[-1]
        return bracket == "[" and (len(self.stack) == 1 or key in RECORD_ARRAYS)

    def _key_before(self, line: str, at: int) -> str | None:
        """The key of `"key": [`, when the bracket at `at` follows one."""
        if self.last_string is None or not line[:at].rstrip().endswith(":"):
            return None
        try:
            key = json.loads(self.last_string)
        except ValueError:
            return None
        return key if isinstance(key, str) else None

    def _keep(self, text: str) -> None:
        if self.element is not None:
            self.element.append(text)
        elif self.shell is not None:
            self.shell.append(text)

    @staticmethod
    def _decode(text: str, line: int) -> Record | Unreadable:
        try:
            return Record(line, json.loads(text))
        except ValueError as exc:
            return Unreadable(line, f"not valid JSON ({_reason(exc)})")
