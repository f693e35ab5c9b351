"""A model of how each Falco generation loads user rules on top of the upstream ones
(falco-facts.md sections 1-4), used to check rendered rules text.

`apply` returns the problems Falco would report (fatal load errors, and items it would
silently ignore) and, per rule, whether the added exclusion guards its whole condition.
`exception_condition` builds the condition text of a named exception the way the loaders
do (0.28 `rule_loader.lua`, 0.32+ `rule_loader.cpp`, the same shape in both).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from falco_exceptions.catalog import Catalog
from falco_exceptions.falco.versions import Engine
from tests.conftest import SHARED
from tests.falco.condition_model import ParseError, comparisons
from tests.falco.parser_model import quote_item

# Comparison operators an exception's comps may name (`defined_comp_operators` of the Lua
# loader; libs' `supported_operators` for the C++ one), and those that take a list value.
LUA_COMPS = frozenset(
    {"=", "==", "!=", "<=", ">=", "<", ">", "in", "intersects", "pmatch"}
    | {"contains", "icontains", "glob", "startswith", "endswith"}
)
CPP_COMPS = LUA_COMPS | {"bcontains", "bstartswith", "iglob", "exists"}
LIST_COMPS = frozenset({"in", "intersects", "pmatch"})
FIELD_LISTS = SHARED / "falco-fields"


@dataclass
class Outcome:
    problems: list[str] = field(default_factory=list)
    guarded: dict[str, bool] = field(default_factory=dict)  # rule -> exclusion covers all of it


def apply(
    items: list[dict[str, Any]], catalog: Catalog, loaded: tuple[str, ...], eng: Engine
) -> Outcome:
    out = Outcome()
    v = eng.version
    rules = {n: r for n, r in catalog.rules.items() if r.file in loaded}
    macros = {n for n, f in catalog.macros.items() if f in loaded}
    for item in items:
        override = item.get("override")
        if override is not None and v < (0, 37, 0):
            out.problems.append(f"{item}: override: is rejected before 0.37")
        if override is not None and "append" in item:
            out.problems.append(f"{item}: append and override together")
        if override is None and item.get("append") is not True:
            out.problems.append(f"{item}: would redefine instead of append")
        if "macro" in item:
            name = item["macro"]
            if name not in macros:
                out.problems.append(f"macro {name} is not defined by a loaded file")
                continue
            if not item["condition"].startswith("or ("):
                out.problems.append(f"macro {name}: append must start with `or (`")
            out.problems += _condition_problems(name, item["condition"][3:], eng)
            for rule in rules.values():
                if any(h.name == name for h in rule.hooks):
                    top = next(h.top_level for h in rule.hooks if h.name == name)
                    out.guarded[rule.name] = top and not rule.top_level_or
            continue
        name = item["rule"]
        rule = rules.get(name)
        if rule is None:
            out.problems.append(f"rule {name} is not defined by a loaded file (fatal from 0.36)")
            continue
        if "exceptions" in item:
            if v < (0, 28, 0):
                out.problems.append(f"rule {name}: exceptions are silently ignored before 0.28")
            elif v < (0, 31, 0):
                out.problems.append(f"rule {name}: new exception names are dropped before 0.31")
            for exc in item["exceptions"]:
                out.problems += _exception_problems(name, exc, eng)
                out.problems += _condition_problems(name, exception_condition(exc), eng)
                if len(exc["fields"]) != len(exc["comps"]):
                    out.problems.append(
                        f"rule {name}: fields and comps lists must have equal length"
                    )
                if any(len(row) != len(exc["fields"]) for row in exc["values"]):
                    out.problems.append(
                        f"rule {name}: fields and values lists must have equal length"
                    )
            out.guarded[name] = eng.parenthesises_condition or not rule.top_level_or
        elif "condition" in item:
            if not item["condition"].startswith("and not ("):
                out.problems.append(f"rule {name}: condition append must start with `and not (`")
            out.problems += _condition_problems(name, item["condition"][8:], eng)
            out.guarded[name] = not rule.top_level_or
    return out


def exception_condition(exc: dict[str, Any]) -> str:
    """`((f1 c1 v1 and f2 c2 v2) or (...))`: values through quote_item, a list value as
    `(a, b)`, a single value under a list operator in parentheses (paren_item)."""
    rows = []
    for row in exc["values"]:
        parts = []
        for name, comp, value in zip(exc["fields"], exc["comps"], row, strict=True):
            if isinstance(value, list):
                text = "(" + ", ".join(quote_item(v) for v in value) + ")"
            elif comp in LIST_COMPS:
                text = value if value.startswith("(") else f"({value})"
            else:
                text = quote_item(value)
            parts.append(f"{name} {comp} {text}")
        rows.append("(" + " and ".join(parts) + ")")
    return "(" + " or ".join(rows) + ")"


def _exception_problems(rule: str, exc: dict[str, Any], eng: Engine) -> list[str]:
    problems = []
    allowed = LUA_COMPS if eng.version < (0, 32, 0) else CPP_COMPS
    for comp in exc["comps"]:
        if comp not in allowed:
            problems.append(f"rule {rule}: comparison operator {comp} is not supported")
    known = known_fields(eng)
    for name in exc["fields"]:
        if known is not None and name not in known:
            problems.append(f"rule {rule}: field name {name} is not a supported filter field")
    for row in exc["values"]:
        for comp, value in zip(exc["comps"], row, strict=False):
            if isinstance(value, list) and comp not in LIST_COMPS:
                problems.append(f"rule {rule}: a list value needs a list operator, not {comp}")
    return problems


def _condition_problems(name: str, condition: str, eng: Engine) -> list[str]:
    """What the generation's parser and field table say of a rendered tuple test."""
    try:
        held = comparisons(condition, lua=eng.version < (0, 32, 0))
    except ParseError as exc:
        return [f"{name}: the condition does not parse: {exc}"]
    known = known_fields(eng)
    used = {field for conjunction in held for field, _, _ in conjunction}
    return [f"{name}: unknown field {f}" for f in sorted(used) if known and f not in known]


def known_fields(eng: Engine) -> set[str] | None:
    """The syscall fields of the newest listed release not newer than `eng` (falco-fields)."""
    listed = sorted(
        (tuple(int(p) for p in f.name.split("-")[1].split(".")), f)
        for f in FIELD_LISTS.glob("falco-*-syscall.txt")
    )
    chosen: Path | None = None
    for version, path in listed:
        if version <= eng.version:
            chosen = path
    return set(chosen.read_text().split()) if chosen else None
