"""Warn when an exception expires within the warning window (14 days by default).

So its owner can review and renew it before it turns into an error. Set the window with
`--expiry-warning-days N` or `expiryWarningDays` in the policy file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from falco_exceptions.diagnostics import Diagnostic, warning
from falco_exceptions.document import Entry
from falco_exceptions.policy import Context

CODE = "FE302"


def check(entries: Sequence[Entry], context: Context) -> Iterator[Diagnostic]:
    for entry in entries:
        if entry.expires is None:
            continue
        days = (entry.expires - context.today).days
        if 0 <= days <= context.expiry_warning_days:
            when = "today" if days == 0 else f"in {days} day(s)"
            owner = f" ({entry.owner})" if entry.owner else ""
            yield warning(
                entry.at("expires"),
                CODE,
                f"expires on {entry.expires}, {when}: its owner{owner} should review it and "
                "renew expires or delete the exception",
            )
