"""The schema gate agrees with jsonschema on every instance, for both shipped schemas."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from falco_exceptions import schema
from falco_exceptions.schemagate import compile_schema

SCHEMAS = {name: json.loads(schema.schema_text(name)) for name in (schema.EXCEPTIONS, "policy")}
KEYS = [
    "apiVersion", "falco", "version", "rules", "rulesFiles", "exceptions", "remove", "id",
    "rule", "proc.name", "fd.name", "justification", "owner", "ticket", "expires", "require",
    "maxLifetimeDays", "expiryWarningDays", "checks", "FE303", "other",
]  # fmt: skip
WORDS = [
    "falco-exceptions/v1", "0.26.2", "0.3", "falco-rules-3.2.0", "falco_rules.yaml", "x.txt",
    "awsagent", "", " ", "TODO", "n/a", "Agent reads its own files at start.", "2027-06-30",
    "2027-6-3", "a-1", "A_1", "owner", "expires", "error", "warning", "off", "FE301",
]  # fmt: skip

scalars = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=8),
    st.integers(-3, 400),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)
    ),
    max_leaves=25,
)


def _valid_entry() -> dict[str, Any]:
    return {
        "rule": "Read sensitive file untrusted",
        "proc.name": ["awsagent", "sshd"],
        "justification": "The agent reads PAM config during inventory.",
        "expires": "2027-06-30",
    }


@st.composite
def near_valid(draw: st.DrawFn) -> dict[str, Any]:
    """A valid exceptions document with one part replaced by an arbitrary value."""
    doc: dict[str, Any] = {
        "apiVersion": "falco-exceptions/v1",
        "falco": {"version": "0.26.2", "rulesFiles": ["falco_rules.yaml"]},
        "exceptions": [_valid_entry(), _valid_entry()],
        "remove": ["old-entry"],
    }
    target = draw(st.sampled_from(["doc", "falco", "entry"]))
    place = {"doc": doc, "falco": doc["falco"], "entry": doc["exceptions"][1]}[target]
    place[draw(st.sampled_from(KEYS))] = draw(values)
    return doc


@settings(max_examples=400, deadline=None)
@given(near_valid())
def test_gate_agrees_with_jsonschema_near_valid_documents(doc: dict[str, Any]) -> None:
    gate = compile_schema(SCHEMAS[schema.EXCEPTIONS])
    assert gate is not None
    assert gate(doc) == jsonschema.Draft202012Validator(SCHEMAS[schema.EXCEPTIONS]).is_valid(doc)


@settings(max_examples=300, deadline=None)
@given(values, st.sampled_from(sorted(SCHEMAS)))
def test_gate_agrees_with_jsonschema_on_anything(value: Any, name: str) -> None:
    gate = compile_schema(SCHEMAS[name])
    assert gate is not None
    assert gate(value) == jsonschema.Draft202012Validator(SCHEMAS[name]).is_valid(value)


def test_an_unknown_keyword_means_no_gate() -> None:
    assert compile_schema({"type": "object", "dependentRequired": {"a": ["b"]}}) is None
    assert compile_schema({"type": "string", "format": "date"}) is None


def test_json_equality_in_const_and_unique_items() -> None:
    gate = compile_schema({"const": 1, "$defs": {}})
    assert gate is not None
    assert gate(1) and gate(1.0) and not gate(True) and not gate("1")
    unique = compile_schema({"type": "array", "uniqueItems": True})
    assert unique is not None
    assert unique([1, True]) and not unique([1, 1.0]) and not unique([[1], [1]])
