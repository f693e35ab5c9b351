"""Which entries silence an alert: what the rendered rules do, not the entry's text."""

from __future__ import annotations

from pathlib import Path

from falco_exceptions import document
from falco_exceptions.alerts.model import Alert
from falco_exceptions.alerts.silencing import Silencers
from tests.alerts.support import SAMPLES, target

COVERAGE = SAMPLES / "coverage"
UNTRUSTED = "Read sensitive file untrusted"
TRUSTED = "Read sensitive file trusted after startup"
EVENT = {"proc.name": "awsagent", "fd.name": "/etc/pam.d/config-util"}


def entries(version: str) -> tuple[document.Entry, ...]:
    doc, problems = document.load([COVERAGE / f"exceptions-{version}.yaml"])
    assert not problems
    return doc.entries


def alert(rule: str, **event: str | None) -> Alert:
    return Alert(rule, {**EVENT, **event}, "a", 1)


def test_a_hook_macro_on_0_26_silences_the_other_rule_it_guards() -> None:
    silencers = Silencers(entries("0.26.2"), target("0.26.2"))
    assert silencers.of(alert(UNTRUSTED)) == [0]
    assert silencers.of(alert(TRUSTED)) == [0]
    assert silencers.reached_rules(0) == (UNTRUSTED, TRUSTED)


def test_a_rule_exception_on_0_44_silences_only_its_rule() -> None:
    silencers = Silencers(entries("0.44.1"), target("0.44.1"))
    assert silencers.of(alert(UNTRUSTED)) == [0]
    assert silencers.of(alert(TRUSTED)) == []


def test_values_must_match_and_unset_matches_nothing() -> None:
    silencers = Silencers(entries("0.26.2"), target("0.26.2"))
    assert silencers.of(alert(UNTRUSTED, **{"fd.name": "/etc/shadow"})) == []
    assert silencers.of(alert(UNTRUSTED, **{"fd.name": None})) == []


def test_an_entry_of_a_rule_the_ruleset_lacks_silences_nothing(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        "apiVersion: falco-exceptions/v1\nexceptions:\n  - rule: Gone\n    proc.name: a\n"
        "    justification: An entry whose rule is not in the selected ruleset.\n"
    )
    doc, _ = document.load([path])
    assert (
        Silencers(doc.entries, target("0.26.2")).of(Alert("Gone", {"proc.name": "a"}, "a", 1)) == []
    )
