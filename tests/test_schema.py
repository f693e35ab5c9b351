"""The shipped exceptions schema on its own, as an editor (yaml-language-server) uses it:
which forms of a field value it accepts and refuses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.conftest import REPO

SCHEMA = json.loads((REPO / "schemas" / "exceptions.schema.json").read_text())


def _errors(**fields: Any) -> list[str]:
    entry = {"rule": "R", "proc.name": "a", "justification": "A reason long enough.", **fields}
    doc = {"apiVersion": "falco-exceptions/v1", "exceptions": [entry]}
    return [e.message for e in Draft202012Validator(SCHEMA).iter_errors(doc)]


@pytest.mark.parametrize(
    "fields",
    [
        {"k8s.ns.name": ["monitoring", "observability"]},
        {"fd.name": {"startswith": "/etc/pam.d/"}},
        {"fd.directory": {"startswith": ["/etc/", "/var/"]}},
        {"container.image.repository": {"startswith": "registry.example.com/"}},
        {"k8s.pod.name": {"startswith": "debug-"}, "proc.exepath": {"startswith": "/opt/"}},
        {"proc.pname": "sshd", "user.name": ["root"], "container.name": "probe"},
    ],
)
def test_accepts_values_lists_and_prefixes(fields: dict[str, Any]) -> None:
    assert _errors(**fields) == []


@pytest.mark.parametrize(
    "fields",
    [
        {"fd.name": {"contains": "pam"}},  # an unknown comparison
        {"fd.name": {"startswith": "/etc/", "endswith": ".conf"}},
        {"fd.name": {}},
        {"fd.name": {"startswith": []}},
        {"fd.name": {"startswith": ""}},
        {"proc.name": {"startswith": "py"}},  # no prefix for these fields
        {"k8s.ns.name": {"startswith": "mon"}},
        {"user.name": {"startswith": "svc-"}},
        {"proc.pexepath": "/usr/bin/x"},  # not a key of this file
        {"container.image": "nginx:1.25"},
    ],
)
def test_refuses_other_forms(fields: dict[str, Any]) -> None:
    assert _errors(**fields) != []


def test_every_field_has_a_description_for_editors() -> None:
    entry = SCHEMA["$defs"]["exception"]["properties"]
    assert all(entry[k].get("description") for k in entry)
    assert "no contains, no globs" in SCHEMA["$defs"]["prefix"]["description"]
