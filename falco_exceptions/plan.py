"""From checked entries to what will be rendered: pure data, no YAML.

Entries for the same rule, the same fields and the same comparisons share one named
exception (one row each, or one per prefix); hook macro and condition appends are one item
per entry, in file order.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from falco_exceptions.document import Comparison, Entry, FieldTest
from falco_exceptions.falco.quoting import literal
from falco_exceptions.mechanism import Kind, Mechanism, choose
from falco_exceptions.target import Target

RowValue = str | tuple[str, ...]  # one condition literal, or a list of them for `in`
Shape = tuple[tuple[str, Comparison], ...]  # the fields of an entry and how each compares


@dataclass(frozen=True)
class Row:
    entry: Entry
    values: tuple[RowValue, ...]  # one per field


@dataclass
class NamedException:
    name: str
    fields: tuple[str, ...]
    comps: tuple[str, ...]  # Falco operators: =, in, startswith
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
    groups: dict[str, dict[Shape, list[Entry]]] = {}  # rule -> shape -> entries, in file order
    for entry in entries:
        mechanism = choose(target.catalog.rules[entry.rule], target)
        assert isinstance(mechanism, Mechanism), "entries are checked before planning"
        if mechanism.kind is Kind.EXCEPTION:
            if entry.rule not in groups:
                groups[entry.rule] = {}
                items.append(RuleExceptions(entry.rule))
            groups[entry.rule].setdefault(entry.shape, []).append(entry)
        elif mechanism.kind is Kind.HOOK_MACRO:
            assert mechanism.hook is not None
            items.append(MacroAppend(mechanism.hook, entry, tuple_test(entry, target)))
        else:
            items.append(ConditionAppend(entry.rule, entry, tuple_test(entry, target)))
    for item in items:
        if isinstance(item, RuleExceptions):
            for shape, members in groups[item.rule].items():
                item.exceptions.append(_named(shape, members, target))
    return Plan(target, tuple(sources), tuple(items))


def exception_name(shape: Shape) -> str:
    """`falco_exceptions_proc_name_fd_name`; a prefix field ends in `_startswith`."""
    parts = [
        name.replace(".", "_") + ("_startswith" if how is Comparison.STARTSWITH else "")
        for name, how in shape
    ]
    return "falco_exceptions_" + "_".join(parts)


def _named(shape: Shape, members: Sequence[Entry], target: Target) -> NamedException:
    """One named exception for the entries of one shape, one row per entry and prefix.

    A field compared with `=` takes `in` and a list of values when any entry lists
    several (Falco writes a list value as `(a, b)`); a prefix field takes one prefix per
    row, since `startswith` compares with one value.
    """
    comps = tuple(
        "startswith"
        if how is Comparison.STARTSWITH
        else ("in" if any(len(e.values(name)) > 1 for e in members) else "=")
        for name, how in shape
    )
    named = NamedException(exception_name(shape), tuple(n for n, _ in shape), comps)
    for entry in members:
        choices: list[list[RowValue]] = []
        for test, comp in zip(entry.fields, comps, strict=True):
            literals = [_literal(v, target) for v in test.values]
            choices.append([tuple(literals)] if comp == "in" else list(literals))
        for combo in itertools.product(*choices):
            named.rows.append(Row(entry, tuple(combo)))
    return named


def tuple_test(entry: Entry, target: Target) -> str:
    """`proc.name = a and fd.name in (b, c)`: the condition one entry excepts."""
    return " and ".join(_comparison(test, target) for test in entry.fields)


def _comparison(test: FieldTest, target: Target) -> str:
    quoted = [_literal(v, target) for v in test.values]
    if test.comparison is Comparison.STARTSWITH:
        each = [f"{test.field} startswith {q}" for q in quoted]
        return each[0] if len(each) == 1 else "(" + " or ".join(each) + ")"
    if len(quoted) == 1:
        return f"{test.field} = {quoted[0]}"
    return f"{test.field} in ({', '.join(quoted)})"


def _literal(value: str, target: Target) -> str:
    return literal(value, target.engine.parser, target.catalog.lists)
