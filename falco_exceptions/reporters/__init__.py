"""Diagnostics formatted for people and machines; pick one by name."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from falco_exceptions.diagnostics import Diagnostic
from falco_exceptions.reporters import json_format, text

Reporter = Callable[[Sequence[Diagnostic]], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.report,
    "json": json_format.report,
}
