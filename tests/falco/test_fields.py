"""The fields an entry can name, checked against the field lists of real Falco releases
(../shared/falco-fields), and the did-you-mean for keys that are Falco fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from falco_exceptions.falco.fields import FIELDS, NAMES, OTHER_FIELDS, PREFIXED, event_value
from falco_exceptions.schema import EXCEPTIONS, _did_you_mean, schema_text
from tests.conftest import SHARED

FIELD_LISTS = sorted((SHARED / "falco-fields").glob("falco-*-syscall.txt"))


def _fields(path: Path) -> set[str]:
    return set(path.read_text().split())


@pytest.fixture(scope="module")
def releases() -> dict[str, set[str]]:
    if not FIELD_LISTS:
        pytest.skip("../shared/falco-fields is absent")
    return {p.name.split("-")[1]: _fields(p) for p in FIELD_LISTS}


def test_every_field_exists_in_every_listed_release(releases: dict[str, set[str]]) -> None:
    assert set(releases) == {"0.26.2", "0.31.1", "0.35.1", "0.44.1"}
    for release, known in releases.items():
        assert set(NAMES) <= known, (release, set(NAMES) - known)


def test_proc_pexepath_is_not_offered_since_old_releases_lack_it(
    releases: dict[str, set[str]],
) -> None:
    assert "proc.pexepath" not in releases["0.31.1"]
    assert "proc.pexepath" in releases["0.35.1"]
    assert "proc.pexepath" not in NAMES


def test_the_fields_that_people_confuse_with_ours_are_real(
    releases: dict[str, set[str]],
) -> None:
    assert set(OTHER_FIELDS) <= releases["0.44.1"]
    assert not set(OTHER_FIELDS) & set(NAMES)


def test_the_schema_names_the_same_fields_and_prefixes() -> None:
    entry = json.loads(schema_text(EXCEPTIONS))["$defs"]["exception"]["properties"]
    assert [k for k in entry if "." in k] == list(NAMES)
    prefixed = [k for k, v in entry.items() if v.get("$ref") == "#/$defs/values-or-prefix"]
    assert prefixed == list(PREFIXED)
    assert [f.name for f in FIELDS if f.needs_fd] == ["fd.directory", "fd.name"]


def test_no_real_field_silently_becomes_another(releases: dict[str, set[str]]) -> None:
    """An unknown key that is a real Falco field is never just "did you mean" one of ours."""
    allowed = sorted(["id", "rule", "justification", "owner", "ticket", "expires", *NAMES])
    for field in sorted(set.union(*releases.values()) - set(NAMES)):
        hint = _did_you_mean(field, allowed)
        if "did you mean" in hint:
            assert "a different one, which this file does not take" in hint, (field, hint)


def test_a_spelling_of_our_field_is_just_a_did_you_mean() -> None:
    allowed = ["justification", "rule", *NAMES]
    assert _did_you_mean("proc_name", allowed) == '; did you mean "proc.name"?'
    assert _did_you_mean("K8S.NS.NAME", allowed) == '; did you mean "k8s.ns.name"?'
    assert _did_you_mean("justifcation", allowed) == '; did you mean "justification"?'


def test_fd_directory_of_an_event_follows_from_its_file() -> None:
    assert event_value({"fd.name": "/etc/pam.d/x"}, "fd.directory") == "/etc/pam.d"
    assert event_value({"fd.name": "/x"}, "fd.directory") == "/"
    assert event_value({"fd.name": "1.2.3.4:80->5.6.7.8:90"}, "fd.directory") is None
    assert event_value({}, "fd.directory") is None
    assert event_value({"proc.name": "a"}, "proc.name") == "a"
