"""Error when an exception lives longer than the policy's `maxLifetimeDays`.

With `maxLifetimeDays: N` in the policy file, every exception needs `expires`, at most N
days after today (or `--today`): exceptions are reviewed again at least that often.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence

from falco_exceptions.diagnostics import Diagnostic, error
from falco_exceptions.document import Entry
from falco_exceptions.policy import Context

CODE = "FE308"


def check(entries: Sequence[Entry], context: Context) -> Iterator[Diagnostic]:
    policy = context.policy
    days = policy.max_lifetime_days
    if days is None:
        return
    try:
        latest = context.today + datetime.timedelta(days=days)
    except OverflowError:  # a --today near the end of the calendar
        latest = datetime.date.max
    rule = f"{policy.cite('maxLifetimeDays')} is {days}"
    for entry in entries:
        if entry.expires is None:
            if "expires" not in policy.require:  # else FE307 says it already
                yield error(
                    entry.position,
                    CODE,
                    f"exception to rule {entry.rule!r} has no expires, and {rule}; "
                    f"add expires: {latest} or earlier",
                )
        elif entry.expires > latest:
            yield error(
                entry.at("expires"),
                CODE,
                f"expires {entry.expires} is {(entry.expires - context.today).days} days "
                f"from {context.today}, but {rule}; set expires to {latest} or earlier",
            )
