"""Tell when exceptions go into a hook macro that other rules use too.

Appending `or (...)` to a hook macro such as `user_known_read_sensitive_files_activities`
silences the same process (and file) in every rule that uses that macro. That is
usually what upstream intended, but a reviewer should know. An info, not a warning,
said once per hook macro: at the first entry that goes into it, naming all of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from falco_exceptions.catalog import RuleInfo
from falco_exceptions.diagnostics import Diagnostic, info
from falco_exceptions.document import Entry
from falco_exceptions.mechanism import Kind, Mechanism, choose, silenced_rules
from falco_exceptions.target import Target

CODE = "FE207"
ACROSS_ENTRIES = True  # check(entries, target): sees every entry at once


def check(entries: Sequence[Entry], target: Target) -> Iterator[Diagnostic]:
    by_hook: dict[str, list[Entry]] = {}
    for entry in entries:
        chosen = choose(target.catalog.rules[entry.rule], target)
        if isinstance(chosen, Mechanism) and chosen.kind is Kind.HOOK_MACRO and chosen.hook:
            by_hook.setdefault(chosen.hook, []).append(entry)
    for hook, taken in by_hook.items():
        rules = dict.fromkeys(r for e in taken for r in silenced_rules(_rule(e, target), target))
        if len(rules) < 2:
            continue  # the hook serves only the excepted rule
        first = taken[0]
        if len(taken) == 1:
            others = ", ".join(repr(r) for r in rules if r != first.rule)
            message = f"this goes into hook macro {hook}, which also excepts it from {others}"
        else:
            places = ", ".join(str(e.at("rule")) for e in taken)
            message = (
                f"the {len(taken)} entries at {places} go into hook macro {hook}, so each is "
                f"excepted from every rule that uses it: {', '.join(repr(r) for r in rules)}"
            )
        yield info(first.at("rule"), CODE, f"on Falco {target.engine.text} {message}")


def _rule(entry: Entry, target: Target) -> RuleInfo:
    return target.catalog.rules[entry.rule]
