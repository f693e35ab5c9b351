"""`upgrade` and `template`: render, then `helm upgrade|template` with the rendered values.

`falco-exceptions upgrade RELEASE CHART [--exceptions FILE]... [helm flags]`: every option
this command does not know (-f, --set, --install, --version, -n ...) goes to helm verbatim
and in order; RELEASE and CHART come first. The rendered values are given last, so they
win over the user's values files. Nothing runs when the exceptions are invalid (exit 1).
Otherwise the exit code is helm's.

CHART is the chart being deployed (`helm show chart` and `helm show values`, with the
--version/--repo/... flags given for helm; a directory is read directly), and the `-f`
files merged over its defaults, as helm merges them, are its values: they say which Falco
runs and what it loads (see `target`, `deployment`). A CHART that cannot be read is an
error only when no Falco version is given otherwise (helm will say what is wrong with it);
then nothing is known of what the values load. `--set` and its kin are not read: a note
says so when one sets falco, falcoctl or customRules values.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from falco_exceptions.cli.app import DEFAULT_FILE, app, fail, guarded, note
from falco_exceptions.cli.falco_options import falco_options
from falco_exceptions.cli.render import checked, located

if TYPE_CHECKING:
    from falco_exceptions.options import FalcoOptions

INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it

# Unknown options go to helm. Only `--help` is ours: click would read the `h` in a short
# flag cluster meant for helm (`-nhub`, `-fhelm.yaml`) as `-h` and print help instead.
PASS_THROUGH = {
    "allow_extra_args": True,
    "ignore_unknown_options": True,
    "help_option_names": ["--help"],
}
Release = Annotated[str, typer.Argument(help="The release name, as for helm.", show_default=False)]
Chart = Annotated[
    str,
    typer.Argument(
        help="The chart, as for helm (repo/name, directory, OCI ref, .tgz).", show_default=False
    ),
]
Exceptions = Annotated[
    list[Path] | None,
    typer.Option(
        "--exceptions",
        help="Exceptions file (repeatable; default: ./exceptions.yaml).",
        show_default=False,
    ),
]


@app.command(context_settings=PASS_THROUGH)
@falco_options(deployed=True)
def upgrade(
    ctx: typer.Context,
    release: Release,
    chart: Chart,
    exceptions: Exceptions = None,
    *,
    falco: FalcoOptions,
) -> None:
    """Render the exceptions, then run: helm upgrade RELEASE CHART <helm flags> -f <rendered>.

    Other options go to helm as given (-f, --set, --install, --version, -n, ...).
    """
    wrap("upgrade", ctx.args, release, chart, exceptions, falco)


@app.command(context_settings=PASS_THROUGH)
@falco_options(deployed=True)
def template(
    ctx: typer.Context,
    release: Release,
    chart: Chart,
    exceptions: Exceptions = None,
    *,
    falco: FalcoOptions,
) -> None:
    """Render the exceptions, then run: helm template RELEASE CHART <helm flags> -f <rendered>.

    Other options go to helm as given (-f, --set, --version, -n, --show-only, ...).
    """
    wrap("template", ctx.args, release, chart, exceptions, falco)


def wrap(
    verb: str,
    helm_args: list[str],
    release: str,
    chart: str,
    exceptions: list[Path] | None,
    falco: FalcoOptions,
) -> None:
    from falco_exceptions import helm, values
    from falco_exceptions import render as renderer
    from falco_exceptions.options import resolve

    if release.startswith("-") or chart.startswith("-"):
        fail(f"RELEASE and CHART come first: falco-exceptions {verb} RELEASE CHART [options]")
    deployed = replace(
        falco,
        chart=chart,
        chart_args=tuple(helm_args),
        values_files=tuple(helm.values_files(helm_args)),
        deployed=True,
    )
    outcome = f"helm {verb} was not run"
    selection = located(lambda: resolve(deployed), outcome)
    for key in helm.unread_settings(helm_args, selection.values_path):
        note(f"{key} is not read (only -f/--values files are); check what it sets yourself")
    plan = checked(exceptions or [DEFAULT_FILE], selection, outcome)
    text = values.values_document(
        renderer.render(plan), selection.rules_filename, selection.values_path
    )
    try:
        code = guarded(
            lambda: helm.run_with_values(
                verb, release, chart, helm_args, text, stdout=sys.stdout, stderr=sys.stderr
            )
        )
    except KeyboardInterrupt:
        raise typer.Exit(INTERRUPTED) from None
    raise typer.Exit(code)
