"""`upgrade` and `template`: render, then `helm upgrade|template` with the rendered values.

`falco-exceptions upgrade RELEASE CHART [--exceptions FILE]... [helm flags]`: every option
this command does not know (-f, --set, --install, --version, -n ...) goes to helm verbatim
and in order; RELEASE and CHART come first. The rendered values are given last, so they
win over the user's values files. Nothing runs when the exceptions are invalid (exit 1).
Otherwise the exit code is helm's.

The Falco version: --falco-version, else the file's falco.version, else --chart-version,
else the CHART itself (`helm show chart`, with the --version/--repo/... flags given for
helm). The chart is read unless --falco-version or --chart-version is given, so a
falco.version that differs from the chart's Falco gets a note naming both; when it cannot
be read, that is an error only if no version is given anywhere else. The ruleset follows
the falcoctl refs of the last -f/--values file that sets them, as `render --values` does.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from falco_exceptions.cli.app import (
    DEFAULT_FILE,
    ChartVersion,
    FalcoVersion,
    RulesFilename,
    RulesFiles,
    RulesVersion,
    ValuesPath,
    app,
    fail,
    guarded,
)
from falco_exceptions.cli.render import checked

if TYPE_CHECKING:
    from falco_exceptions.target import Hint

INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it

# Unknown options go to helm. `-h` is not registered as a help option: click would read
# the `h` in a short flag cluster meant for helm (`-nhub`, `-fhelm.yaml`) as `-h` and print
# help instead. A lone `-h` is help all the same (see HelmPassThrough).
PASS_THROUGH = {
    "allow_extra_args": True,
    "ignore_unknown_options": True,
    "help_option_names": ["--help"],
}


class HelmPassThrough(TyperCommand):
    """A command whose unknown options go to helm, where a lone `-h` still means help."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        end = args.index("--") if "--" in args else len(args)
        if "-h" in args[:end]:
            args = ["--help"]
        return super().parse_args(ctx, args)


Release = Annotated[
    str,
    typer.Argument(metavar="RELEASE", help="The release name, as for helm.", show_default=False),
]
Chart = Annotated[
    str,
    typer.Argument(
        metavar="CHART",
        help="The chart, as for helm (repo/name, directory, OCI ref, .tgz).",
        show_default=False,
    ),
]
Exceptions = Annotated[
    list[Path] | None,
    typer.Option(
        "--exceptions",
        metavar="FILE",
        help="Exceptions file (repeatable; default: ./exceptions.yaml).",
        show_default=False,
    ),
]


@app.command(cls=HelmPassThrough, context_settings=PASS_THROUGH)
def upgrade(
    ctx: typer.Context,
    release: Release,
    chart: Chart,
    exceptions: Exceptions = None,
    falco_version: FalcoVersion = None,
    chart_version: ChartVersion = None,
    rules_version: RulesVersion = None,
    rules_file: RulesFiles = None,
    values_path: ValuesPath = "customRules",
    rules_filename: RulesFilename = "falco-exceptions.yaml",
) -> None:
    """Render the exceptions, then run helm upgrade RELEASE CHART with them (-f, last).

    Every option not listed here goes to helm as given (-f, --set, --install, --version,
    -n, ...): `helm upgrade --help` lists them. -f is helm's values file; the exceptions
    file is --exceptions FILE.
    """
    wrap(
        "upgrade",
        ctx.args,
        release,
        chart,
        exceptions,
        falco_version,
        chart_version,
        rules_version,
        rules_file,
        values_path,
        rules_filename,
    )


@app.command(cls=HelmPassThrough, context_settings=PASS_THROUGH)
def template(
    ctx: typer.Context,
    release: Release,
    chart: Chart,
    exceptions: Exceptions = None,
    falco_version: FalcoVersion = None,
    chart_version: ChartVersion = None,
    rules_version: RulesVersion = None,
    rules_file: RulesFiles = None,
    values_path: ValuesPath = "customRules",
    rules_filename: RulesFilename = "falco-exceptions.yaml",
) -> None:
    """Render the exceptions, then run helm template RELEASE CHART with them (-f, last).

    Every option not listed here goes to helm as given (-f, --set, --version, -n,
    --show-only, ...): `helm template --help` lists them. -f is helm's values file; the
    exceptions file is --exceptions FILE.
    """
    wrap(
        "template",
        ctx.args,
        release,
        chart,
        exceptions,
        falco_version,
        chart_version,
        rules_version,
        rules_file,
        values_path,
        rules_filename,
    )


def wrap(
    verb: str,
    helm_args: list[str],
    release: str,
    chart: str,
    exceptions: list[Path] | None,
    falco_version: str | None,
    chart_version: str | None,
    rules_version: str | None,
    rules_file: list[Path] | None,
    values_path: str,
    rules_filename: str,
) -> None:
    from falco_exceptions import chart as charts
    from falco_exceptions import helm, values
    from falco_exceptions import render as renderer
    from falco_exceptions.errors import FatalError
    from falco_exceptions.target import Selection

    if release.startswith("-") or chart.startswith("-"):
        fail(f"RELEASE and CHART come first: falco-exceptions {verb} RELEASE CHART [options]")
    filename = guarded(lambda: values.check_rules_filename(rules_filename))
    keys = guarded(lambda: values.parse_values_path(values_path))
    chart_falco: Hint | None = None
    chart_problem = None
    if chart_version is not None:
        chart_falco = guarded(lambda: charts.falco_of_chart_version(chart_version))
    elif falco_version is None:
        try:
            chart_falco = charts.falco_of_chart(chart, helm_args)
        except FatalError as exc:
            chart_problem = exc.message
    values_rules = None
    if not (rules_version or rules_file):
        values_rules = guarded(lambda: _falcoctl_rules(helm_args, keys))
    selection = Selection(
        falco_version,
        rules_version,
        tuple(rules_file or ()),
        chart_falco=chart_falco,
        chart_problem=chart_problem,
        values_rules=values_rules,
    )
    plan = checked(exceptions or [DEFAULT_FILE], selection, f"helm {verb} was not run")
    text = values.values_document(renderer.render(plan), filename, keys)
    try:
        code = guarded(
            lambda: helm.run_with_values(
                verb, release, chart, helm_args, text, stdout=sys.stdout, stderr=sys.stderr
            )
        )
    except KeyboardInterrupt:
        raise typer.Exit(INTERRUPTED) from None
    raise typer.Exit(code)


def _falcoctl_rules(helm_args: list[str], keys: tuple[str, ...]) -> Hint | None:
    """The ruleset of the last values file given to helm that sets falcoctl refs."""
    from falco_exceptions import chart as charts
    from falco_exceptions import helm, values
    from falco_exceptions.errors import FatalError

    found = None
    for path in helm.values_files(helm_args):
        try:
            data = values.load_values(path).data
        except FatalError:
            continue  # helm reports a broken values file itself
        found = charts.falcoctl_rules(data, str(path), keys) or found
    return found
