"""Coverage: counts per entry and rule, what is left, what is unused."""

from __future__ import annotations

from falco_exceptions import document
from falco_exceptions.alerts.coverage import Coverage, coverage
from falco_exceptions.alerts.model import Warnings
from falco_exceptions.alerts.resolve import Resolver
from falco_exceptions.alerts.silencing import Silencers
from tests.alerts.support import SAMPLES, target

COVERAGE = SAMPLES / "coverage"


def measure(version: str, alerts: str) -> Coverage:
    doc, _ = document.load([COVERAGE / f"exceptions-{version}.yaml"])
    chosen = target(version)
    with (COVERAGE / alerts).open() as handle:
        read = Resolver(chosen, Warnings()).alerts(handle, alerts)
        return coverage(read, Silencers(doc.entries, chosen))


def test_on_0_26_the_hook_macro_covers_both_rules() -> None:
    result = measure("0.26.2", "alerts-0.26.2.txt")
    first, unused = result.entries
    assert dict(first.by_rule) == {
        "Read sensitive file untrusted": 2,
        "Read sensitive file trusted after startup": 1,
    }
    assert unused.matched == 0
    assert result.unused == (unused,)
    assert [(r.rule, r.values, r.count) for r in result.remaining] == [
        (
            "Read sensitive file untrusted",
            (
                ("proc.name", "cat"),
                ("container.image.repository", None),  # a host alert: no workload
                ("k8s.ns.name", None),
                ("fd.name", "/etc/shadow"),
            ),
            1,
        )
    ]
    assert (result.alerts, result.silenced) == (4, 3)


def test_on_0_44_the_rule_exception_covers_its_rule_only() -> None:
    result = measure("0.44.1", "alerts-0.44.1.jsonl")
    first, _ = result.entries
    assert dict(first.by_rule) == {"Read sensitive file untrusted": 2}
    assert [r.rule for r in result.remaining] == [
        "Read sensitive file trusted after startup",
        "Read sensitive file untrusted",
    ]
