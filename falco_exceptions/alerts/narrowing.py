"""The fields a suggested entry narrows by, and by which `coverage` groups what is left.

One table, in the order the keys are written (exceptions.yaml's own: the process, the
workload, what it touches). Not every field an entry may name is worth taking from an
alert: a pod name or a command line changes with every restart, a parent or a user rarely
makes the entry safer than the file it touches. A row is used only when the entry model
knows the key (`document.FIELDS`), so keys that exceptions.yaml gains later start working
here without a change; `host_too=False` rows are left out for an alert from the host
(`container.id` is `host`), where an image or namespace says nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from falco_exceptions import document

HOST = "host"


@dataclass(frozen=True)
class Narrowing:
    key: str  # the exceptions.yaml key, which is the Falco field
    host_too: bool = True


NARROWING: tuple[Narrowing, ...] = (  # proc.name first: an entry must have it
    Narrowing("proc.name"),
    Narrowing("container.image.repository", host_too=False),
    Narrowing("k8s.ns.name", host_too=False),
    Narrowing("fd.name"),
)
HOST_ONLY = frozenset(row.key for row in NARROWING if not row.host_too)
REQUIRED = "proc.name"  # an entry must name it (schema)


def active(known: Collection[str] | None = None) -> tuple[Narrowing, ...]:
    """The rows whose key the entry model knows."""
    keys = document.FIELDS if known is None else known
    return tuple(row for row in NARROWING if row.key in keys)


def values(
    event: Mapping[str, str | None], rows: tuple[Narrowing, ...]
) -> tuple[tuple[str, str | None], ...]:
    """Each row's value in the alert (None: unset, not carried, or a host-only omission)."""
    on_host = not all(row.host_too for row in rows) and event.get("container.id") == HOST
    return tuple(
        (row.key, None if on_host and not row.host_too else event.get(row.key)) for row in rows
    )


def set_values(
    event: Mapping[str, str | None], rows: tuple[Narrowing, ...]
) -> tuple[tuple[str, str], ...]:
    """The rows the alert has set, as (key, value); the first is proc.name when it is set."""
    get = event.get
    found = [(row.key, value) for row in rows if (value := get(row.key)) is not None]
    if any(key in HOST_ONLY for key, _ in found) and get("container.id") == HOST:
        found = [item for item in found if item[0] not in HOST_ONLY]
    return tuple(found)
