"""How an exception to one rule can be expressed on one Falco engine.

| Falco       | mechanism                                                             |
|-------------|-----------------------------------------------------------------------|
| < 0.31      | `or (...)` appended to the rule's hook macro                          |
| 0.31        | a new named rule exception                                            |
| 0.32 - 0.37 | a rule exception if the condition has no top-level `or`, else the hook |
| >= 0.38     | a new named rule exception                                            |

Without a usable hook, `and not (...)` is appended to the rule's condition, but only
where the condition has no top-level `or` (`A or B and not X` guards only `B`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from falco_exceptions.catalog import Hook, RuleInfo
from falco_exceptions.target import Target


class Kind(Enum):
    EXCEPTION = "rule exception"
    HOOK_MACRO = "hook macro append"
    CONDITION = "rule condition append"


@dataclass(frozen=True)
class Mechanism:
    kind: Kind
    reason: str
    hook: str | None = None


@dataclass(frozen=True)
class Refusal:
    reason: str


def choose(rule: RuleInfo, target: Target) -> Mechanism | Refusal:
    eng = target.engine
    if eng.adds_exception_names and (not rule.top_level_or or eng.parenthesises_condition):
        why = f"Falco {eng.text} adds new named exceptions to a rule"
        if rule.top_level_or:
            why += " and guards the whole condition, top-level `or` included"
        return Mechanism(Kind.EXCEPTION, why)
    hook = usable_hook(rule, target)
    if hook is not None:
        if not eng.adds_exception_names:
            why = f"Falco {eng.text} cannot add exception names to a rule (0.31+ can)"
        else:
            why = (
                f"the condition has a top-level `or`, which Falco {eng.text} does not "
                "parenthesise before an exception (fixed in 0.38)"
            )
        why += f"; so `or (...)` is appended to its hook macro {hook.name}"
        return Mechanism(Kind.HOOK_MACRO, why, hook.name)
    if not rule.top_level_or:
        return Mechanism(
            Kind.CONDITION,
            f"the rule has no hook macro and its condition has no top-level `or`, so "
            f"`and not (...)` guards all of it on Falco {eng.text}",
        )
    return Refusal(_refusal(rule, target))


def silenced_rules(rule: RuleInfo, target: Target) -> tuple[str, ...]:
    """The loaded rules that an exception to `rule` silences on this Falco.

    A rule exception or a condition append touches only the rule itself; an `or (...)`
    appended to a hook macro reaches every loaded rule that uses the macro. The rule
    comes first, the others in catalog order. Empty when no mechanism is available.
    """
    chosen = choose(rule, target)
    if not isinstance(chosen, Mechanism):
        return ()
    if chosen.kind is not Kind.HOOK_MACRO:
        return (rule.name,)
    assert chosen.hook is not None
    catalog = target.catalog
    others = [
        name
        for name in catalog.rules_using_hook(chosen.hook)
        if name != rule.name and target.is_loaded(catalog.rules[name].file)
    ]
    return (rule.name, *others)


def usable_hook(rule: RuleInfo, target: Target) -> Hook | None:
    """The rule's first top-level hook macro that the loaded files define, `user_known_` first."""
    macros = target.catalog.macros
    candidates = [h for h in rule.hooks if h.top_level and target.is_loaded(macros.get(h.name, ""))]
    known = [h for h in candidates if h.name.startswith("user_known_")]
    preferred = known or candidates
    return preferred[0] if preferred else None


def _refusal(rule: RuleInfo, target: Target) -> str:
    eng = target.engine
    hooks = ", ".join(h.name for h in rule.hooks)
    if not hooks:
        problem = f"rule {rule.name!r} has no hook macro"
    elif any(h.top_level for h in rule.hooks):
        problem = f"rule {rule.name!r}'s hook macros ({hooks}) are not defined by a loaded file"
    else:
        problem = f"rule {rule.name!r}'s hook macros ({hooks}) do not guard every `or` branch"
    problem += (
        " and its condition has a top-level `or`, so `and not (...)` would only guard "
        "the last branch"
    )
    if not eng.adds_exception_names:
        return (
            problem
            + f"; Falco {eng.text} has no rule exceptions that could; Falco 0.31 or >= 0.38 can"
        )
    return (
        problem + f", and Falco {eng.text} adds exceptions the same way; "
        "Falco >= 0.38 parenthesises the condition and can"
    )
