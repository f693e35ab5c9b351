"""Warn when the hook macro guards only one branch of the rule's condition.

Before Falco 0.31, and on 0.32 - 0.37, a rule whose condition has a top-level `or` is
excepted through its hook macro. If the hook sits in one `or` branch
(`A or B and not hook`), alerts from the other branch still fire. Falco 0.31 or >= 0.38
can express the exception for the whole rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from falco_exceptions.diagnostics import Diagnostic, warning
from falco_exceptions.document import Entry
from falco_exceptions.mechanism import Kind, Mechanism, choose
from falco_exceptions.target import Target

CODE = "FE208"


def check(entry: Entry, target: Target) -> Iterator[Diagnostic]:
    rule = target.catalog.rules[entry.rule]
    chosen = choose(rule, target)
    if isinstance(chosen, Mechanism) and chosen.kind is Kind.HOOK_MACRO and rule.top_level_or:
        yield warning(
            entry.at("rule"),
            CODE,
            f"rule {entry.rule!r} has a top-level `or`, so its hook macro {chosen.hook} guards "
            "only one branch of it; alerts from the other branches still fire (Falco 0.31 or "
            ">= 0.38 can except the whole rule)",
        )
