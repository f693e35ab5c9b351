"""What every command shares: `-f FILE` for exceptions files, and option errors in plain
words (no `Value error, ...` or other library wording)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO, cli, run_entry_point

EXAMPLE = REPO / "examples" / "exceptions.yaml"


@pytest.mark.parametrize(
    "command",
    [["render"], ["validate", "--today", "2026-01-01"], ["report", "--today", "2026-01-01"]],
)
def test_f_names_an_exceptions_file_as_in_helm(command: list[str]) -> None:
    by_flag = cli(*command, "-f", EXAMPLE)
    assert by_flag.exit_code == 0, by_flag.stderr
    assert by_flag.stdout == cli(*command, EXAMPLE).stdout


ALERT = (
    "2026-01-01T00:00:00.000000000+0000: Warning Sensitive file opened for reading by "
    "non-trusted program (user=root program=awsagent command=awsagent "
    "file=/etc/pam.d/config-util parent=systemd gparent=<NA> ggparent=<NA> gggparent=<NA> "
    "container_id=host image=<NA>)\n"
)


def test_f_names_the_exceptions_file_in_suggest_and_coverage(tmp_path: Path) -> None:
    suggest = " ".join(cli("suggest", "-h").stdout.replace("│", " ").split())
    assert re.search(r"-f, --append FILE|--append -f FILE", suggest), suggest
    alerts = tmp_path / "alerts.txt"
    alerts.write_text(ALERT)
    by_flag = cli("coverage", "-f", EXAMPLE, "--alerts", alerts)
    by_argument = cli("coverage", EXAMPLE, "--alerts", alerts)
    assert by_flag.exit_code == 0, by_flag.stdout + by_flag.stderr
    assert by_flag.stdout == by_argument.stdout and "awsagent" in by_flag.stdout


def test_f_is_repeatable_and_keeps_the_order_of_the_layers() -> None:
    layered = REPO / "tests" / "cases" / "layered"
    in_order = cli("validate", "-f", layered / "base.yaml", "-f", layered / "cluster-a.yaml")
    assert in_order.exit_code == 0, in_order.stdout
    reversed_ = cli("validate", "-f", layered / "cluster-a.yaml", "-f", layered / "base.yaml")
    assert reversed_.exit_code == 1
    assert "error[FE109]" in reversed_.stdout


def test_f_and_arguments_together_are_refused() -> None:
    run = cli("validate", EXAMPLE, "-f", EXAMPLE)
    assert run.exit_code == 2
    assert run.stderr == (
        "falco-exceptions: error: give the exceptions files either as arguments or with -f, "
        "not both (their order decides the layering)\n"
    )


def test_format_keeps_its_long_name_only() -> None:
    assert cli("validate", EXAMPLE, "--format", "json").stdout.startswith("{")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["validate", "--format", "xml"],
            "'xml' is not a format; use one of text, json, github, sarif",
        ),
        (["validate", "--expiry-warning-days", "-1"], "'-1' is not a number of days: write 0 to"),
        (["report", "--expiry-warning-days", "many"], "'many' is not a number of days: write 0 to"),
        (["validate", "--expiry-warning-days", "9" * 5000], "is not a number of days: write 0 to"),
        (["validate", "--today", "2027-13-01"], "'2027-13-01' is not a date written YYYY-MM-DD"),
        (["rules", "list", "--format", "yaml"], "'yaml' is not a format; use one of text, json"),
        (
            ["coverage", "--alerts", "-", "--format", "x"],
            "'x' is not a format; use one of text, json",
        ),
    ],
)
def test_option_errors_are_plain_words(args: list[str], expected: str) -> None:
    run = run_entry_point(*args, *([EXAMPLE] if args[0] in ("validate", "report") else []))
    assert run.exit_code == 2
    words = " ".join(run.stderr.replace("│", " ").split())
    assert expected in words
    for raw in ("Value error", "Input should be", "Traceback", "greater than or equal"):
        assert raw not in run.stderr
