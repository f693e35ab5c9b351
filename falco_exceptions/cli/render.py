"""`render`: exceptions files to chart values."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from falco_exceptions.cli.app import (
    FalcoVersion,
    Files,
    RulesFiles,
    RulesVersion,
    app,
    fail,
    files_or_default,
    guarded,
    note,
)
from falco_exceptions.diagnostics import Severity
from falco_exceptions.errors import ExitCode


@app.command()
def render(
    files: Files = None,
    falco_version: FalcoVersion = None,
    rules_version: RulesVersion = None,
    rules_file: RulesFiles = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Write the values to this file (atomically) instead of stdout."
        ),
    ] = None,
    rules_filename: Annotated[
        str, typer.Option("--rules-filename", help="The customRules key (a .yaml file name).")
    ] = "falco-exceptions.yaml",
) -> None:
    """Render the exceptions as falco chart values (customRules)."""
    from falco_exceptions import checker, values
    from falco_exceptions import render as renderer
    from falco_exceptions.target import Selection

    filename = guarded(lambda: values.check_rules_filename(rules_filename))
    paths = files_or_default(files)
    selection = Selection(falco_version, rules_version, tuple(rules_file or ()))
    result = guarded(lambda: checker.check(paths, selection))
    for line in result.target.notes if result.target else ():
        note(line)
    for diagnostic in result.diagnostics:
        typer.echo(str(diagnostic), err=True)
    if result.plan is None:
        fail(f"{result.count(Severity.ERROR)} error(s); nothing was written", ExitCode.FINDINGS)
    text = values.values_document(renderer.render(result.plan), filename)
    if output is None:
        typer.echo(text, nl=False)
    else:
        guarded(lambda: values.atomic_write(output, text))
