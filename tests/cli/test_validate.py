"""`validate` / `lint`: formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO, cli, run_entry_point

EXAMPLE = REPO / "examples" / "exceptions.yaml"
TODAY = ("--today", "2026-01-01")  # the example expires 2027-06-30: keep the tests timeless


@pytest.fixture(autouse=True)
def _text_format_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under GitHub Actions validate prints workflow commands; these tests read text."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def test_clean_file_exits_0() -> None:
    run = run_entry_point("validate", EXAMPLE, *TODAY)
    assert run.exit_code == 0, run.stdout
    assert run.stdout.endswith("0 error(s), 0 warning(s), 1 info\n")


def test_lint_is_an_alias() -> None:
    assert cli("lint", EXAMPLE, *TODAY).stdout == cli("validate", EXAMPLE, *TODAY).stdout


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    src = tmp_path / "x.yaml"
    src.write_text(
        "apiVersion: falco-exceptions/v1\n"
        "falco: {version: 0.44.1}\n"
        "exceptions:\n"
        "  - rule: Nope\n"
        "    proc.name: a\n"
        "    justification: The first entry has an unknown rule name in it.\n"
        "  - rule: Read sensitive file untrusted\n"
        "    proc_name: b\n"
        "    justification: The second entry misspells the process name key.\n"
    )
    run = cli("validate", src)
    assert run.exit_code == 1
    codes = [line.split("[")[1].split("]")[0] for line in run.stdout.splitlines() if "[" in line]
    # the entry that failed the schema is left out; the other still gets its rule checks
    assert codes == ["FE201", "FE102", "FE103"]


def test_json_format_is_versioned() -> None:
    run = cli("validate", EXAMPLE, "--format", "json", *TODAY)
    doc = json.loads(run.stdout)
    assert doc["version"] == 1
    assert doc["summary"] == {"error": 0, "warning": 0, "info": 1}
    assert doc["diagnostics"][0]["code"] == "FE207"


def test_usage_error_exits_2() -> None:
    run = run_entry_point("validate", "--format", "yaml", EXAMPLE)
    assert run.exit_code == 2


def _write(tmp_path: Path, name: str, justification: str, proc: str = "awsagent") -> Path:
    path = tmp_path / name
    path.write_text(
        "apiVersion: falco-exceptions/v1\nfalco: {version: 0.44.1}\nexceptions:\n"
        f"  - rule: Read sensitive file untrusted\n    proc.name: {proc}\n"
        f"    fd.name: /etc/pam.d/config-util\n    justification: {justification}\n"
    )
    return path


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    src = _write(tmp_path, "x.yaml", "vendor agent")
    assert cli("validate", src).exit_code == 0
    strict = run_entry_point("validate", "--strict", src)
    assert strict.exit_code == 1
    assert "warning[FE305]" in strict.stdout


def test_expiry_window_and_date_options() -> None:
    soon = cli("validate", EXAMPLE, "--today", "2027-06-01", "--expiry-warning-days", "30")
    assert "warning[FE302]: expires on 2027-06-30, in 29 day(s)" in soon.stdout
    assert "FE302" not in cli("validate", EXAMPLE, "--today", "2027-06-01").stdout
    expired = cli("validate", EXAMPLE, "--today", "2027-07-01")
    assert expired.exit_code == 1
    assert "error[FE301]: expired on 2027-06-30 (1 day(s) ago)" in expired.stdout


def test_a_bad_date_or_window_is_a_usage_error() -> None:
    run = run_entry_point("validate", EXAMPLE, "--today", "2026-13-01")
    assert run.exit_code == 2
    assert "'2026-13-01' is not a date written YYYY-MM-DD" in run.stderr
    assert cli("validate", EXAMPLE, "--expiry-warning-days", "-1").exit_code == 2


def test_files_are_layered_unless_separately(tmp_path: Path) -> None:
    why = "AWS Systems Manager agent reads PAM config during inventory."
    one, two = _write(tmp_path, "a.yaml", why), _write(tmp_path, "b.yaml", why, "ssm-agent")
    layered = cli("validate", one, two, *TODAY)
    assert f"{two}:7:20: warning[FE306]: justification is a copy of the one at {one}:7:20" in (
        layered.stdout
    )
    alone = cli("validate", "--separately", one, two, *TODAY)
    assert alone.exit_code == 0
    assert "FE306" not in alone.stdout


def test_list_checks_documents_every_code() -> None:
    run = run_entry_point("validate", "--list-checks")
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert "FE303  broad" in lines
    assert (
        "    Warn when an exception is broad: it silences much more than one program doing one"
        in (lines)
    )
    assert "FE109  unknown-removal" in lines
