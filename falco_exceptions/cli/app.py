"""The typer application and what every command shares: options, the error edge."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer

from falco_exceptions import __version__
from falco_exceptions.errors import ExitCode, FatalError

app = typer.Typer(
    name="falco-exceptions",
    help="Render reviewed Falco rule exceptions into the falco chart's customRules, "
    "in the syntax of the Falco version you run.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DEFAULT_FILE = Path("exceptions.yaml")

Files = Annotated[
    list[Path] | None,
    typer.Argument(
        help="exceptions files, combined in order [default: ./exceptions.yaml]",
        show_default=False,
        readable=False,  # an unreadable file is reported with the others (FE101)
    ),
]
FalcoVersion = Annotated[
    str | None,
    typer.Option("--falco-version", help="Falco version the chart runs (wins over falco.version)."),
]
RulesVersion = Annotated[
    str | None,
    typer.Option(
        "--rules-version",
        help="Bundled ruleset to check against, e.g. falco-rules-3.2.0 (see `versions`).",
    ),
]
RulesFiles = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules-file",
        help="Check against these rules files instead of a bundled ruleset (repeatable).",
    ),
]

T = TypeVar("T")


def files_or_default(files: list[Path] | None) -> list[Path]:
    return files or [DEFAULT_FILE]


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> NoReturn:
    typer.echo(f"falco-exceptions: error: {message}", err=True)
    raise typer.Exit(int(code))


def guarded(action: Callable[[], T]) -> T:
    """Run core code; a FatalError becomes a one-line message and its exit code."""
    try:
        return action()
    except FatalError as exc:
        if exc.located:
            typer.echo(exc.message, err=True)
            raise typer.Exit(int(exc.exit_code)) from None
        fail(exc.message, exc.exit_code)


def note(message: str) -> None:
    typer.echo(f"note: {message}", err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"falco-exceptions {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Render reviewed Falco rule exceptions for the Falco version you run."""


# Options of `render`, `upgrade` and `template` (chart values and the chart's Falco).
ChartVersion = Annotated[
    str | None,
    typer.Option(
        "--chart-version",
        help="The falco chart version you deploy: renders for the Falco it runs (see `charts`).",
    ),
]
ValuesPath = Annotated[
    str,
    typer.Option(
        "--values-path",
        help="Where customRules sits in the values, dotted (falco.customRules when falco is "
        "a subchart).",
    ),
]
RulesFilename = Annotated[
    str, typer.Option("--rules-filename", help="The customRules key (a .yaml file name).")
]
