"""`validate` / `lint`: formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import REPO, cli, run_entry_point

EXAMPLE = REPO / "examples" / "exceptions.yaml"


def test_clean_file_exits_0() -> None:
    run = run_entry_point("validate", EXAMPLE)
    assert run.exit_code == 0, run.stdout
    assert run.stdout.endswith("0 error(s), 0 warning(s), 1 info\n")


def test_lint_is_an_alias() -> None:
    assert cli("lint", EXAMPLE).stdout == cli("validate", EXAMPLE).stdout


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
    assert codes == ["FE102", "FE103"]  # schema errors stop the file before rule checks


def test_json_format_is_versioned() -> None:
    run = cli("validate", EXAMPLE, "--format", "json")
    doc = json.loads(run.stdout)
    assert doc["version"] == 1
    assert doc["summary"] == {"error": 0, "warning": 0, "info": 1}
    assert doc["diagnostics"][0]["code"] == "FE207"


def test_usage_error_exits_2() -> None:
    run = run_entry_point("validate", "--format", "yaml", EXAMPLE)
    assert run.exit_code == 2
