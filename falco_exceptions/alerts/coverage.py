"""`coverage`: how many of the given alerts each exception silences, and what is left.

Counted from what the rendered rules do on the selected Falco (see `silencing`): an entry
excepting one rule through a shared hook macro also silences the other rules that macro
guards. An alert silenced by two entries counts for both. The alerts no entry silences
are grouped by rule and the narrowing fields (`narrowing`), most first: the noise that is
left, and what `suggest` would start from. Memory follows the number of groups.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from falco_exceptions.alerts import narrowing
from falco_exceptions.alerts.model import Alert
from falco_exceptions.alerts.silencing import Silencers
from falco_exceptions.document import Entry


@dataclass
class EntryCoverage:
    entry: Entry
    by_rule: Counter[str] = field(default_factory=Counter)  # alerts silenced, per rule

    @property
    def matched(self) -> int:
        return sum(self.by_rule.values())


@dataclass(frozen=True)
class Remaining:
    rule: str
    values: tuple[tuple[str, str | None], ...]  # the narrowing fields, None when unset
    count: int


@dataclass(frozen=True)
class Coverage:
    entries: tuple[EntryCoverage, ...]
    remaining: tuple[Remaining, ...]  # most alerts first, then first seen
    alerts: int
    silenced: int  # alerts silenced by at least one entry

    @property
    def unused(self) -> tuple[EntryCoverage, ...]:
        return tuple(e for e in self.entries if e.matched == 0)


def coverage(alerts: Iterable[Alert], silencers: Silencers) -> Coverage:
    entries = tuple(EntryCoverage(e) for e in silencers.entries)
    rows = narrowing.active()
    left: Counter[tuple[str, tuple[tuple[str, str | None], ...]]] = Counter()
    total = silenced = 0
    for alert in alerts:
        total += 1
        found = silencers.of(alert)
        for i in found:
            entries[i].by_rule[alert.rule] += 1
        if found:
            silenced += 1
        else:
            left[(alert.rule, narrowing.values(alert.event, rows))] += 1
    remaining = tuple(
        Remaining(rule, values, count) for (rule, values), count in left.most_common()
    )
    return Coverage(entries, remaining, total, silenced)
