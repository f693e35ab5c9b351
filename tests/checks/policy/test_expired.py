"""FE301: past `expires`."""

from __future__ import annotations

from falco_exceptions.checks.policy import expired
from tests.checks.policy.support import entry, findings


def test_past_date_is_an_error_at_expires() -> None:
    found = findings(expired, entry(extra="    expires: 2026-02-28\n"))
    assert found == [
        (
            7,
            14,
            "error",
            "expired on 2026-02-28 (1 day(s) ago): review it, then renew expires or delete "
            "the exception",
        )
    ]


def test_today_and_later_and_no_date_are_fine() -> None:
    assert findings(expired, entry(extra="    expires: 2026-03-01\n")) == []
    assert findings(expired, entry(extra="    expires: 2030-01-01\n")) == []
    assert findings(expired, entry()) == []
