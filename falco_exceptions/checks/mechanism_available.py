"""There must be a safe way to express the exception on the selected Falco.

Refused when the rule has no hook macro and a top-level `or` in its condition, on a
Falco that cannot add a rule exception which guards the whole condition (before 0.31,
and 0.32 - 0.37). The message names a Falco version that can.
"""

from __future__ import annotations

from collections.abc import Iterator

from falco_exceptions.diagnostics import Diagnostic, error
from falco_exceptions.document import Entry
from falco_exceptions.mechanism import Refusal, choose
from falco_exceptions.target import Target

CODE = "FE206"


def check(entry: Entry, target: Target) -> Iterator[Diagnostic]:
    chosen = choose(target.catalog.rules[entry.rule], target)
    if isinstance(chosen, Refusal):
        yield error(entry.at("rule"), CODE, f"cannot be expressed safely: {chosen.reason}")
