"""Entry.matches: the one definition of what an entry excepts (shared by the alert commands),
and the field tests exceptions.yaml loads into."""

from __future__ import annotations

import pytest

from falco_exceptions import document
from falco_exceptions.diagnostics import Position
from falco_exceptions.document import Comparison, Entry, FieldTest
from falco_exceptions.falco.fields import NAMES

AT = Position("exceptions.yaml", 1, 1)
STARTSWITH = Comparison.STARTSWITH


def _entry(*tests: FieldTest, **fields: tuple[str, ...]) -> Entry:
    equal = tuple(FieldTest(name.replace("_", "."), values) for name, values in fields.items())
    return Entry("R", equal + tests, "why", AT)


def test_every_field_must_hold() -> None:
    entry = _entry(proc_name=("awsagent",), fd_name=("/etc/a", "/etc/b"))
    assert entry.matches({"proc.name": "awsagent", "fd.name": "/etc/b"})
    assert not entry.matches({"proc.name": "awsagent", "fd.name": "/etc/c"})
    assert not entry.matches({"proc.name": "other", "fd.name": "/etc/a"})


def test_an_unset_field_matches_nothing() -> None:
    entry = _entry(proc_name=("awsagent",), fd_name=("/etc/a",))
    assert not entry.matches({"proc.name": "awsagent"})
    assert not entry.matches({"proc.name": "awsagent", "fd.name": None})


def test_fields_the_entry_does_not_name_do_not_matter() -> None:
    assert _entry(proc_name=("awsagent",)).matches({"proc.name": "awsagent", "fd.name": "/x"})


def test_a_prefix_accepts_values_that_start_with_one_of_its_prefixes() -> None:
    entry = _entry(FieldTest("fd.name", ("/etc/pam.d/", "/etc/ssh/"), STARTSWITH), proc_name=("a",))
    assert entry.matches({"proc.name": "a", "fd.name": "/etc/ssh/sshd_config"})
    assert entry.matches({"proc.name": "a", "fd.name": "/etc/pam.d/"})  # equal is a prefix
    assert not entry.matches({"proc.name": "a", "fd.name": "/etc/pam.d"})
    assert not entry.matches({"proc.name": "a", "fd.name": "/etc/shadow"})


def test_the_workload_fields_narrow_like_any_other() -> None:
    entry = _entry(
        FieldTest("container.image.repository", ("registry.example.com/team/",), STARTSWITH),
        proc_name=("python3",),
        k8s_ns_name=("monitoring",),
    )
    event = {
        "proc.name": "python3",
        "container.image.repository": "registry.example.com/team/probe",
        "k8s.ns.name": "monitoring",
    }
    assert entry.matches(event)
    assert not entry.matches({**event, "k8s.ns.name": "default"})
    assert not entry.matches({**event, "container.image.repository": "docker.io/library/python"})
    assert not entry.matches({**event, "k8s.ns.name": None})  # a host process: no namespace


def test_fd_directory_follows_from_a_files_fd_name() -> None:
    entry = _entry(proc_name=("a",), fd_directory=("/etc/pam.d",))
    assert entry.matches({"proc.name": "a", "fd.name": "/etc/pam.d/common-auth"})
    assert not entry.matches({"proc.name": "a", "fd.name": "/etc/pam.d/sub/x"})
    assert not entry.matches({"proc.name": "a", "fd.name": "10.0.0.1:443->10.0.0.2:80"})
    root = _entry(proc_name=("a",), fd_directory=("/",))
    assert root.matches({"proc.name": "a", "fd.name": "/x"})
    given = {"proc.name": "a", "fd.name": "/etc/pam.d/x", "fd.directory": "/other"}
    assert not entry.matches(given)  # a value the event has wins over the derived one


def test_identity_counts_the_comparison_not_the_order() -> None:
    equal = _entry(proc_name=("a", "b"), fd_name=("/x/",))
    same = _entry(proc_name=("b", "a"), fd_name=("/x/",))
    prefix = _entry(FieldTest("fd.name", ("/x/",), STARTSWITH), proc_name=("a", "b"))
    assert equal.identity == same.identity
    assert equal.identity != prefix.identity
    assert prefix.shape == (("proc.name", Comparison.EQUALS), ("fd.name", STARTSWITH))


def _load(entry_yaml: str) -> Entry:
    text = f"apiVersion: falco-exceptions/v1\nexceptions:\n  - rule: R\n{entry_yaml}"
    text += "    justification: A reason that is long enough to count.\n"
    doc, problems = document.load_texts([("x.yaml", text)])
    assert problems == []
    (entry,) = doc.entries
    return entry


def test_loading_gives_one_test_per_field_in_rendering_order() -> None:
    entry = _load(
        "    fd.name: {startswith: [/etc/pam.d/, /etc/ssh/]}\n"
        "    k8s.ns.name: monitoring\n"
        "    proc.name: [python3, node]\n"
        "    container.image.repository: {startswith: registry.example.com/}\n"
    )
    assert entry.fields == (
        FieldTest("proc.name", ("python3", "node")),
        FieldTest("container.image.repository", ("registry.example.com/",), STARTSWITH),
        FieldTest("k8s.ns.name", ("monitoring",)),
        FieldTest("fd.name", ("/etc/pam.d/", "/etc/ssh/"), STARTSWITH),
    )
    assert [t.describe() for t in entry.fields][-1] == "fd.name startswith /etc/pam.d/, /etc/ssh/"


def test_a_prefix_is_located_at_its_value() -> None:
    entry = _load("    proc.name: a\n    fd.name: {startswith: [/etc/, /var/]}\n")
    assert (entry.at("proc.name").line, entry.at("proc.name").col) == (4, 16)
    second = entry.at_value("fd.name", "/var/")
    assert (second.line, second.col) == (5, 35)


@pytest.mark.parametrize("name", NAMES)
def test_every_field_loads_as_a_value_and_a_list(name: str) -> None:
    extra = "" if name == "proc.name" else "    proc.name: a\n"
    single = _load(f"{extra}    {name}: v1\n")
    listed = _load(f"{extra}    {name}: [v1, v2]\n")
    assert single.test(name) == FieldTest(name, ("v1",))
    assert listed.test(name) == FieldTest(name, ("v1", "v2"))
