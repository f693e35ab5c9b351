"""The console script: `--version` answers before anything else is imported.

Start-up is paid on every pre-commit run; typer and the command modules (which import
the core only when a command runs) load only for a real command.
"""

from __future__ import annotations

import gc
import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from falco_exceptions import __version__

        print(f"falco-exceptions {__version__}")
        return
    # A short-lived process that builds a large acyclic tree: the cycle collector's
    # passes over it cost a third of a 10,000-entry render and free nothing.
    gc.set_threshold(100_000, 50, 100)
    from falco_exceptions.cli import main as cli_main

    cli_main()
