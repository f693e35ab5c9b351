"""SARIF 2.1.0: valid against the standard's schema, with the rules GitHub shows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from falco_exceptions import __version__
from falco_exceptions.codes import all_codes
from falco_exceptions.diagnostics import Position, error, info, warning
from falco_exceptions.reporters import sarif
from tests.conftest import REPO, SHARED, cli, run_entry_point

SARIF_SCHEMA = SHARED / "external-schemas" / "sarif-schema-2.1.0.json"
REVIEW = REPO / "tests" / "cases" / "review"


@pytest.fixture
def sarif_validator() -> Any:
    if not SARIF_SCHEMA.parent.is_dir():
        pytest.skip(f"{SARIF_SCHEMA.parent} is absent")
    from jsonschema import Draft4Validator

    schema = json.loads(SARIF_SCHEMA.read_text())
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def _errors(validator: Any, log: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]


def test_a_report_validates_against_the_sarif_schema(sarif_validator: Any, tmp_path: Path) -> None:
    log = json.loads(
        sarif.report(
            [
                error(Position("exceptions.yaml", 12, 14), "FE301", "expired"),
                warning(Position(str(tmp_path / "a b.yaml"), 3, 5), "FE303", "broad"),
                info(Position("exceptions.yaml"), "FE207", "no line"),
            ],
            base=tmp_path,
        )
    )
    assert _errors(sarif_validator, log) == []
    run = log["runs"][0]
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("FE301", "error"),
        ("FE303", "warning"),
        ("FE207", "note"),
    ]
    first = results[0]["locations"][0]["physicalLocation"]
    assert first == {
        "artifactLocation": {"uri": "exceptions.yaml"},
        "region": {"startLine": 12, "startColumn": 14},
    }
    assert results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a%20b.yaml"
    assert results[2]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1,
        "startColumn": 1,
    }
    rules = run["tool"]["driver"]["rules"]
    assert rules[results[0]["ruleIndex"]]["id"] == "FE301"


def test_the_driver_documents_every_code_from_the_check_docstrings() -> None:
    driver = json.loads(sarif.report([]))["runs"][0]["tool"]["driver"]
    assert driver["name"] == "falco-exceptions"
    assert driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == [d.code for d in all_codes()]
    broad = next(r for r in driver["rules"] if r["id"] == "FE303")
    assert broad["name"] == "Broad"
    assert broad["shortDescription"]["text"].startswith("Warn when an exception is broad")
    assert "shell, an interpreter or a package manager" in broad["fullDescription"]["text"]
    assert broad["help"]["text"] == broad["fullDescription"]["text"]


def test_validate_sarif_on_the_review_cases_is_valid(
    sarif_validator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REVIEW)
    cases = ["expired.yaml", "broad.yaml", "overlap.yaml", "justification-quality.yaml"]
    run = cli("validate", "--format", "sarif", "--separately", "--today", "2026-03-01", *cases)
    assert run.exit_code == 1
    log = json.loads(run.stdout)
    assert _errors(sarif_validator, log) == []
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == set(cases)


def test_real_entry_point_prints_sarif(sarif_validator: Any) -> None:
    run = run_entry_point(
        "validate", "--format", "sarif", "--today", "2026-03-01", "expired.yaml", cwd=REVIEW
    )
    assert run.exit_code == 1
    log = json.loads(run.stdout)
    assert _errors(sarif_validator, log) == []
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["FE207", "FE301"]


def test_a_problem_with_a_whole_file_still_has_a_region(
    sarif_validator: Any, tmp_path: Path
) -> None:
    run = run_entry_point("validate", "--format", "sarif", "missing.yaml", cwd=tmp_path)
    assert run.exit_code == 1
    log = json.loads(run.stdout)
    assert _errors(sarif_validator, log) == []
    (result,) = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1,
        "startColumn": 1,
    }
