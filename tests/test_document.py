"""Entry.matches: the one definition of what an entry excepts (shared by the alert commands)."""

from __future__ import annotations

from falco_exceptions.diagnostics import Position
from falco_exceptions.document import Entry

AT = Position("exceptions.yaml", 1, 1)


def _entry(**fields: tuple[str, ...]) -> Entry:
    pairs = tuple((name.replace("_", "."), values) for name, values in fields.items())
    return Entry("R", pairs, "why", AT)


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
