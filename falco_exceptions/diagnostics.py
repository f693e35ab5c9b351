"""One Diagnostic type for every problem the tool reports, with its source position."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Position:
    """A place in a file; line and col are 1-based (0 when unknown)."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col or 1}"
        return self.file


@dataclass(frozen=True)
class Diagnostic:
    position: Position
    code: str
    severity: Severity
    message: str

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        p = self.position
        return (p.file, p.line, p.col, self.code, self.message)

    def __str__(self) -> str:
        return f"{self.position}: {self.severity.value}[{self.code}]: {self.message}"


def error(position: Position, code: str, message: str) -> Diagnostic:
    return Diagnostic(position, code, Severity.ERROR, message)


def warning(position: Position, code: str, message: str) -> Diagnostic:
    return Diagnostic(position, code, Severity.WARNING, message)


def info(position: Position, code: str, message: str) -> Diagnostic:
    return Diagnostic(position, code, Severity.INFO, message)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in file order, so output is stable whatever order checks ran in."""
    return sorted(set(diagnostics), key=lambda d: d.sort_key)
