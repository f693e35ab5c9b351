"""Golden files, one per Falco generation: `render` output pinned byte for byte, and the
rendered rules read back with a model of that generation's loader and parser."""

from __future__ import annotations

import itertools
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from falco_exceptions.falco.versions import Parser, engine
from tests.conftest import FALCO_RULES, cli
from tests.falco.condition_model import Conjunction, comparisons
from tests.falco.loader_model import exception_condition

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
def test_rendered_rules_hold_exactly_the_declared_comparisons(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each entry's rendered condition, built and parsed the way its Falco generation does
    (tests/falco), holds exactly the comparisons the entry declares: the same fields,
    operators and values, all of them required (`and`), any of a list (`or`)."""
    values = YAML(typ="safe").load(_render(case, monkeypatch))
    rules_text = values["customRules"]["falco-exceptions.yaml"]
    doc = YAML().load((case / "exceptions.yaml").read_text())
    lua = engine(doc["falco"]["version"])[0].parser is Parser.LUA
    rendered: dict[int, set[Conjunction]] = {}
    for line, condition in _traced_conditions(rules_text):
        rendered.setdefault(line, set()).update(comparisons(condition, lua))
    declared = {
        doc["exceptions"].lc.item(i)[0] + 1: _declared(entry)
        for i, entry in enumerate(doc["exceptions"])
    }
    assert rendered == declared


def _traced_conditions(rules_text: str) -> list[tuple[int, str]]:
    """(entry line, condition) for every rendered item and exception row, the entry being
    the one named by the trace comment above it."""
    lines = rules_text.splitlines()
    traces = {i: int(m["line"]) for i, text in enumerate(lines) if (m := _TRACE.match(text))}

    def entry_line(at: int) -> int:
        return traces[max(i for i in traces if i < at)]

    found = []
    items = YAML().load(rules_text)
    for index, item in enumerate(items):
        if "condition" in item:
            text = re.sub(r"^(or|and not) ", "", item["condition"])
            found.append((entry_line(items.lc.item(index)[0]), text))
        for exc in item.get("exceptions", []):
            for j, row in enumerate(exc["values"]):
                one_row = {"fields": exc["fields"], "comps": exc["comps"], "values": [row]}
                found.append(
                    (entry_line(exc["values"].lc.item(j)[0]), exception_condition(one_row))
                )
    return found


_TRACE = re.compile(r"^\s*# [^\s:]+:(?P<line>\d+) ")


def _declared(entry: Any) -> set[Conjunction]:
    """The entry's comparisons as the file states them: every field key, any of its values."""
    choices = []
    for key, value in entry.items():
        if "." not in key:
            continue
        op = "="
        if isinstance(value, dict):
            op, value = "startswith", value["startswith"]
        choices.append([(key, op, str(v)) for v in (value if isinstance(value, list) else [value])])
    return {frozenset(combo) for combo in itertools.product(*choices)}


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
