"""`render`: exceptions files to chart values (stdout, a new file, or an existing values file).

`--check` compares instead of writing: the unified diff from the file as it is to what
render would write goes to stdout (so it can be saved or applied with `patch -p0`), the
verdict to stderr; exit 1 when they differ or the file is missing, 0 (nothing written)
when it is up to date. The file compared is `-o FILE`, else the `--values` file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from falco_exceptions.cli.app import (
    Files,
    app,
    fail,
    files_or_default,
    guarded,
    note,
    tell,
)
from falco_exceptions.cli.falco_options import falco_options
from falco_exceptions.diagnostics import Severity
from falco_exceptions.errors import ExitCode

if TYPE_CHECKING:
    from falco_exceptions.options import FalcoOptions
    from falco_exceptions.plan import Plan
    from falco_exceptions.target import Selection

T = TypeVar("T")


@app.command()
@falco_options()
def render(
    files: Files = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Write the values to this file (atomically) instead of stdout."
        ),
    ] = None,
    in_place: Annotated[
        bool,
        typer.Option("--in-place", help="Update the (last) --values file itself (atomically)."),
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 and print a diff when -o FILE or the --values file "
            "is not up to date (for CI and pre-commit).",
        ),
    ] = False,
    *,
    falco: FalcoOptions,
) -> None:
    """Render the exceptions as falco chart values (customRules)."""
    from falco_exceptions import render as renderer
    from falco_exceptions import values
    from falco_exceptions.options import resolve

    values_file = falco.values_files[-1] if falco.values_files else None
    _check_options(output, values_file, in_place, check)
    selection = located(lambda: resolve(falco))
    keys = selection.values_path
    existing = located(lambda: values.load_values(values_file)) if values_file else None
    plan = checked(files_or_default(files), selection, "nothing was written")
    rules = renderer.render(plan)
    filename = selection.rules_filename
    if existing is not None:
        text = located(lambda: values.update_values(existing, rules, filename, keys))
    else:
        text = values.values_document(rules, filename, keys)
    target = output or (values_file if (in_place or check) else None)
    if check:
        assert target is not None
        _report_drift(target, text)
    elif target is None:
        typer.echo(text, nl=False)
    else:
        guarded(lambda: values.atomic_write(target, text))


def _check_options(
    output: Path | None, values_file: Path | None, in_place: bool, check: bool
) -> None:
    if in_place and values_file is None:
        fail("--in-place needs --values FILE (the file to update)")
    if in_place and output is not None:
        fail("--in-place and -o/--output exclude each other: the result goes to one place")
    if check and output is None and values_file is None:
        fail("--check needs -o FILE or --values FILE (the file to compare)")


def _report_drift(target: Path, wanted: str) -> None:
    from falco_exceptions import values

    current = guarded(lambda: values.read_current(target))
    diff = values.drift(current, wanted, str(target))
    if not diff:
        note(f"{target} is up to date")
        return
    typer.echo(diff, nl=False)
    state = "does not exist" if current is None else "is out of date (diff on stdout)"
    fail(f"{target} {state}; run the command again without --check", ExitCode.FINDINGS)


def checked(paths: list[Path], selection: Selection, outcome: str) -> Plan:
    """Check the exceptions, print notes, errors and warnings; exit 1 when nothing can be
    rendered. Infos (FE207) are for the review: `validate` and `report` show them.

    `outcome` ends the failure message: what did not happen ("nothing was written").
    """
    from falco_exceptions import checker

    result = located(lambda: checker.check(paths, selection), outcome)
    if result.target is not None:
        tell(result.target)
    for diagnostic in result.diagnostics:
        if diagnostic.severity is not Severity.INFO:
            typer.echo(str(diagnostic), err=True)
    if result.plan is None:
        fail(f"{result.count(Severity.ERROR)} error(s); {outcome}", ExitCode.FINDINGS)
    return result.plan


def located(action: Callable[[], T], outcome: str = "nothing was written") -> T:
    """Like `guarded`, but a located problem (in a values or exceptions file) prints as its
    diagnostic line, followed by what did not happen."""
    from falco_exceptions.errors import FatalError

    try:
        return action()
    except FatalError as exc:
        if exc.located:
            typer.echo(exc.message, err=True)
            fail(f"1 error(s); {outcome}", exc.exit_code)
        fail(exc.message, exc.exit_code)
