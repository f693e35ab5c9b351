"""Load, check and plan in one call; the command line formats what comes back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from falco_exceptions import checks, document
from falco_exceptions.diagnostics import Diagnostic, Severity, has_errors, sorted_diagnostics
from falco_exceptions.plan import Plan, build
from falco_exceptions.target import Selection, Target, select

if TYPE_CHECKING:
    from falco_exceptions import policy


@dataclass
class Result:
    document: document.Document
    target: Target | None = None
    plan: Plan | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)


def check(
    paths: Sequence[Path],
    selection: Selection,
    displays: Sequence[str] | None = None,
    review: policy.Options | None = None,
) -> Result:
    """Everything wrong with the files for the selected Falco, and the plan when nothing is.

    With `review`, the policy checks run too (validate, report; not render), under the
    policy file it names. The plan is built whenever the files themselves can be rendered,
    whatever the policy checks found.

    Raises FatalError when no target can be chosen (unknown version or ruleset).
    """
    doc, found = document.load(paths, displays)
    result = Result(doc, diagnostics=found)
    problems: list[Diagnostic] = []
    if review is not None:  # render never reads a policy (nor imports it)
        from falco_exceptions import policy

        review_policy, problems = policy.load(review.policy_file)
        found.extend(problems)
    if has_errors(found) and not doc.entries:
        result.diagnostics = sorted_diagnostics(found)
        return result
    result.target = select(selection, doc.falco)
    found.extend(checks.run(doc.entries, result.target))
    if not has_errors(found):
        result.plan = build(doc.entries, result.target, doc.files)
    if review is not None and not has_errors(problems):
        from falco_exceptions.checks import policy as policy_checks

        context = policy.context(result.target, review_policy, review)
        found.extend(policy_checks.run(doc.entries, context))
        found = policy_checks.apply(review_policy, found)
    result.diagnostics = sorted_diagnostics(found)
    return result
