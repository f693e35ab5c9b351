"""Finding rules by what their alerts say."""

from __future__ import annotations

from falco_exceptions.alerts.ruleset import RulesetIndex
from falco_exceptions.catalog import load_bundled_catalog

INDEX = RulesetIndex(load_bundled_catalog("falco-0.26.2"))


def test_the_start_of_the_message_names_the_rule() -> None:
    text = "Sensitive file opened for reading by non-trusted program"
    assert INDEX.by_alert_text(text) == ["Read sensitive file untrusted"]
    assert INDEX.by_alert_text(text.upper()) == ["Read sensitive file untrusted"]


def test_a_whole_alert_line_names_its_rule() -> None:
    line = (
        "02:05:21.813285480: Warning Sensitive file opened for reading by non-trusted "
        "program (user=root ...)"
    )
    assert INDEX.by_alert_text(line) == ["Read sensitive file untrusted"]


def test_a_shorter_start_can_name_several_and_a_tiny_one_none() -> None:
    assert INDEX.by_alert_text("Sensitive file opened") == [
        "Read sensitive file trusted after startup",
        "Read sensitive file untrusted",
    ]
    assert INDEX.by_alert_text("Sensitive") == []


def test_by_output_finds_the_format() -> None:
    found = INDEX.by_output("Sensitive file opened for reading by non-trusted program (user=root)")
    assert [f.rule for f in found] == ["Read sensitive file untrusted"]
    assert INDEX.by_output("Nothing like a rule") == []
