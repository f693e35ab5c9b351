"""Command line: parse options, call the core, print, exit. Nothing else lives here."""

from __future__ import annotations

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


def main() -> None:
    app()
