"""`file:line:col: severity[CODE]: message`, one per line, then a summary line."""

from __future__ import annotations

from collections.abc import Sequence

from falco_exceptions.diagnostics import Diagnostic, Severity


def report(diagnostics: Sequence[Diagnostic]) -> str:
    return "".join(f"{d}\n" for d in diagnostics) + summary(diagnostics)


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    return (
        f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
        f"{counts[Severity.INFO]} info\n"
    )
