"""FE308: at most maxLifetimeDays."""

from __future__ import annotations

from falco_exceptions.checks.policy import lifetime
from falco_exceptions.policy import Policy
from tests.checks.policy.support import entry, findings

POLICY = Policy(source="p.yaml", max_lifetime_days=90)


def test_too_far_is_an_error_at_expires() -> None:
    found = findings(lifetime, entry(extra="    expires: 2026-06-01\n"), policy=POLICY)
    assert found == [
        (
            7,
            14,
            "error",
            "expires 2026-06-01 is 92 days from 2026-03-01, but the policy's maxLifetimeDays "
            "is 90; set expires to 2026-05-30 or earlier",
        )
    ]


def test_within_the_lifetime_is_fine() -> None:
    assert findings(lifetime, entry(extra="    expires: 2026-05-30\n"), policy=POLICY) == []


def test_missing_expires_is_an_error_unless_required_anyway() -> None:
    found = findings(lifetime, entry(), policy=POLICY)
    assert found[0][:3] == (5, 5, "error")
    assert found[0][3].endswith(
        "has no expires, and the policy's maxLifetimeDays is 90; add expires: 2026-05-30 or earlier"
    )
    both = Policy(max_lifetime_days=90, require=("expires",))
    assert findings(lifetime, entry(), policy=both) == []  # FE307 reports it


def test_no_limit_by_default() -> None:
    assert findings(lifetime, entry(extra="    expires: 2099-01-01\n")) == []
