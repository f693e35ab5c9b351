"""Command line: parse options, call the core, print, exit. Nothing else lives here.

Each command lives in a module of its own, which registers it on `app.app` when imported.
Start-up is paid on every pre-commit run, so `load` imports only the module of the command
asked for; `load_all` imports them all (top-level help, an unknown command, the tests).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

# The module that registers each command (tests/cli/test_app.py keeps it complete).
COMMAND_MODULES = {
    "charts": "charts",
    "coverage": "coverage",
    "lint": "validate",
    "render": "render",
    "report": "report",
    "rules": "rules",
    "schema": "info",
    "suggest": "suggest",
    "template": "upgrade",
    "upgrade": "upgrade",
    "validate": "validate",
    "versions": "info",
}


def load(command: str | None) -> typer.Typer:
    """The application with `command` registered (every command when it is not one)."""
    module = COMMAND_MODULES.get(command or "")
    if module is None:
        return load_all()
    import_module(f"falco_exceptions.cli.{module}")
    from falco_exceptions.cli.app import app

    return app


def load_all() -> typer.Typer:
    for module in sorted(set(COMMAND_MODULES.values())):  # the order of `--help`
        import_module(f"falco_exceptions.cli.{module}")
    from falco_exceptions.cli.app import app

    return app


def main() -> None:
    load_all()()
