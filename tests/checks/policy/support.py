"""Run one policy check on exceptions written inline, like yamllint's rule tests."""

from __future__ import annotations

import datetime
from types import ModuleType

from falco_exceptions import document
from falco_exceptions.policy import Context, Policy
from falco_exceptions.target import Selection, select

TODAY = datetime.date(2026, 3, 1)


def findings(
    module: ModuleType,
    entries: str,
    *,
    falco: str = "0.26.2",
    today: datetime.date = TODAY,
    policy: Policy | None = None,
    warning_days: int = 14,
    expect_problems: bool = False,
) -> list[tuple[int, int, str, str]]:
    """(line, col, severity, message) of what `module` finds; `entries` is the YAML list,
    which starts on line 5 of the file."""
    text = f"apiVersion: falco-exceptions/v1\nfalco:\n  version: {falco}\nexceptions:\n{entries}"
    doc, problems = document.load_texts([("x.yaml", text)])
    assert bool(problems) == expect_problems, problems
    context = Context(select(Selection(), doc.falco), policy or Policy(), today, warning_days)
    return [
        (d.position.line, d.position.col, d.severity.value, d.message)
        for d in module.check(doc.entries, context)
    ]


def entry(
    rule: str = "Read sensitive file untrusted",
    proc: str = "awsagent",
    extra: str = "",
    justification: str = "AWS Systems Manager agent reads PAM config during inventory.",
) -> str:
    """One list item of YAML (4 lines plus `extra`, which is indented already)."""
    return f"  - rule: {rule}\n    proc.name: {proc}\n{extra}    justification: {justification}\n"
