"""`validate` (alias `lint`): check exceptions files, report every problem at once."""

from __future__ import annotations

import os
import textwrap
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from falco_exceptions.cli.app import Files, app, files_or_default, guarded, note
from falco_exceptions.cli.falco_options import falco_options
from falco_exceptions.cli.review_options import (
    ExpiryWarningDays,
    PolicyFile,
    Today,
    review_options,
)
from falco_exceptions.errors import ExitCode

if TYPE_CHECKING:
    from falco_exceptions.options import FalcoOptions


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


@falco_options()
def validate(
    files: Files = None,
    output_format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format (default: github when GITHUB_ACTIONS=true, else text).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")
    ] = False,
    policy_file: PolicyFile = None,
    today: Today = None,
    expiry_warning_days: ExpiryWarningDays = None,
    separately: Annotated[
        bool,
        typer.Option(
            "--separately",
            help="Check each file on its own instead of layering them in order "
            "(for pre-commit, which passes unrelated files together).",
        ),
    ] = False,
    list_checks: Annotated[
        bool, typer.Option("--list-checks", help="Describe every check and code, then exit.")
    ] = False,
    *,
    falco: FalcoOptions,
) -> None:
    """Check exceptions files: schema, the selected Falco's rules, and the review policy.

    Files are layered in the order given.

    Exit 0 when clean, 1 on errors (or warnings with --strict), 2 on bad usage.
    """
    from falco_exceptions import checker
    from falco_exceptions.diagnostics import Severity, sorted_diagnostics
    from falco_exceptions.options import resolve
    from falco_exceptions.reporters import REPORTERS

    if list_checks:
        typer.echo(_check_list(), nl=False)
        return
    chosen = output_format or _default_format()
    selection = guarded(lambda: resolve(falco))
    review = review_options(policy_file, today, expiry_warning_days)
    paths = files_or_default(files)
    groups: list[list[Path]] = [[p] for p in paths] if separately else [paths]
    results = [guarded(partial(checker.check, g, selection, review=review)) for g in groups]
    targets = [r.target for r in results if r.target]
    for line in dict.fromkeys(n for t in targets for n in t.notes):
        note(line)
    for line in dict.fromkeys(w for t in targets for w in t.warnings):
        typer.echo(f"warning: {line}", err=True)
    diagnostics = sorted_diagnostics(d for r in results for d in r.diagnostics)
    typer.echo(REPORTERS[chosen.value](diagnostics), nl=False)
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    if any(d.severity in failing for d in diagnostics):
        raise typer.Exit(int(ExitCode.FINDINGS))


def _default_format() -> Format:
    return Format.github if os.environ.get("GITHUB_ACTIONS") == "true" else Format.text


def _check_list() -> str:
    from falco_exceptions.codes import all_codes

    out = []
    for doc in all_codes():
        out.append(f"{doc.code}  {doc.name}")
        for paragraph in doc.doc.split("\n\n"):
            out.append(
                textwrap.fill(paragraph, 88, initial_indent="    ", subsequent_indent="    ")
            )
        out.append("")
    return "\n".join(out)


app.command("validate")(validate)
app.command("lint", help="Alias of validate.")(validate)
