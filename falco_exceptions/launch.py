"""The console script: `--version` answers before anything else is imported.

Start-up is paid on every pre-commit run; typer and the command modules (which import
the core only when a command runs) load only for a real command.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from falco_exceptions import __version__

        print(f"falco-exceptions {__version__}")
        return
    from falco_exceptions.cli import main as cli_main

    cli_main()
