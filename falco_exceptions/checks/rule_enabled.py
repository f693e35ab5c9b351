"""Warn when the rule is disabled in the selected ruleset (`enabled: false`).

The exception is still rendered, but it has no effect until the rule is enabled; it may
also mean the entry is stale.
"""

from __future__ import annotations

from collections.abc import Iterator

from falco_exceptions.diagnostics import Diagnostic, warning
from falco_exceptions.document import Entry
from falco_exceptions.target import Target

CODE = "FE204"


def check(entry: Entry, target: Target) -> Iterator[Diagnostic]:
    if not target.catalog.rules[entry.rule].enabled:
        yield warning(
            entry.at("rule"),
            CODE,
            f"rule {entry.rule!r} is disabled in {target.catalog.name}; "
            "this exception has no effect unless you enable the rule",
        )
