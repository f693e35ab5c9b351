"""Warn when a `proc.name` value can never match.

`proc.name` is the process name the kernel keeps: the base name of the executable, cut
to 15 bytes (`update-ca-certificates` is seen as `update-ca-certi`, which is why upstream
rules list names such as `dpkg-preconfigu`). A value holding a `/` or longer than 15
bytes never equals it; the message gives the value that would match.
"""

from __future__ import annotations

from collections.abc import Iterator

from falco_exceptions.diagnostics import Diagnostic, warning
from falco_exceptions.document import Entry
from falco_exceptions.target import Target

CODE = "FE209"
KERNEL_NAME_BYTES = 15


def check(entry: Entry, target: Target) -> Iterator[Diagnostic]:
    for value in entry.values("proc.name"):
        fixed = _kernel_name(value)
        if fixed == value:
            continue
        why = "holds a path" if "/" in value else f"is longer than {KERNEL_NAME_BYTES} bytes"
        yield warning(
            entry.at_value("proc.name", value),
            CODE,
            f"proc.name {value!r} {why}, so it never matches: Falco sees the kernel's "
            f"process name, the executable's base name cut to {KERNEL_NAME_BYTES} bytes; "
            f"write {fixed!r}",
        )


def _kernel_name(value: str) -> str:
    base = value.rstrip("/").rsplit("/", 1)[-1] or value
    cut = base.encode("utf-8", "surrogatepass")[:KERNEL_NAME_BYTES]
    return cut.decode("utf-8", "ignore")
