"""An exception past its `expires` date is an error.

`expires` is the day after which the exception must be reviewed again. Renew it with a
new date if it is still needed (and still justified), or delete it. The date compared
with is today, or `--today YYYY-MM-DD` for reproducible runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from falco_exceptions.diagnostics import Diagnostic, error
from falco_exceptions.document import Entry
from falco_exceptions.policy import Context

CODE = "FE301"


def check(entries: Sequence[Entry], context: Context) -> Iterator[Diagnostic]:
    for entry in entries:
        if entry.expires is not None and entry.expires < context.today:
            days = (context.today - entry.expires).days
            yield error(
                entry.at("expires"),
                CODE,
                f"expired on {entry.expires} ({days} day(s) ago): review it, then renew "
                "expires or delete the exception",
            )
