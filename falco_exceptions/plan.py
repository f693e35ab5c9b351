"""From checked entries to what will be rendered: pure data, no YAML.

Entries for the same rule and the same fields share one named exception (one row each);
hook macro and condition appends are one item per entry, in file order.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from falco_exceptions.document import Entry
from falco_exceptions.falco.quoting import literal
from falco_exceptions.mechanism import Kind, Mechanism, choose
from falco_exceptions.target import Target


@dataclass(frozen=True)
class Row:
    entry: Entry
    values: tuple[str, ...]  # condition literals, one per field


@dataclass
class NamedException:
    name: str
    fields: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)


@dataclass
class RuleExceptions:
    rule: str
    exceptions: list[NamedException] = field(default_factory=list)


@dataclass(frozen=True)
class MacroAppend:
    macro: str
    entry: Entry
    condition: str  # the tuple test, without `or`


@dataclass(frozen=True)
class ConditionAppend:
    rule: str
    entry: Entry
    condition: str  # the tuple test, without `and not`


Item = RuleExceptions | MacroAppend | ConditionAppend


@dataclass(frozen=True)
class Plan:
    target: Target
    sources: tuple[str, ...]
    items: tuple[Item, ...]


def build(entries: Sequence[Entry], target: Target, sources: Sequence[str]) -> Plan:
    """The plan for `entries`, which must already have passed the checks."""
    items: list[Item] = []
    by_rule: dict[str, RuleExceptions] = {}
    for entry in entries:
        mechanism = choose(target.catalog.rules[entry.rule], target)
        assert isinstance(mechanism, Mechanism), "entries are checked before planning"
        if mechanism.kind is Kind.EXCEPTION:
            group = by_rule.get(entry.rule)
            if group is None:
                group = by_rule[entry.rule] = RuleExceptions(entry.rule)
                items.append(group)
            _add_rows(group, entry, target)
        elif mechanism.kind is Kind.HOOK_MACRO:
            assert mechanism.hook is not None
            items.append(MacroAppend(mechanism.hook, entry, tuple_test(entry, target)))
        else:
            items.append(ConditionAppend(entry.rule, entry, tuple_test(entry, target)))
    return Plan(target, tuple(sources), tuple(items))


def exception_name(fields: Sequence[str]) -> str:
    return "falco_exceptions_" + "_".join(f.replace(".", "_") for f in fields)


def _add_rows(group: RuleExceptions, entry: Entry, target: Target) -> None:
    fields = entry.field_names
    named = next((e for e in group.exceptions if e.fields == fields), None)
    if named is None:
        named = NamedException(exception_name(fields), fields)
        group.exceptions.append(named)
    literals = [[_literal(v, target) for v in values] for _, values in entry.fields]
    for combo in itertools.product(*literals):
        named.rows.append(Row(entry, tuple(combo)))


def tuple_test(entry: Entry, target: Target) -> str:
    """`proc.name = a and fd.name in (b, c)`: the condition one entry excepts."""
    parts = []
    for name, values in entry.fields:
        quoted = [_literal(v, target) for v in values]
        if len(quoted) == 1:
            parts.append(f"{name} = {quoted[0]}")
        else:
            parts.append(f"{name} in ({', '.join(quoted)})")
    return " and ".join(parts)


def _literal(value: str, target: Target) -> str:
    return literal(value, target.engine.parser, target.catalog.lists)
