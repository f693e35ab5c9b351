"""A model of how each Falco generation loads user rules on top of the upstream ones
(falco-facts.md sections 1-4), used to check rendered rules text.

`apply` returns the problems Falco would report (fatal load errors, and items it would
silently ignore) and, per rule, whether the added exclusion guards its whole condition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from falco_exceptions.catalog import Catalog
from falco_exceptions.falco.versions import Engine


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
            out.guarded[name] = not rule.top_level_or
    return out
