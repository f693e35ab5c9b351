"""Command line: parse options, call the core, print, exit. Nothing else lives here."""

from __future__ import annotations

from falco_exceptions.cli import (  # noqa: F401  (registers commands)
    charts,
    coverage,
    info,
    render,
    report,
    rules,
    suggest,
    upgrade,
    validate,
)
from falco_exceptions.cli.app import app


def main() -> None:
    app()
