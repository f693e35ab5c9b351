"""What `suggest` and `coverage` share: the alert inputs, the Falco selection, the warnings.

The selection options are render's (`--falco-version`, `--rules-version`, `--rules-file`,
`--chart`, `--chart-version`), and `selection()` is the one place these two commands turn
them into a `Selection`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from falco_exceptions.cli.app import fail, guarded, note

if TYPE_CHECKING:
    from falco_exceptions.alerts.model import Alert, Warnings
    from falco_exceptions.alerts.resolve import Resolver
    from falco_exceptions.target import Selection

Chart = Annotated[
    str | None,
    typer.Option(
        "--chart",
        help="The chart you deploy (directory, repo/name, OCI ref, .tgz): use the Falco it "
        "runs (read with `helm show chart`).",
    ),
]


def selection(
    falco_version: str | None,
    rules_version: str | None,
    rules_file: list[Path] | None,
    chart: str | None,
    chart_version: str | None,
) -> Selection:
    """The command line's say in which Falco and ruleset the alerts are read against."""
    from falco_exceptions import chart as charts
    from falco_exceptions.target import Selection

    if chart is not None and chart_version is not None:
        fail("--chart and --chart-version exclude each other: give one of them")
    chart_falco = None
    if chart_version is not None:
        chart_falco = guarded(lambda: charts.falco_of_chart_version(chart_version))
    elif chart is not None:
        chart_falco = guarded(lambda: charts.falco_of_chart(chart))
    return Selection(falco_version, rules_version, tuple(rules_file or ()), chart_falco=chart_falco)


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


def notes(lines: Sequence[str]) -> None:
    for line in lines:
        note(line)
