"""From an alert to its rule and values: every shape, and never a silent guess."""

from __future__ import annotations

import json

import pytest

from falco_exceptions.alerts.model import Warnings
from falco_exceptions.alerts.resolve import Resolver
from tests.alerts.support import FOUNDING, SAMPLES, read, target

FOUNDING_FILES = [
    "founding.txt",
    "founding.json",
    "founding.fluentbit.jsonl",
    "founding.cloudwatch.json",
    "founding.loki.jsonl",
    "founding.sidekick.json",
]


@pytest.mark.parametrize("name", FOUNDING_FILES)
def test_the_founding_alert_in_every_shape(name: str) -> None:
    warnings = Warnings()
    with (SAMPLES / name).open() as handle:
        [alert] = Resolver(target("0.26.2"), warnings).alerts(handle, name)
    assert alert.rule == "Read sensitive file untrusted"
    assert alert.event.get("proc.name") == "awsagent"
    assert alert.event.get("fd.name") == "/etc/pam.d/config-util"
    assert alert.event.get("container.id") == "host"
    assert alert.event.get("container.image.repository") is None
    assert not warnings.shown


def test_the_rules_4_style_alert_on_a_falco_that_runs_those_rules() -> None:
    text = (SAMPLES / "founding-rules-4.txt").read_text()
    [alert], warnings = read(text, "0.41.3")
    assert (alert.rule, alert.event["proc.name"], alert.event["fd.name"]) == (
        "Read sensitive file untrusted",
        "awsagent",
        "/etc/pam.d/config-util",
    )
    assert alert.event["proc.exepath"] == "/usr/bin/awsagent"
    assert not warnings.shown


def test_an_alert_in_the_output_of_another_ruleset_is_taken_and_said() -> None:
    text = (SAMPLES / "founding-rules-4.txt").read_text()
    [alert], warnings = read(text, "0.26.2")
    assert alert.rule == "Read sensitive file untrusted"
    assert alert.event["proc.name"] == "awsagent"
    [said] = warnings.shown
    assert "in falco-rules-5.1.0 (Falco 0.42.1-0.44.1), not its output in falco-0.26.2" in str(said)


def test_an_alert_of_a_rule_the_selected_ruleset_lacks_is_skipped_naming_where_it_is() -> None:
    line = json.dumps({"rule": "Drop and execute new binary in container", "output": "x"})
    alerts, warnings = read(line, "0.26.2")
    assert alerts == []
    [said] = warnings.shown
    assert str(said).startswith(
        "in.txt:1: warning: rule 'Drop and execute new binary in container' is not in "
        "falco-0.26.2 (Falco 0.26.2); it exists in falco-rules-5.1.0 (Falco 0.42.1-0.44.1)"
    )


def test_an_unknown_rule_name_points_at_rules_file() -> None:
    line = json.dumps({"rule": "My own rule", "output": "x", "output_fields": {}})
    alerts, warnings = read(line)
    assert alerts == []
    assert "is in no bundled ruleset" in str(warnings.shown[0])


def test_rules_with_the_same_output_are_not_guessed() -> None:
    line = (
        "02:05:21.1: Warning Shell history had been deleted or renamed (user=root "
        "user_loginuid=-1 type=unlink command=rm .bash_history fd.name=/root/.bash_history "
        "name=/root/.bash_history path=<NA> oldpath=<NA> host (id=host))"
    )
    alerts, warnings = read(line, "0.26.2")
    assert alerts == []
    assert "fits several rules of falco-0.26.2 (Falco 0.26.2) ('Delete or rename shell " in str(
        warnings.shown[0]
    )


def test_rules_with_the_same_output_but_one_cannot_fire_here() -> None:
    line = (
        "Disallowed SSH Connection | connection=10.0.0.1:22->10.0.0.2:4242 lport=22 rport=4242 "
        "fd_type=ipv4 fd_proto=tcp evt_type=connect user=root user_uid=0 user_loginuid=-1 "
        "process=ssh proc_exepath=/usr/bin/ssh parent=bash command=ssh x terminal=0"
    )
    [alert], warnings = read(line, "0.41.3")
    # the other rule of that output is disabled, in a file Falco does not load
    assert alert.rule == "Disallowed SSH Connection Non Standard Port"
    assert not warnings.shown


def test_falco_log_lines_and_garbage_are_warnings_and_the_rest_goes_on() -> None:
    text = "\n".join(
        [
            (SAMPLES / "falco-log.txt").read_text(),
            (SAMPLES / "garbage.txt").read_text(errors="replace"),
            FOUNDING,
        ]
    )
    alerts, warnings = read(text)
    assert [a.rule for a in alerts] == ["Read sensitive file untrusted"]
    said = [str(w) for w in warnings.shown]
    assert said[0] == "in.txt:1: warning: a message of Falco itself, not an alert; skipped"
    assert any("not valid JSON" in s for s in said)
    assert any(s.endswith("warning: not a Falco alert; skipped") for s in said)
    assert warnings.count == 7


def test_many_warnings_of_a_kind_are_counted_not_kept() -> None:
    alerts, warnings = read("\n".join(f"garbage {i}" for i in range(100)))
    assert alerts == []
    assert len(warnings.shown) == 5
    assert list(warnings.lines())[-1] == (
        "warning: 95 more lines like this: not a Falco alert; skipped"
    )
