"""`suggest` through the real command line: every alert shape, the document, --append."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import cli, entry_point, run_entry_point

SAMPLES = Path(__file__).parents[1] / "alerts" / "samples"
ENTRY = [
    "  - rule: Read sensitive file untrusted",
    "    proc.name: awsagent",
    "    fd.name: /etc/pam.d/config-util",
    "    justification: TODO  # why is this safe? validate rejects TODO (FE104)",
]


def entry_lines(stdout: str) -> list[str]:
    return [
        line for line in stdout.splitlines() if line.startswith("  -") or line.startswith("    ")
    ]


@pytest.mark.parametrize(
    ("sample", "falco"),
    [
        ("founding.txt", "0.26.2"),
        ("founding.json", "0.26.2"),
        ("founding.fluentbit.jsonl", "0.26.2"),
        ("founding.cloudwatch.json", "0.26.2"),
        ("founding.loki.jsonl", "0.26.2"),
        ("founding.sidekick.json", "0.26.2"),
        ("founding-rules-4.txt", "0.44.1"),
    ],
)
def test_the_founding_alert_in_every_shape_gives_the_same_entry(sample: str, falco: str) -> None:
    run = run_entry_point("suggest", SAMPLES / sample, "--falco-version", falco)
    assert run.exit_code == 0, run.stderr
    assert entry_lines(run.stdout) == ENTRY
    assert "apiVersion: falco-exceptions/v1\nfalco:\n  version: " + falco in run.stdout
    assert run.stderr == "note: 1 entry from 1 alert(s)\n"


def test_standard_input() -> None:
    proc = subprocess.run(
        [entry_point(), "suggest", "-", "--falco-version", "0.26.2"],
        input=(SAMPLES / "founding.txt").read_text(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert entry_lines(proc.stdout) == ENTRY
    assert "  # 1 alert, first at 02:05:21.813285480 (<stdin>:1)" in proc.stdout


def test_an_invisible_character_from_an_alert_is_written_as_an_escape() -> None:
    alert = (
        (SAMPLES / "founding.txt").read_text().replace("program=awsagent", "program=aws\u202eagent")
    )
    proc = subprocess.run(
        [entry_point(), "suggest", "-", "--falco-version", "0.26.2"],
        input=alert,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert '    proc.name: "aws\\u202eagent"' in proc.stdout.splitlines()
    assert "\u202e" not in proc.stdout
    assert (
        "error FE102: exceptions[0].proc.name holds U+202E (RIGHT-TO-LEFT OVERRIDE)" in proc.stdout
    )


def test_lines_that_are_not_alerts_are_warnings_and_no_alert_is_exit_1() -> None:
    run = run_entry_point("suggest", SAMPLES / "falco-log.txt", "--falco-version", "0.26.2")
    assert run.exit_code == 1
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert lines[0].endswith(
        "falco-log.txt:1: warning: a message of Falco itself, not an alert; skipped"
    )
    assert lines[-1] == "falco-exceptions: error: no Falco alert in the input"


def test_the_suggestion_is_rejected_until_justified_then_renders_as_a_hand_written_entry(
    tmp_path: Path,
) -> None:
    suggested = tmp_path / "suggested.yaml"
    run = run_entry_point(
        "suggest", SAMPLES / "founding.txt", "--falco-version", "0.26.2", "-o", suggested
    )
    assert run.exit_code == 0
    rejected = run_entry_point("validate", suggested)
    assert rejected.exit_code == 1
    assert "error[FE104]: justification 'TODO' is a placeholder" in rejected.stdout
    why = "AWS Systems Manager agent reads PAM config during inventory."
    suggested.write_text(
        suggested.read_text().replace(
            "TODO  # why is this safe? validate rejects TODO (FE104)", why
        )
    )
    assert run_entry_point("validate", suggested).exit_code == 0
    hand = tmp_path / "hand.yaml"
    hand.write_text(
        "apiVersion: falco-exceptions/v1\nfalco:\n  version: 0.26.2\nexceptions:\n"
        "  - rule: Read sensitive file untrusted\n    proc.name: awsagent\n"
        f"    fd.name: /etc/pam.d/config-util\n    justification: {why}\n"
    )
    ours = run_entry_point("render", suggested).stdout
    theirs = run_entry_point("render", hand).stdout

    # The trace comments name each file (and line); everything else is the same bytes.
    def strip(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.lstrip().startswith("#")]

    assert strip(ours) == strip(theirs)
    assert "      condition: or (proc.name = awsagent and fd.name = /etc/pam.d/config-util)" in ours


def test_append_keeps_the_file_and_skips_what_it_already_excepts(tmp_path: Path) -> None:
    target = tmp_path / "exceptions.yaml"
    original = (
        "# Team exceptions, reviewed weekly.\n"
        "apiVersion: falco-exceptions/v1\n"
        "falco:\n"
        "  version: 0.26.2   # falco chart 1.5.7\n"
        "exceptions:\n"
        "  - rule: Read sensitive file untrusted  # the agent\n"
        "    proc.name: awsagent\n"
        "    fd.name: /etc/pam.d/config-util\n"
        "    justification: AWS Systems Manager agent reads PAM config during inventory.\n"
    )
    target.write_text(original)
    alerts = SAMPLES / "coverage" / "alerts-0.26.2.txt"
    run = run_entry_point("suggest", alerts, "--append", target, cwd=tmp_path)
    assert run.exit_code == 0, run.stderr
    assert run.stdout == ""
    assert (
        run.stderr
        == "note: 1 entry from 4 alert(s) (3 already excepted), written to exceptions.yaml\n"
    )
    text = target.read_text()
    assert text.startswith(original)
    assert text[len(original) :] == (
        f"  # 1 alert, first at 02:17:44.500000000 ({alerts}:4)\n"
        "  # info FE207: on Falco 0.26.2 this goes into hook macro "
        "user_known_read_sensitive_files_activities, which also excepts it from 'Read "
        "sensitive file trusted after startup'\n"
        "  - rule: Read sensitive file untrusted\n"
        "    proc.name: cat\n"
        "    fd.name: /etc/shadow\n"
        "    justification: TODO  # why is this safe? validate rejects TODO (FE104)\n"
    )
    again = run_entry_point("suggest", alerts, "--append", target)
    assert again.exit_code == 0
    assert "all 4 alerts are already excepted" in again.stderr
    assert target.read_text() == text


def test_append_to_a_missing_file_creates_it(tmp_path: Path) -> None:
    target = tmp_path / "new.yaml"
    run = cli("suggest", SAMPLES / "founding.txt", "--falco-version", "0.26.2", "--append", target)
    assert run.exit_code == 0
    assert entry_lines(target.read_text()) == ENTRY


def test_usage_errors(tmp_path: Path) -> None:
    missing = run_entry_point("suggest", tmp_path / "nope.log")
    assert (missing.exit_code, missing.stderr) == (
        2,
        f"falco-exceptions: error: alerts file {tmp_path / 'nope.log'} not found\n",
    )
    both = cli("suggest", SAMPLES / "founding.txt", "-o", "a.yaml", "--append", "b.yaml")
    assert both.exit_code == 2
