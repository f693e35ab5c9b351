"""What a pull request changes in the exceptions, as data: `markdown` writes it out.

Each exception in effect, how the selected Falco will get it, and what the checks found
about it; with a base version, what the change adds, removes and changes. Entries of the
two versions are paired by `id`, then by identical rule and values, then by rule and
process, so editing a path or a date shows as a change rather than a removal and an
addition.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import partial

from falco_exceptions.checker import Result
from falco_exceptions.diagnostics import Diagnostic
from falco_exceptions.document import FIELDS, Document, Entry, FalcoSettings
from falco_exceptions.layering import Removal
from falco_exceptions.mechanism import Kind, Refusal, choose
from falco_exceptions.plan import exception_name
from falco_exceptions.target import Target

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class Row:
    entry: Entry
    rendering: str  # how the selected Falco gets it
    findings: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Change:
    kind: str  # ADDED, REMOVED or CHANGED
    entry: Entry  # as it is now (as it was, when removed)
    details: tuple[str, ...] = ()  # CHANGED: "key: before → after"
    findings: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Report:
    files: tuple[str, ...]
    falco: str | None  # the Falco version; None when none could be chosen
    ruleset: str | None
    rows: tuple[Row, ...]
    removed_by_layers: tuple[Removal, ...]
    other_findings: tuple[Diagnostic, ...]  # not about one entry
    diagnostics: tuple[Diagnostic, ...]
    base: str | None = None
    changes: tuple[Change, ...] = ()
    settings_changes: tuple[str, ...] = ()  # "falco.version: 0.26.2 → 0.44.1"


def build(result: Result, base_name: str | None = None, base: Document | None = None) -> Report:
    doc, target = result.document, result.target
    by_entry = {id(e): _findings(e, result.diagnostics) for e in doc.entries}
    attached = {d for found in by_entry.values() for d in found}
    rows = tuple(Row(e, rendering(e, target), by_entry[id(e)]) for e in doc.entries)
    changes: tuple[Change, ...] = ()
    settings: tuple[str, ...] = ()
    if base is not None:
        changes = tuple(
            Change(c.kind, c.entry, c.details, by_entry.get(id(c.entry), ()))
            for c in compare(base.entries, doc.entries)
        )
        settings = settings_changes(base.falco, doc.falco)
    return Report(
        files=doc.files,
        falco=target.engine.text if target else None,
        ruleset=target.catalog.name if target else None,
        rows=rows,
        removed_by_layers=doc.removed,
        other_findings=tuple(d for d in result.diagnostics if d not in attached),
        diagnostics=tuple(result.diagnostics),
        base=base_name,
        changes=changes,
        settings_changes=settings,
    )


def settings_changes(before: FalcoSettings, after: FalcoSettings) -> tuple[str, ...]:
    """The `falco:` keys whose value changed: they change how every exception renders."""
    pairs = (
        ("falco.version", before.version, after.version),
        ("falco.rules", before.rules, after.rules),
        ("falco.rulesFiles", before.rules_files, after.rules_files),
    )
    return tuple(f"{key}: {_shown(old)} → {_shown(new)}" for key, old, new in pairs if old != new)


def _shown(value: str | tuple[str, ...] | None) -> str:
    if value is None:
        return "(not set)"
    return value if isinstance(value, str) else ", ".join(value)


def rendering(entry: Entry, target: Target | None) -> str:
    """`hook macro NAME`, `rule exception NAME`, ...: what the entry becomes on `target`."""
    rule = target.catalog.rules.get(entry.rule) if target else None
    if target is None or rule is None:
        return "not rendered: unknown rule"
    chosen = choose(rule, target)
    if isinstance(chosen, Refusal):
        return "refused: no safe mechanism"
    if chosen.kind is Kind.EXCEPTION:
        return f"rule exception {exception_name(entry.shape)}"
    if chosen.kind is Kind.HOOK_MACRO:
        return f"hook macro {chosen.hook}"
    return "rule condition: and not (...)"


def compare(before: Sequence[Entry], after: Sequence[Entry]) -> list[Change]:
    """Added and changed entries in `after` order, then removed ones in `before` order."""
    pairs: dict[int, Entry] = {}  # id(after entry) -> its before entry
    left = list(before)
    for key in (_by_id, _by_values, _by_process):
        for entry in after:
            if id(entry) in pairs or key(entry) is None:
                continue
            match = next((b for b in left if key(b) == key(entry)), None)
            if match is not None:
                pairs[id(entry)] = match
                left.remove(match)
    changes = []
    for entry in after:
        old = pairs.get(id(entry))
        if old is None:
            changes.append(Change(ADDED, entry))
        elif details := differences(old, entry):
            changes.append(Change(CHANGED, entry, details))
    return changes + [Change(REMOVED, entry) for entry in left]


def differences(old: Entry, new: Entry) -> tuple[str, ...]:
    found = []
    for key, get in _COMPARED:
        a, b = get(old), get(new)
        if a != b:
            found.append(f"{key}: {a or '(none)'} → {b or '(none)'}")
    return tuple(found)


def _test_text(entry: Entry, name: str) -> str | None:
    """`a, b` or `startswith /etc/`; value order means nothing."""
    test = entry.test(name)
    return test.value_text(ordered=True) if test else None


_COMPARED: tuple[tuple[str, Callable[[Entry], str | None]], ...] = (
    ("id", lambda e: e.id),
    ("rule", lambda e: e.rule),
    *((name, partial(_test_text, name=name)) for name in FIELDS),
    ("justification", lambda e: e.justification),
    ("owner", lambda e: e.owner),
    ("ticket", lambda e: e.ticket),
    ("expires", lambda e: str(e.expires) if e.expires else None),
)


def _by_id(entry: Entry) -> Hashable | None:
    return entry.id


def _by_values(entry: Entry) -> Hashable | None:
    return entry.identity


def _by_process(entry: Entry) -> Hashable | None:
    return (entry.rule, frozenset(entry.values("proc.name")))


def _findings(entry: Entry, diagnostics: Sequence[Diagnostic]) -> tuple[Diagnostic, ...]:
    """The diagnostics located on the entry or on one of its keys."""
    places = {entry.position, *entry.value_positions.values()}
    return tuple(d for d in diagnostics if d.position in places)
