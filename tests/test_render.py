"""Golden files, one per Falco generation: `render` output pinned byte for byte, and the
rendered rules read back with a model of that generation's loader and parser."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from falco_exceptions.falco.versions import Parser, engine
from tests.conftest import FALCO_RULES, cli
from tests.falco.parser_model import quote_item, read_values

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if (p / "args").is_file())


def _render(case: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(case)
    run = cli("render", *(case / "args").read_text().split())
    assert run.exit_code == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _render(case, monkeypatch)
    expected = case / "expected.values.yaml"
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(out)
    assert out == expected.read_text()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rendered_values_read_back_exactly(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    values = YAML(typ="safe").load(_render(case, monkeypatch))
    rules_text = values["customRules"]["falco-exceptions.yaml"]
    items = YAML(typ="safe").load(rules_text)
    doc = YAML(typ="safe").load((case / "exceptions.yaml").read_text())
    lua = engine(doc["falco"]["version"])[0].parser is Parser.LUA
    wanted = sorted(
        v for e in doc["exceptions"] for v in _as_list(e["proc.name"]) + _as_list(e.get("fd.name"))
    )
    assert sorted(set(_read_back(items, lua))) == sorted(set(wanted))


def _read_back(items: list[dict[str, Any]], lua: bool) -> list[str]:
    found: list[str] = []
    for item in items:
        if "condition" in item:
            found += read_values(item["condition"], lua)
        for exc in item.get("exceptions", []):
            for row in exc["values"]:
                text = " and ".join(f"x = {quote_item(v)}" for v in row)
                found += read_values(text, lua)
    return found


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rendered_rules_match_falco_rules_schema(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema_file = FALCO_RULES / "rules.schema.json"
    if not schema_file.is_file():
        pytest.skip(f"{schema_file} is absent")
    from jsonschema import Draft6Validator

    values = YAML(typ="safe").load(_render(case, monkeypatch))
    items = YAML(typ="safe").load(values["customRules"]["falco-exceptions.yaml"])
    errors = list(Draft6Validator(json.loads(schema_file.read_text())).iter_errors(items))
    assert errors == []


def test_golden_covers_every_generation() -> None:
    generations = {
        engine(YAML(typ="safe").load((c / "exceptions.yaml").read_text())["falco"]["version"])[
            0
        ].generation
        for c in CASES
    }
    assert generations == {"< 0.28", "0.28 - 0.30", "0.31", "0.32 - 0.36", "0.37", ">= 0.38"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rendered_bytes_ignore_comments_file_names_and_the_working_directory(
    case: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Only what Falco loads and the review metadata count: a comment on top of the file,
    another file name or another working directory change nothing (the chart's
    `checksum/rules` would otherwise restart every Falco pod)."""
    before = _render(case, monkeypatch)
    moved = tmp_path / "elsewhere" / "renamed.yaml"
    moved.parent.mkdir()
    moved.write_text("# reviewed by the security team\n\n" + (case / "exceptions.yaml").read_text())
    args = [
        str(case / a) if a.endswith(".yaml") and a != "exceptions.yaml" else a
        for a in (case / "args").read_text().split()
    ]
    args = [str(moved) if a == "exceptions.yaml" else a for a in args]
    monkeypatch.chdir(tmp_path)
    after = cli("render", *args)
    assert after.exit_code == 0, after.stderr
    assert after.stdout == before


def test_the_trace_names_the_id_owner_ticket_and_expiry(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _render(GOLDEN / "falco-0.44", monkeypatch)
    assert (
        "# Read sensitive file untrusted: AWS Systems Manager agent reads PAM config during "
        "inventory. (id awsagent-pam, owner platform-team, ticket SEC-1234, expires 2027-06-30)"
    ) in out
