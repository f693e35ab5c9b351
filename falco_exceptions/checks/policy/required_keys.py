"""Error when an exception lacks a key that the policy file requires (`require:`).

A repository can require `owner` (who answers for the exception), `ticket` (where it
was decided) or `expires` (when it is reviewed again) on every entry.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from falco_exceptions.diagnostics import Diagnostic, error
from falco_exceptions.document import Entry
from falco_exceptions.policy import Context

CODE = "FE307"

_EXAMPLES = {"owner": "<team>", "ticket": "<ticket id>", "expires": "YYYY-MM-DD"}


def check(entries: Sequence[Entry], context: Context) -> Iterator[Diagnostic]:
    policy = context.policy
    for entry in entries:
        for key in policy.require:
            if getattr(entry, key) is None:
                yield error(
                    entry.position,
                    CODE,
                    f"exception to rule {entry.rule!r} has no {key}, which "
                    f"{policy.cite('require')} requires; add {key}: {_EXAMPLES[key]}",
                )
