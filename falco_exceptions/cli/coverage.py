"""`coverage`: how many of the given alerts each exception silences, and what is left."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from falco_exceptions.cli.alert_options import inputs, read, show_warnings
from falco_exceptions.cli.app import (
    ExceptionsFiles,
    Files,
    app,
    fail,
    files_or_default,
    format_parser,
    guarded,
    tell,
)
from falco_exceptions.cli.falco_options import falco_options
from falco_exceptions.diagnostics import Severity
from falco_exceptions.errors import ExitCode

if TYPE_CHECKING:
    from falco_exceptions.checker import Result
    from falco_exceptions.options import FalcoOptions
    from falco_exceptions.target import Selection


class Format(StrEnum):
    text = "text"
    json = "json"


@app.command()
@falco_options()
def coverage(
    files: Files = None,
    exceptions: ExceptionsFiles = None,
    alerts: Annotated[
        list[Path] | None,
        typer.Option(
            "--alerts",
            metavar="FILE",
            help="An alerts file (repeatable; - for standard input): Falco text or JSON "
            "lines, fluent-bit, CloudWatch or Loki records.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        Format,
        typer.Option(
            "--format", parser=format_parser(Format), metavar="text|json", help="Output format."
        ),
    ] = Format.text,
    fail_on_unused: Annotated[
        bool,
        typer.Option(
            "--fail-on-unused", help="Exit 1 when an exception silences none of the alerts."
        ),
    ] = False,
    *,
    falco: FalcoOptions,
) -> None:
    """How many of the alerts each exception silences on the selected Falco, and the rest."""
    from falco_exceptions.alerts.coverage import coverage as measure
    from falco_exceptions.alerts.model import Warnings
    from falco_exceptions.alerts.resolve import Resolver
    from falco_exceptions.alerts.silencing import Silencers
    from falco_exceptions.options import resolve
    from falco_exceptions.reporters import coverage as report

    if not alerts:
        fail("give the alerts with --alerts FILE (repeatable; - for standard input)")
    paths = inputs(alerts)
    chosen = guarded(lambda: resolve(falco))
    result = _checked(files_or_default(files, exceptions), chosen)
    target = result.target
    assert target is not None
    warnings = Warnings()
    resolver = Resolver(target, warnings)
    silencers = Silencers(result.document.entries, target)
    found = guarded(lambda: measure(read(resolver, paths), silencers))
    show_warnings(warnings)
    if found.alerts == 0:
        fail("no Falco alert in the input", ExitCode.FINDINGS)
    if output_format is Format.json:
        typer.echo(report.json_text(found, target), nl=False)
    else:
        typer.echo(report.text(found, target), nl=False)
    if fail_on_unused and found.unused:
        fail(
            f"{len(found.unused)} exception(s) silence none of these alerts",
            ExitCode.FINDINGS,
        )


def _checked(paths: list[Path], chosen: Selection) -> Result:
    """The exceptions, checked as render checks them: they must render to be measured."""
    from falco_exceptions import checker

    result = guarded(lambda: checker.check(paths, chosen))
    if result.target is not None:
        tell(result.target)
    for diagnostic in result.diagnostics:
        if diagnostic.severity is not Severity.INFO:
            typer.echo(str(diagnostic), err=True)
    if result.plan is None or result.target is None:
        fail(
            f"{result.count(Severity.ERROR)} error(s) in the exceptions; coverage is measured "
            "on what they render",
            ExitCode.FINDINGS,
        )
    return result
