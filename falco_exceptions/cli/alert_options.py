"""What `suggest` and `coverage` share: the alert inputs and the warnings of reading them.

They select the Falco with the shared options of every command (`cli/falco_options.py`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

import typer

from falco_exceptions.cli.app import fail, guarded

if TYPE_CHECKING:
    from falco_exceptions.alerts.model import Alert, Warnings
    from falco_exceptions.alerts.resolve import Resolver


def inputs(paths: Sequence[Path] | None) -> list[Path]:
    """The alert inputs; none given means standard input, which must not be a terminal."""
    if paths:
        for path in paths:
            if str(path) != "-" and (path.is_dir() or not path.exists()):
                state = "is a directory" if path.is_dir() else "not found"
                fail(f"alerts file {path} {state}")
        return list(paths)
    if sys.stdin.isatty():
        fail("give alert files, or - to read alerts from standard input")
    return [Path("-")]


def read(resolver: Resolver, paths: Sequence[Path]) -> Iterator[Alert]:
    """Every alert of every input, in order, one at a time."""
    from falco_exceptions.alerts.resolve import display

    for path in paths:
        with _opened(path) as handle:
            yield from resolver.alerts(handle, display(path))


def _opened(path: Path) -> IO[str]:
    from falco_exceptions.alerts.resolve import open_input

    return guarded(lambda: open_input(path))


def show_warnings(warnings: Warnings) -> None:
    for line in warnings.lines():
        typer.echo(line, err=True)
