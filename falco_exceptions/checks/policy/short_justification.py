"""Warn when a justification is too short to review: fewer than 20 characters or 4 words.

A reviewer must be able to check the reason: which program, doing what, and why that is
expected here. "needed", "vendor agent" or "false positive" cannot be checked.
Placeholders such as TODO are already an error (FE104).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from falco_exceptions.diagnostics import Diagnostic, warning
from falco_exceptions.document import Entry
from falco_exceptions.policy import Context

CODE = "FE305"
MIN_CHARACTERS = 20
MIN_WORDS = 4


def check(entries: Sequence[Entry], context: Context) -> Iterator[Diagnostic]:
    for entry in entries:
        text = " ".join(entry.justification.split())
        words = len(text.split())
        if len(text) < MIN_CHARACTERS or words < MIN_WORDS:
            yield warning(
                entry.at("justification"),
                CODE,
                f"justification {text!r} is too short ({len(text)} characters, {words} "
                f"word(s); at least {MIN_CHARACTERS} and {MIN_WORDS}): say which program does "
                "what, and why that is expected here",
            )
