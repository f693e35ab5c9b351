"""Which exceptions silence an alert: what the rendered rules do on the selected Falco.

An entry silences an alert when the alert's rule is one of the rules its rendered form
reaches (`mechanism.silenced_rules`: a rule exception or condition append reaches only its
own rule; an `or (...)` appended to a hook macro reaches every loaded rule guarded by that
macro, falco-facts section 4) and the entry's tuple test holds for the alert's field
values (`Entry.matches`, the one definition of what an entry excepts).
"""

from __future__ import annotations

from collections.abc import Sequence

from falco_exceptions.alerts.model import Alert
from falco_exceptions.document import Entry
from falco_exceptions.mechanism import silenced_rules
from falco_exceptions.target import Target


class Silencers:
    """The entries indexed by the rules they reach, to ask of each alert who silences it."""

    def __init__(self, entries: Sequence[Entry], target: Target) -> None:
        self.entries = tuple(entries)
        self._by_rule: dict[str, list[int]] = {}
        for i, entry in enumerate(self.entries):
            rule = target.catalog.rules.get(entry.rule)
            if rule is None:
                continue
            for name in silenced_rules(rule, target):
                self._by_rule.setdefault(name, []).append(i)

    def of(self, alert: Alert) -> list[int]:
        """The indexes of the entries that silence `alert`."""
        return [
            i for i in self._by_rule.get(alert.rule, ()) if self.entries[i].matches(alert.event)
        ]

    def reached_rules(self, index: int) -> tuple[str, ...]:
        return tuple(rule for rule, found in self._by_rule.items() if index in found)
