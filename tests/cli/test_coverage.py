"""`coverage` through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import cli, run_entry_point

SAMPLES = Path(__file__).parents[1] / "alerts" / "samples" / "coverage"


def test_a_0_26_hook_macro_silences_a_second_rule() -> None:
    run = run_entry_point(
        "coverage",
        SAMPLES / "exceptions-0.26.2.yaml",
        "--alerts",
        SAMPLES / "alerts-0.26.2.txt",
    )
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == (
        "# Falco 0.26.2, rules falco-0.26.2: what each exception silences of these alerts"
    )
    assert lines[1].endswith(
        "exceptions-0.26.2.yaml:5       3  Read sensitive file untrusted: proc.name=awsagent "
        "fd.name=/etc/pam.d/config-util"
    )
    assert lines[2].strip() == (
        "through hook macro user_known_read_sensitive_files_activities: Read sensitive file "
        "untrusted 2, Read sensitive file trusted after startup 1"
    )
    assert lines[3].endswith(
        "0  Clear Log Activities: proc.name=logrotate fd.name=/var/log/syslog  "
        "(unused for these alerts)"
    )
    assert lines[5] == "       1  Read sensitive file untrusted: proc.name=cat fd.name=/etc/shadow"


def test_a_0_44_rule_exception_does_not_and_json_says_so() -> None:
    run = run_entry_point(
        "coverage",
        SAMPLES / "exceptions-0.44.1.yaml",
        "--alerts",
        SAMPLES / "alerts-0.44.1.jsonl",
        "--format",
        "json",
    )
    assert run.exit_code == 0, run.stderr
    doc = json.loads(run.stdout)
    assert [(e["line"], e["rule"], e["matched"]) for e in doc["exceptions"]] == [
        (5, "Read sensitive file untrusted", 2),
        (9, "Clear Log Activities", 0),
    ]
    host = {"container.image.repository": None, "k8s.ns.name": None}  # unset on the host
    assert doc["remaining"] == [
        {
            "rule": "Read sensitive file trusted after startup",
            "proc.name": "awsagent",
            **host,
            "fd.name": "/etc/pam.d/config-util",
            "count": 1,
        },
        {
            "rule": "Read sensitive file untrusted",
            "proc.name": "cat",
            **host,
            "fd.name": "/etc/shadow",
            "count": 1,
        },
    ]
    assert [u["rule"] for u in doc["unused"]] == ["Clear Log Activities"]
    assert (doc["alerts"], doc["silenced"]) == (4, 2)


def test_fail_on_unused() -> None:
    run = run_entry_point(
        "coverage",
        SAMPLES / "exceptions-0.44.1.yaml",
        "--alerts",
        SAMPLES / "alerts-0.44.1.jsonl",
        "--fail-on-unused",
    )
    assert run.exit_code == 1
    assert run.stderr.endswith(
        "falco-exceptions: error: 1 exception(s) silence none of these alerts\n"
    )


def test_exceptions_that_do_not_render_are_not_measured(tmp_path: Path) -> None:
    broken = tmp_path / "x.yaml"
    broken.write_text(
        "apiVersion: falco-exceptions/v1\nfalco: {version: 0.44.1}\nexceptions:\n"
        "  - rule: Nope\n    proc.name: a\n    justification: A rule that is not in the ruleset.\n"
    )
    run = cli("coverage", broken, "--alerts", SAMPLES / "alerts-0.44.1.jsonl")
    assert run.exit_code == 1
    assert "error[FE201]" in run.stderr
    assert run.stdout == ""


def test_alerts_are_required() -> None:
    run = cli("coverage", SAMPLES / "exceptions-0.44.1.yaml")
    assert run.exit_code == 2
    assert "--alerts" in run.stderr
