"""`validate` (alias `lint`): check exceptions files, report every problem at once."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from falco_exceptions.cli.app import (
    FalcoVersion,
    Files,
    RulesFiles,
    RulesVersion,
    app,
    files_or_default,
    guarded,
    note,
)
from falco_exceptions.errors import ExitCode


class Format(StrEnum):
    text = "text"
    json = "json"


def validate(
    files: Files = None,
    falco_version: FalcoVersion = None,
    rules_version: RulesVersion = None,
    rules_file: RulesFiles = None,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format.")
    ] = Format.text,
) -> None:
    """Check exceptions files against the schema and the selected Falco's rules."""
    from falco_exceptions import checker
    from falco_exceptions.reporters import REPORTERS
    from falco_exceptions.target import Selection

    selection = Selection(falco_version, rules_version, tuple(rules_file or ()))
    result = guarded(lambda: checker.check(files_or_default(files), selection))
    for line in result.target.notes if result.target else ():
        note(line)
    typer.echo(REPORTERS[output_format.value](result.diagnostics), nl=False)
    if not result.ok:
        raise typer.Exit(int(ExitCode.FINDINGS))


app.command("validate")(validate)
app.command("lint", help="Alias of validate.")(validate)
