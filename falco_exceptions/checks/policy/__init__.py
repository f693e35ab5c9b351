"""Policy checks: is each exception still wanted, narrow, unique and explained?

Like the checks of the parent package, one module per check with a stable `CODE` and a
docstring that is its user documentation; but a policy check sees the whole entry list
(`check(entries, context)`), since overlap and copied justifications are about pairs.
They run in `validate` and `report`, not in `render`: a date passing must not break a
deployment. The policy file can turn each of them (and the advisory FE204, FE207,
FE209) off or into a warning or an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from types import ModuleType

from falco_exceptions.checks.policy import (
    broad,
    copied_justification,
    expired,
    expiring_soon,
    lifetime,
    overlap,
    required_keys,
    short_justification,
)
from falco_exceptions.diagnostics import Diagnostic, Severity
from falco_exceptions.document import Entry
from falco_exceptions.policy import OFF, Context, Policy

CHECKS: tuple[ModuleType, ...] = (
    expired,
    expiring_soon,
    broad,
    overlap,
    short_justification,
    copied_justification,
    required_keys,
    lifetime,
)

# The warnings and infos of the parent package: the rules still load when they fire. Its
# errors cannot be configured: they mean the rendered rules would not load or not work.
ADVISORY = ("FE204", "FE207", "FE209")

# Codes whose severity the policy file may change (schemas/policy.schema.json lists them).
CONFIGURABLE: tuple[str, ...] = (*ADVISORY, *(m.CODE for m in CHECKS))


def run(entries: Sequence[Entry], context: Context) -> Iterator[Diagnostic]:
    for module in CHECKS:
        yield from module.check(entries, context)


def apply(policy: Policy, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics with the policy's `checks:` levels applied; `off` drops them."""
    found = []
    for d in diagnostics:
        level = policy.checks.get(d.code)
        if level == OFF:
            continue
        if level is not None:
            d = Diagnostic(d.position, d.code, Severity(level), d.message)
        found.append(d)
    return found


def describe() -> list[tuple[str, str]]:
    return [(m.CODE, (m.__doc__ or "").strip()) for m in CHECKS]
