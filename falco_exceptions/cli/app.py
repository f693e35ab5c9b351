"""The typer application and what every command shares: options, the error edge."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from falco_exceptions import __version__

# The Falco-selection options live in cli/falco_options.py (`@falco_options()`); these
# names stay here for commands that still list some of them one by one.
from falco_exceptions.cli.falco_options import ChartVersion as ChartVersion
from falco_exceptions.cli.falco_options import FalcoVersion as FalcoVersion
from falco_exceptions.cli.falco_options import RulesFiles as RulesFiles
from falco_exceptions.cli.falco_options import RulesVersion as RulesVersion
from falco_exceptions.errors import ExitCode, FatalError


class _Argument(TyperArgument):
    """Help shows the metavar (FILE...), not the Python type (`<list[Path]>`), and a
    required argument as RELEASE rather than typer's `{release}`."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def make_metavar(self, ctx: Any, *, usage: bool = False) -> str:
        name = self.metavar or (self.name or "").upper()
        if usage and not self.required:
            name = f"[{name}]"
        return name if self.nargs == 1 else f"{name}..."

    def _usage_display_name(self) -> str:
        return self.make_metavar(None, usage=True)

    def _rich_display_name(self) -> str:
        return self.make_metavar(None)


class _Option(TyperOption):
    """Help shows an option's metavar (VERSION, FILE), a flag nothing (not `<bool>`)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        if self.is_flag:
            return None
        return self.make_metavar(ctx)

    def make_metavar(self, ctx: Any) -> str:
        return self.metavar or (self.name or "value").upper()


class Group(TyperGroup):
    """Every command's help in plain words: typer prints each parameter's Python type
    (`<bool>`, `<list[Path]>`, `{release}`); the parameters of this group's commands, and
    of the group itself, show their metavars instead. Commands need nothing of their own."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            # The command's own context, as click will make it: its help option (created
            # once, then kept) must get the command's help option names, not the group's.
            own = type(ctx)(command, parent=ctx, info_name=cmd_name, **command.context_settings)
            plain_help(command, own)
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        plain_help(self, ctx)
        super().format_help(ctx, formatter)


def plain_help(command: Any, ctx: Any) -> None:
    for param in command.get_params(ctx):
        if type(param) is TyperArgument:
            param.__class__ = _Argument
        elif type(param) is TyperOption:
            param.__class__ = _Option


if TYPE_CHECKING:
    from falco_exceptions.target import Target

app = typer.Typer(
    cls=Group,
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
        metavar="FILE",
        help="Exceptions files, combined in order (default: ./exceptions.yaml).",
        show_default=False,
        readable=False,  # an unreadable file is reported with the others (FE101)
    ),
]
# `-f FILE` names an exceptions file, as `helm -f` names a values file: the same as giving
# it as an argument. (upgrade and template leave -f to helm; they take --exceptions FILE.)
ExceptionsFiles = Annotated[
    list[Path] | None,
    typer.Option(
        "-f",
        "--exceptions",
        metavar="FILE",
        help="An exceptions file, like an argument (repeatable, in order; as helm's -f).",
        show_default=False,
        readable=False,  # an unreadable file is reported with the others (FE101)
    ),
]
T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)


def format_parser(kind: type[E]) -> Callable[[str], E]:
    """A parser for a `--format` option: a wrong value is said in plain words (typer's own
    conversion says "Value error, 'x' is not one of ...")."""

    def parse(text: str) -> E:
        try:
            return kind(text)
        except ValueError:
            choices = ", ".join(member.value for member in kind)
            raise typer.BadParameter(f"{text!r} is not a format; use one of {choices}") from None

    return parse


def files_or_default(files: list[Path] | None, flagged: list[Path] | None = None) -> list[Path]:
    """The exceptions files: the arguments or the -f files (not both: click cannot tell
    how they were interleaved, and their order decides the layering), else ./exceptions.yaml."""
    if files and flagged:
        fail(
            "give the exceptions files either as arguments or with -f, not both "
            "(their order decides the layering)"
        )
    return files or flagged or [DEFAULT_FILE]


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
