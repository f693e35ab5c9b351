"""The typer application and what every command shares: options, the error edge."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from falco_exceptions import __version__

# The Falco-selection options live in cli/falco_options.py (`@falco_options()`); these
# names stay here for commands that still list some of them one by one.
from falco_exceptions.cli.falco_options import ChartVersion as ChartVersion
from falco_exceptions.cli.falco_options import FalcoVersion as FalcoVersion
from falco_exceptions.cli.falco_options import RulesFiles as RulesFiles
from falco_exceptions.cli.falco_options import RulesVersion as RulesVersion
from falco_exceptions.errors import ExitCode, FatalError

if TYPE_CHECKING:
    from falco_exceptions.target import Target

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


def tell(target: Target) -> None:
    """The notes and warnings of choosing the Falco: what was used and why."""
    for line in target.notes:
        note(line)
    for line in target.warnings:
        typer.echo(f"warning: {line}", err=True)


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
