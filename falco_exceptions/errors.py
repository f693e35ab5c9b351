"""The one error type of the core, and the exit codes, defined once.

Core functions report problems in the input as diagnostics; they raise `FatalError`
only when they cannot go on at all (an unknown Falco version, an unreadable file).
Only the command line turns either into an exit code.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    FINDINGS = 1  # invalid input, policy findings, or drift (--check)
    USAGE = 2  # bad options, unknown version or ruleset, missing file


class FatalError(Exception):
    """A problem that stops the command; `exit_code` says how the CLI ends."""

    def __init__(
        self, message: str, exit_code: ExitCode = ExitCode.USAGE, *, located: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.located = located  # the message is already `file:line:col: error[CODE]: ...`
