"""The rendered rules must load after the user's rules file they change.

The falco chart mounts every `customRules` key as a file in /etc/falco/rules.d, and Falco
loads those files in alphabetical order of their names. An exception to a rule (or
through a hook macro) that another `customRules` file defines is written into the
rendered file (`--rules-filename`, falco-exceptions.yaml by default); when that name
sorts first, Falco meets the change before the rule and refuses to start ("no rule by
that name already exists"). The message names a file name that sorts after every
`customRules` file, so one name works for all entries.
"""

from __future__ import annotations

from collections.abc import Iterator

from falco_exceptions.diagnostics import Diagnostic, error
from falco_exceptions.document import Entry
from falco_exceptions.mechanism import Kind, Mechanism, choose
from falco_exceptions.target import Target

CODE = "FE212"


def check(entry: Entry, target: Target) -> Iterator[Diagnostic]:
    rule = target.catalog.rules[entry.rule]
    chosen = choose(rule, target)
    if not isinstance(chosen, Mechanism):
        return
    if chosen.kind is Kind.HOOK_MACRO and chosen.hook is not None:
        changed, defined_in = f"hook macro {chosen.hook}", target.catalog.macros[chosen.hook]
    else:
        changed, defined_in = f"rule {rule.name!r}", rule.file
    if defined_in not in target.rules_d or defined_in < target.rules_filename:
        return
    yield error(
        entry.at("rule"),
        CODE,
        f"{changed} is defined in {defined_in}, another customRules file, which Falco loads "
        f"after {target.rules_filename} (/etc/falco/rules.d loads in name order), so Falco "
        f"would refuse to start; name the rendered file so it sorts last: --rules-filename "
        f"{name_after(target.rules_filename, target.rules_d)}",
    )


def name_after(filename: str, others: tuple[str, ...]) -> str:
    """`filename` with a `zz-` prefix (more `z`s as needed), sorting after all `others`."""
    candidate = f"zz-{filename}"
    while others and candidate <= max(others):
        candidate = f"z{candidate}"
    return candidate
