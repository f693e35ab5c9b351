"""The rule must exist in the ruleset of the selected Falco, in a file that Falco loads.

A misspelled name is the most common mistake, and appending to a rule that no loaded
file defines makes Falco 0.36+ refuse to start. The message suggests the closest names,
and says when the rule lives in a file that is not loaded (add that file to
`falco.rulesFiles`) or only in other Falco versions. A "name" that is really the start of
what the alerts say ("Sensitive file opened for reading by non-trusted program") gets the
rule whose output begins so ("Read sensitive file untrusted").
"""

from __future__ import annotations

from collections.abc import Iterator

from falco_exceptions.catalog import Catalog, bundled_catalog_names, load_bundled_catalog
from falco_exceptions.diagnostics import Diagnostic, error
from falco_exceptions.document import Entry
from falco_exceptions.falco.versions import releases_using
from falco_exceptions.target import Target

CODE = "FE201"
NOT_LOADED = "FE202"


def check(entry: Entry, target: Target) -> Iterator[Diagnostic]:
    catalog = target.catalog
    rule = catalog.rules.get(entry.rule)
    at = entry.at("rule")
    if rule is not None:
        if not target.is_loaded(rule.file):
            how = (
                f"the values load {', '.join(target.loaded_files)} ({target.loaded_by}); load "
                f"{rule.file} there (its falcoctl ref and its path in falco.rules_files) first"
                if target.loaded_by
                else f"loaded: {', '.join(target.loaded_files)}); if you load it, add it to "
                "falco.rulesFiles"
            )
            opening = "; " if target.loaded_by else " ("
            yield error(
                at,
                NOT_LOADED,
                f"rule {entry.rule!r} is in {rule.file}, which Falco does not load here"
                f"{opening}{how}",
            )
        return
    message = f"rule {entry.rule!r} does not exist in {catalog.name}"
    by_text = by_alert_text(entry.rule, catalog)
    close = catalog.closest_rules(entry.rule)
    if by_text:
        names = " or ".join(repr(n) for n in by_text)
        message += f"; it is the start of the alert text of rule {names}; write the rule's name"
    elif close:
        message += "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    elsewhere = other_rulesets(entry.rule, catalog.name)
    if elsewhere:
        shown = ", ".join(elsewhere[:3])
        more = f" and {len(elsewhere) - 3} older" if len(elsewhere) > 3 else ""
        message += f" (it exists in {shown}{more}; see `falco-exceptions versions`)"
    yield error(at, CODE, message)


def by_alert_text(text: str, catalog: Catalog) -> list[str]:
    """The rules whose alerts start with `text` (see alerts.ruleset)."""
    from falco_exceptions.alerts.ruleset import RulesetIndex

    return RulesetIndex(catalog).by_alert_text(text)


def other_rulesets(rule: str, current: str) -> list[str]:
    """Newest first: `falco-rules-5.1.0 (Falco 0.42.1-0.44.1, falco-sandbox_rules.yaml)`."""
    found = []
    for name in reversed(bundled_catalog_names()):
        other = load_bundled_catalog(name).rules.get(rule)
        if name == current or other is None:
            continue
        found.append(ruleset_label(name, other.file))
    return found


def ruleset_label(name: str, file: str = "falco_rules.yaml") -> str:
    """`falco-rules-5.1.0 (Falco 0.42.1-0.44.1)`, and the file when it is not the stable one."""
    details = []
    releases = releases_using(name)
    if releases:
        span = releases[0] if len(releases) == 1 else f"{releases[0]}-{releases[-1]}"
        details.append(f"Falco {span}")
    if file != "falco_rules.yaml":
        details.append(file)
    return f"{name} ({', '.join(details)})" if details else name
