"""The narrowing table: which fields an entry takes from an alert."""

from __future__ import annotations

from falco_exceptions import document
from falco_exceptions.alerts import narrowing

CONTAINER = {
    "proc.name": "nginx",
    "fd.name": "/etc/shadow",
    "container.id": "0123456789ab",
    "container.image.repository": "docker.io/library/nginx",
    "k8s.ns.name": "web",
}


def test_only_the_keys_the_entry_model_knows_are_used() -> None:
    rows = narrowing.active()
    assert rows[0].key == "proc.name"
    assert all(row.key in document.FIELDS for row in rows)
    today = narrowing.active(("proc.name", "fd.name"))
    assert narrowing.set_values(CONTAINER, today) == (
        ("proc.name", "nginx"),
        ("fd.name", "/etc/shadow"),
    )


def test_image_and_namespace_once_entries_have_them_never_on_the_host() -> None:
    rows = narrowing.active(("proc.name", "fd.name", "container.image.repository", "k8s.ns.name"))
    assert narrowing.set_values(CONTAINER, rows) == (
        ("proc.name", "nginx"),
        ("container.image.repository", "docker.io/library/nginx"),
        ("k8s.ns.name", "web"),
        ("fd.name", "/etc/shadow"),
    )
    host = {**CONTAINER, "container.id": "host"}
    assert narrowing.set_values(host, rows) == (("proc.name", "nginx"), ("fd.name", "/etc/shadow"))
    assert narrowing.values(host, rows) == (
        ("proc.name", "nginx"),
        ("container.image.repository", None),
        ("k8s.ns.name", None),
        ("fd.name", "/etc/shadow"),
    )


def test_unset_fields_are_left_out() -> None:
    rows = narrowing.active()
    assert narrowing.set_values({"proc.name": "a", "fd.name": None}, rows) == (("proc.name", "a"),)


def test_a_host_alert_without_fd_name_drops_the_image_too() -> None:
    rows = narrowing.active(("proc.name", "fd.name", "container.image.repository"))
    event = {"proc.name": "a", "container.image.repository": "x", "container.id": "host"}
    assert narrowing.set_values(event, rows) == (("proc.name", "a"),)
