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
    ChartVersion,
    FalcoVersion,
    Files,
    RulesFilename,
    RulesFiles,
    RulesVersion,
    ValuesPath,
    app,
    fail,
    files_or_default,
    guarded,
    note,
)
from falco_exceptions.diagnostics import Severity
from falco_exceptions.errors import ExitCode

if TYPE_CHECKING:
    from falco_exceptions.plan import Plan
    from falco_exceptions.target import Selection

T = TypeVar("T")


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
    rules_filename: RulesFilename = "falco-exceptions.yaml",
    values_file: Annotated[
        Path | None,
        typer.Option(
            "--values",
            help="An existing values file to put the rules into (comments and order kept); "
            "the result goes to stdout, -o, or the file itself with --in-place.",
        ),
    ] = None,
    in_place: Annotated[
        bool, typer.Option("--in-place", help="Update the --values file itself (atomically).")
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 and print a diff when -o FILE or the --values file "
            "is not up to date (for CI and pre-commit).",
        ),
    ] = False,
    values_path: ValuesPath = "customRules",
    chart: Annotated[
        str | None,
        typer.Option(
            "--chart",
            help="The chart you deploy (directory, repo/name, OCI ref, .tgz): renders for "
            "the Falco it runs (read with `helm show chart`).",
        ),
    ] = None,
    chart_version: ChartVersion = None,
) -> None:
    """Render the exceptions as falco chart values (customRules)."""
    from falco_exceptions import chart as charts
    from falco_exceptions import render as renderer
    from falco_exceptions import values
    from falco_exceptions.target import ChartValues, Selection

    filename = guarded(lambda: values.check_rules_filename(rules_filename))
    keys = guarded(lambda: values.parse_values_path(values_path))
    _check_options(output, values_file, in_place, check, chart, chart_version)
    existing = located(lambda: values.load_values(values_file)) if values_file else None
    chart_falco = None
    if chart_version is not None:
        chart_falco = guarded(lambda: charts.falco_of_chart_version(chart_version))
    elif chart is not None:
        chart_falco = guarded(lambda: charts.falco_of_chart(chart))
    values_rules = None
    if existing is not None and not (rules_version or rules_file):
        where = str(existing.path)
        values_rules = guarded(lambda: charts.falcoctl_rules(existing.data, where, keys))
    selection = Selection(
        falco_version,
        rules_version,
        tuple(rules_file or ()),
        chart_falco=chart_falco,
        values_rules=values_rules,
        chart_values=ChartValues(existing.data, str(existing.path), keys[:-1])
        if existing is not None
        else None,
    )
    plan = checked(files_or_default(files), selection, "nothing was written")
    rules = renderer.render(plan)
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
    output: Path | None,
    values_file: Path | None,
    in_place: bool,
    check: bool,
    chart: str | None,
    chart_version: str | None,
) -> None:
    if in_place and values_file is None:
        fail("--in-place needs --values FILE (the file to update)")
    if in_place and output is not None:
        fail("--in-place and -o/--output exclude each other: the result goes to one place")
    if check and output is None and values_file is None:
        fail("--check needs -o FILE or --values FILE (the file to compare)")
    if chart is not None and chart_version is not None:
        fail("--chart and --chart-version exclude each other: give one of them")


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

    result = guarded(lambda: checker.check(paths, selection))
    for line in result.target.notes if result.target else ():
        note(line)
    for diagnostic in result.diagnostics:
        if diagnostic.severity is not Severity.INFO:
            typer.echo(str(diagnostic), err=True)
    if result.plan is None:
        fail(f"{result.count(Severity.ERROR)} error(s); {outcome}", ExitCode.FINDINGS)
    return result.plan


def located(action: Callable[[], T]) -> T:
    """Like `guarded`, but a located problem (in a values file) prints as its diagnostic
    line, followed by what did not happen."""
    from falco_exceptions.errors import FatalError

    try:
        return action()
    except FatalError as exc:
        if exc.located:
            typer.echo(exc.message, err=True)
            fail("1 error(s) in the values file; nothing was written", exc.exit_code)
        fail(exc.message, exc.exit_code)
