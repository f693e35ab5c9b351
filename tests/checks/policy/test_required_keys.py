"""FE307: keys the policy requires."""

from __future__ import annotations

from falco_exceptions.checks.policy import required_keys
from falco_exceptions.diagnostics import Position
from falco_exceptions.policy import Policy
from tests.checks.policy.support import entry, findings

POLICY = Policy(
    source="p.yaml",
    require=("owner", "ticket"),
    positions={"require": Position("p.yaml", 1, 10)},
)


def test_each_missing_key_is_an_error_at_the_entry() -> None:
    found = findings(required_keys, entry(extra="    owner: platform-team\n"), policy=POLICY)
    assert found == [
        (
            5,
            5,
            "error",
            "exception to rule 'Read sensitive file untrusted' has no ticket, which the "
            "policy's require (p.yaml:1:10) requires; add ticket: <ticket id>",
        )
    ]


def test_nothing_required_by_default() -> None:
    assert findings(required_keys, entry()) == []
