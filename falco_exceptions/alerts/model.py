"""What reading alerts gives: alerts with their rule and field values, and the lines skipped."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from falco_exceptions.diagnostics import Position

SHOWN_PER_KIND = 5  # lines shown for each kind of warning; the rest are counted


class Alert(NamedTuple):
    """One alert: its rule in the selected ruleset, and its field values.

    `event` carries every field the rule's output names (Falco field names: proc.name,
    fd.name, container.image.repository, k8s.ns.name, ...) and the context fields Falco
    appends; None is an unset field (empty or `<NA>` in the alert). A named tuple: there
    is one per line, and it is cheap to make.
    """

    rule: str
    event: Mapping[str, str | None]
    file: str
    line: int
    time: str | None = None

    @property
    def where(self) -> Position:
        return Position(self.file, self.line)


@dataclass(frozen=True)
class InputWarning:
    where: Position
    message: str

    def __str__(self) -> str:
        return f"{self.where.file}:{self.where.line}: warning: {self.message}"


@dataclass
class Warnings:
    """Warnings about the input, the first few of each kind kept and the rest counted, so
    memory does not grow with the number of lines."""

    shown: list[InputWarning] = field(default_factory=list)
    _counts: dict[str, int] = field(default_factory=dict)
    _labels: dict[str, str] = field(default_factory=dict)  # kind -> its first message

    def add(self, where: Position, message: str, kind: str | None = None) -> None:
        kind = kind or message
        count = self._counts.get(kind, 0) + 1
        self._counts[kind] = count
        if count <= SHOWN_PER_KIND:
            self.shown.append(InputWarning(where, message))
            self._labels.setdefault(kind, message)

    def lines(self) -> Iterator[str]:
        yield from map(str, self.shown)
        for kind, count in self._counts.items():
            if count > SHOWN_PER_KIND:
                more = count - SHOWN_PER_KIND
                lines = "line" if more == 1 else "lines"
                yield f"warning: {more} more {lines} like this: {self._labels[kind]}"

    @property
    def count(self) -> int:
        return sum(self._counts.values())
