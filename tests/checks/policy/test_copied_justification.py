"""FE306: the same justification twice."""

from __future__ import annotations

from falco_exceptions.checks.policy import copied_justification
from tests.checks.policy.support import entry, findings

WHY = "AWS Systems Manager agent reads PAM config during inventory."


def test_a_copy_warns_on_the_later_entry_naming_the_first() -> None:
    text = entry() + entry(rule="Write below etc", justification=WHY.upper().rstrip("."))
    assert findings(copied_justification, text) == [
        (
            10,
            20,
            "warning",
            "justification is a copy of the one at x.yaml:7:20: explain this exception on its "
            "own, or merge the two entries (a field takes a list of values)",
        )
    ]


def test_different_justifications_are_fine() -> None:
    other = "The node agent rewrites its own config under /etc on upgrade."
    text = entry() + entry(proc="ssm-agent", justification=other)
    assert findings(copied_justification, text) == []
