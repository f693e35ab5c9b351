"""Tell when the exception goes into a hook macro that other rules use too.

Appending `or (...)` to a hook macro such as `user_known_read_sensitive_files_activities`
silences the same process (and file) in every rule that uses that macro. That is
usually what upstream intended, but a reviewer should know. An info, not a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from falco_exceptions.diagnostics import Diagnostic, info
from falco_exceptions.document import Entry
from falco_exceptions.mechanism import Mechanism, choose, silenced_rules
from falco_exceptions.target import Target

CODE = "FE207"


def check(entry: Entry, target: Target) -> Iterator[Diagnostic]:
    rule = target.catalog.rules[entry.rule]
    others = silenced_rules(rule, target)[1:]
    if others:
        chosen = choose(rule, target)
        assert isinstance(chosen, Mechanism) and chosen.hook is not None
        yield info(
            entry.at("rule"),
            CODE,
            f"on Falco {target.engine.text} this goes into hook macro {chosen.hook}, which "
            f"also excepts it from {', '.join(repr(r) for r in others)}",
        )
