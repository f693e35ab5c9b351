"""A field the rule's events cannot carry is an error: it would never match.

`fd.name` and `fd.directory` describe the file descriptor an event is about (a file
being opened, a connection). A rule that only fires on process spawns (`Terminal shell
in container`, `Run shell untrusted`) or container starts sees no file descriptor, so
`fd.name = x` is never true there and the exception would except nothing. The catalog
records, per rule, the kinds of events its condition (macros expanded) fires on;
`falco-exceptions rules show NAME` prints them. The message says which kinds, and which
fields narrow such a rule instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from falco_exceptions.catalog.events import carries_fd, describe
from falco_exceptions.diagnostics import Diagnostic, error
from falco_exceptions.document import Entry
from falco_exceptions.falco.fields import BY_NAME
from falco_exceptions.target import Target

CODE = "FE210"


def check(entry: Entry, target: Target) -> Iterator[Diagnostic]:
    rule = target.catalog.rules[entry.rule]
    if carries_fd(rule.events):
        return
    useless = [name for name in entry.field_names if BY_NAME[name].needs_fd]
    if not useless:
        return
    names = " and ".join(useless)
    verb = "never matches" if len(useless) == 1 else "never match"
    yield error(
        entry.at(useless[0]),
        CODE,
        f"{names} {verb} in rule {entry.rule!r}: it fires on {describe(rule.events)} only, "
        "and such an event has no file descriptor, so this entry would except nothing; "
        f"remove {names}, and narrow by the workload ({', '.join(WORKLOAD)}) or the "
        "parent (proc.pname) instead",
    )


WORKLOAD = tuple(f.name for f in BY_NAME.values() if f.workload)
