"""Warn when a justification is a copy of another entry's.

The same sentence under two exceptions usually means one was copied and not thought
through, or that the two should be one entry (a field takes a list of values). Case,
spacing and final punctuation are ignored when comparing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from falco_exceptions.diagnostics import Diagnostic, warning
from falco_exceptions.document import Entry
from falco_exceptions.policy import Context

CODE = "FE306"


def check(entries: Sequence[Entry], context: Context) -> Iterator[Diagnostic]:
    first: dict[str, Entry] = {}
    for entry in entries:
        original = first.setdefault(_normal(entry.justification), entry)
        if original is not entry:
            yield warning(
                entry.at("justification"),
                CODE,
                f"justification is a copy of the one at {original.at('justification')}: "
                "explain this exception on its own, or merge the two entries (a field takes "
                "a list of values)",
            )


def _normal(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".!;: ")
