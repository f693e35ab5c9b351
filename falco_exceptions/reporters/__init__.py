"""Diagnostics formatted for people and machines; pick one by name.

Every reporter takes the diagnostics (sorted) and returns the whole output as text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from falco_exceptions.diagnostics import Diagnostic
from falco_exceptions.reporters import github, json_format, sarif, text

Reporter = Callable[[Sequence[Diagnostic]], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.report,
    "json": json_format.report,
    "github": github.report,
    "sarif": sarif.report,
}
