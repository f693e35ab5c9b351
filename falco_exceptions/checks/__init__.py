"""Checks of exception entries against the selected Falco version and ruleset.

One module per check (like yamllint's rules): each has a stable `CODE`, a docstring that
is its user documentation (`falco-exceptions validate --list-checks` prints them), and a
`check(entry, target)` generator of diagnostics. Add a module, then list it in CHECKS.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from types import ModuleType

from falco_exceptions.checks import (
    field_events,
    field_plugin,
    field_source,
    load_order,
    mechanism_available,
    proc_name_form,
    rule_enabled,
    rule_exists,
    shared_hook,
    value_quoting,
)
from falco_exceptions.diagnostics import Diagnostic, Severity
from falco_exceptions.document import Entry
from falco_exceptions.target import Target

# Order matters: a later check only runs when the entry's rule passed rule_exists.
CHECKS: tuple[ModuleType, ...] = (
    rule_exists,
    field_source,
    field_events,
    field_plugin,
    rule_enabled,
    value_quoting,
    mechanism_available,
    load_order,
    proc_name_form,
    shared_hook,
)


def run(entries: Sequence[Entry], target: Target) -> Iterator[Diagnostic]:
    for entry in entries:
        for found in rule_exists.check(entry, target):
            yield found
            if found.severity is Severity.ERROR:
                break
        else:
            for module in CHECKS[1:]:
                yield from module.check(entry, target)
