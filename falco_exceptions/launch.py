"""The console script: start-up is paid on every pre-commit run, so it does little.

`--version` answers before anything else is imported. For a command, only the module that
defines it is imported (`cli.load`), and only that command is kept, since typer would turn
every registered command into a click command before running the one asked for (a fifth
of the start-up of `render`). Anything else (top-level help, an unknown command) gets the
whole application, with its help and suggestions.
"""

from __future__ import annotations

import gc
import sys
from typing import Any


def main() -> None:
    args = sys.argv[1:]
    if args == ["--version"]:
        from falco_exceptions import __version__

        print(f"falco-exceptions {__version__}")
        return
    # A short-lived process that builds a large acyclic tree: the cycle collector's
    # passes over it cost a third of a 10,000-entry render and free nothing.
    gc.set_threshold(100_000, 50, 100)
    from falco_exceptions.cli import load

    command = args[0] if args and not args[0].startswith("-") else None
    app = load(command)
    _keep_only(app, command)
    app()


def _keep_only(app: Any, name: str | None) -> None:
    commands = [c for c in app.registered_commands if _name(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if commands or groups:
        app.registered_commands, app.registered_groups = commands, groups


def _name(command: Any) -> str:
    return str(command.name or command.callback.__name__.replace("_", "-"))
