"""`coverage` results as text (for people) or JSON (for scripts)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from falco_exceptions.alerts.coverage import Coverage, EntryCoverage, Remaining
from falco_exceptions.document import Comparison, Entry
from falco_exceptions.target import Target

FORMAT_VERSION = 1


def text(result: Coverage, target: Target) -> str:
    lines = [
        f"# Falco {target.engine.text}, rules {target.catalog.name}: what each exception "
        "silences of these alerts"
    ]
    width = max((len(_where(e.entry)) for e in result.entries), default=0)
    for item in result.entries:
        entry = item.entry
        label = f"{_where(entry):<{width}}  {item.matched:>6}  {entry.rule}: {_values(entry)}"
        if item.matched == 0:
            label += "  (unused for these alerts)"
        lines.append(label)
        if item.by_rule and list(item.by_rule) != [entry.rule]:
            shares = ", ".join(f"{rule} {count}" for rule, count in item.by_rule.most_common())
            lines.append(f"{'':<{width}}  {'':>6}  {_through(entry, target)}: {shares}")
    lines.append("# remaining: the alerts no exception silences, most first")
    for group in result.remaining:
        lines.append(f"{group.count:>8}  {group.rule}: {_group_values(group.values)}")
    if not result.remaining:
        lines.append("(none)")
    unused = len(result.unused)
    lines.append(
        f"{result.alerts} alert(s): {result.silenced} silenced, "
        f"{result.alerts - result.silenced} remaining; {unused} exception(s) unused"
        + (" (stale, if these alerts come from a Falco running without them)" if unused else "")
    )
    return "\n".join(lines) + "\n"


def json_text(result: Coverage, target: Target) -> str:
    doc = {
        "version": FORMAT_VERSION,
        "falco": target.engine.text,
        "ruleset": target.catalog.name,
        "alerts": result.alerts,
        "silenced": result.silenced,
        "exceptions": [_entry(item) for item in result.entries],
        "remaining": [_remaining(group) for group in result.remaining],
        "unused": [_place(item.entry) for item in result.unused],
    }
    return json.dumps(doc, indent=2) + "\n"


def _entry(item: EntryCoverage) -> dict[str, object]:
    return {
        **_place(item.entry),
        "matched": item.matched,
        "rules": dict(item.by_rule.most_common()),
    }


def _place(entry: Entry) -> dict[str, object]:
    return {"file": entry.position.file, "line": entry.position.line, "rule": entry.rule}


def _remaining(group: Remaining) -> dict[str, object]:
    return {"rule": group.rule, **dict(group.values), "count": group.count}


def _through(entry: Entry, target: Target) -> str:
    from falco_exceptions.mechanism import Mechanism, choose

    chosen = choose(target.catalog.rules[entry.rule], target)
    if isinstance(chosen, Mechanism) and chosen.hook:
        return f"through hook macro {chosen.hook}"
    return "silenced"


def _where(entry: Entry) -> str:
    return f"{entry.position.file}:{entry.position.line}"


def _values(entry: Entry) -> str:
    return " ".join(
        f"{test.field}={','.join(test.values)}"
        if test.comparison is Comparison.EQUALS
        else f"{test.field} {test.value_text()}"
        for test in entry.fields
    )


def _group_values(values: Iterable[tuple[str, str | None]]) -> str:
    """The values the alerts have set (all of them are in the JSON, unset as null)."""
    return " ".join(f"{name}={value}" for name, value in values if value is not None)
