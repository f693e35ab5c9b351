"""Command line: parse options, call the core, print, exit. Nothing else lives here.

Start-up is part of every pre-commit run: `--version` answers before typer is imported,
the commands import the core only when they run, and `app` (typer, the command modules)
is built on first use.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from falco_exceptions import __version__

        print(f"falco-exceptions {__version__}")
        return
    _app()()


def _app() -> typer.Typer:
    from falco_exceptions.cli import (  # noqa: F401  (registers commands)
        charts,
        info,
        render,
        report,
        rules,
        upgrade,
        validate,
    )
    from falco_exceptions.cli.app import app

    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return _app()
    raise AttributeError(name)
