"""FE302: expires within the warning window."""

from __future__ import annotations

import datetime

from falco_exceptions.checks.policy import expiring_soon
from tests.checks.policy.support import entry, findings


def test_within_the_window_warns_with_the_owner() -> None:
    extra = "    owner: platform-team\n    expires: 2026-03-15\n"
    assert findings(expiring_soon, entry(extra=extra)) == [
        (
            8,
            14,
            "warning",
            "expires on 2026-03-15, in 14 day(s): its owner (platform-team) should review it "
            "and renew expires or delete the exception",
        )
    ]


def test_today_is_said_so() -> None:
    found = findings(expiring_soon, entry(extra="    expires: 2026-03-01\n"))
    assert "expires on 2026-03-01, today:" in found[0][3]


def test_outside_the_window_or_expired_is_not_this_check() -> None:
    assert findings(expiring_soon, entry(extra="    expires: 2026-03-16\n")) == []
    assert findings(expiring_soon, entry(extra="    expires: 2026-02-28\n")) == []


def test_the_window_is_configurable() -> None:
    late = entry(extra="    expires: 2026-04-30\n")
    assert findings(expiring_soon, late, warning_days=60)
    assert not findings(expiring_soon, late, today=datetime.date(2026, 1, 1), warning_days=60)
    assert not findings(expiring_soon, entry(extra="    expires: 2026-03-02\n"), warning_days=0)
