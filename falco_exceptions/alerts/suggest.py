"""`suggest`: from alerts to exceptions.yaml entries, as narrow as each alert allows.

An entry names the alert's rule and the narrowing fields the alert has set (`narrowing`:
proc.name, then fd.name where the rule's output carries it). Alerts that give the same
entry are one suggestion; suggestions come most alerts first, then in the order first
seen. Each carries a comment (how many alerts, the first one's time and place) and a
placeholder justification that `validate` rejects (FE104) until a person writes one.

What an entry would still need is said in comments above it, not hidden: the findings
`validate` has for it (a broad entry, FE303; a rule in a file Falco does not load by
default, FE202; a value the Falco cannot write, FE205; ...), found by running those checks
on the suggested entries themselves, and a proc.name that Falco may have cut to 15 bytes.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from falco_exceptions import checks, document, schema
from falco_exceptions.alerts import narrowing
from falco_exceptions.alerts.model import Alert, Warnings
from falco_exceptions.alerts.silencing import Silencers
from falco_exceptions.checks.policy import broad
from falco_exceptions.checks.proc_name_form import KERNEL_NAME_BYTES
from falco_exceptions.diagnostics import Diagnostic, Position
from falco_exceptions.document import Entry, FieldTest
from falco_exceptions.falco.versions import default_ruleset
from falco_exceptions.policy import Context, Policy
from falco_exceptions.target import Target
from falco_exceptions.yamltext import comment, scalar

_PLAIN = re.compile(r"^[!-~](?:[ -~]{0,198}[!-~])?$")
_SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
PLACEHOLDER = "TODO"
PLACEHOLDER_COMMENT = "# why is this safe? validate rejects TODO (FE104)"
_STAND_IN = "A stand-in justification, only to run the checks on a suggested entry."
SOURCE = "suggested"


@dataclass
class Suggestion:
    rule: str
    fields: tuple[tuple[str, str], ...]  # (key, value) in narrowing order
    count: int
    first: Alert
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Suggested:
    suggestions: tuple[Suggestion, ...]
    alerts: int  # alerts read
    excepted: int  # alerts the existing file already excepts (--append)
    rules_files: tuple[str, ...] | None  # falco.rulesFiles the entries need, when not default


def suggest(
    alerts: Iterable[Alert],
    target: Target,
    warnings: Warnings,
    existing: Silencers | None = None,
    *,
    adds_rules_files: bool = True,
) -> Suggested:
    """Group the alerts into suggestions and check them.

    `existing`: the entries of the file being appended to; the alerts they silence are
    skipped. `adds_rules_files`: the document will list the rules files the suggested rules
    need (a new document); when False (appending to a file whose falco: block stays as it
    is), an entry whose rule's file is not loaded is told so (FE202).
    """
    rows = narrowing.active()
    groups: dict[tuple[str, tuple[tuple[str, str], ...]], Suggestion] = {}
    total = excepted = 0
    for alert in alerts:
        total += 1
        if existing is not None and existing.of(alert):
            excepted += 1
            continue
        values = narrowing.set_values(alert.event, rows)
        if not values or values[0][0] != narrowing.REQUIRED:
            warnings.add(
                alert.where,
                f"the alert of rule {alert.rule!r} has no {narrowing.REQUIRED} (its output "
                f"has neither %proc.name nor %proc.cmdline, or they are unset); no entry",
                f"no proc.name {alert.rule}",
            )
            continue
        key = (alert.rule, values)
        group = groups.get(key)
        if group is None:
            groups[key] = Suggestion(alert.rule, values, 1, alert)
        else:
            group.count += 1
    ordered = sorted(groups.values(), key=lambda s: -s.count)  # stable: first seen on ties
    needed = _rules_files(ordered, target) if adds_rules_files else None
    checked = dataclasses.replace(target, loaded_files=needed) if needed else target
    _annotate(ordered, checked)
    return Suggested(tuple(ordered), total, excepted, needed)


def _rules_files(suggestions: Sequence[Suggestion], target: Target) -> tuple[str, ...] | None:
    """The loaded files plus the ones the suggested rules are in, when that is more."""
    files = {target.catalog.rules[s.rule].file for s in suggestions}
    missing = files - set(target.loaded_files)
    if not missing:
        return None
    order = [f.name for f in target.catalog.files]
    return tuple(sorted({*target.loaded_files, *missing}, key=order.index))


def _annotate(suggestions: Sequence[Suggestion], target: Target) -> None:
    """Run the schema, the entry checks and the broad check on the suggestions, as
    `validate` would once the justification is written; say what they find."""
    if not suggestions:
        return
    items = [{"rule": s.rule, **dict(s.fields), "justification": _STAND_IN} for s in suggestions]
    refused = _schema_problems(items, suggestions)
    entries = [
        Entry(
            rule=s.rule,
            fields=tuple(FieldTest(key, (value,)) for key, value in s.fields),
            justification=_STAND_IN,
            position=Position(SOURCE, i + 1),  # the line says which suggestion
        )
        for i, s in enumerate(suggestions)
        if i not in refused
    ]
    context = Context(target, Policy(), datetime.date.today(), 0)
    found = [*checks.run(entries, target), *broad.check(entries, context)]
    for diagnostic in sorted(found, key=lambda d: d.sort_key):
        suggestions[diagnostic.position.line - 1].notes.append(_said(diagnostic))
    for suggestion in suggestions:
        note = _truncated(suggestion)
        if note:
            suggestion.notes.append(note)


def _schema_problems(items: list[dict[str, str]], suggestions: Sequence[Suggestion]) -> set[int]:
    """The suggestions the schema refuses (each told why): one check of the unusual ones
    together, then one of each refused entry alone, for its messages.

    Only entries with a value that is not plain text (printable ASCII, no space at either
    end, at most 200 characters) are checked: the schema asks nothing of a field value
    that such a value does not give, and checking hundreds of plain entries costs more
    than reading the alerts.
    """
    unusual = [i for i, item in enumerate(items) if not all(map(_plain, item.values()))]
    if not unusual:
        return set()
    return {
        unusual[i] for i in _checked([items[i] for i in unusual], [suggestions[i] for i in unusual])
    }


def _plain(value: str) -> bool:
    return bool(_PLAIN.match(value))


def _checked(items: list[dict[str, str]], suggestions: Sequence[Suggestion]) -> set[int]:
    data = {"apiVersion": document.API_VERSION, "exceptions": items}
    _, paths = schema.check_paths(data, data, SOURCE)
    refused = {p[1] for p in paths if len(p) > 1 and p[0] == "exceptions" and isinstance(p[1], int)}
    for index in sorted(refused):
        alone = {"apiVersion": document.API_VERSION, "exceptions": [items[index]]}
        problems, _ = schema.check_paths(alone, alone, SOURCE)
        suggestions[index].notes += [_said(problem) for problem in problems]
    return refused


def _said(diagnostic: Diagnostic) -> str:
    return f"{diagnostic.severity.value} {diagnostic.code}: {diagnostic.message}"


def _truncated(suggestion: Suggestion) -> str | None:
    name = dict(suggestion.fields)[narrowing.REQUIRED]
    if len(name.encode("utf-8")) != KERNEL_NAME_BYTES:
        return None
    exepath = suggestion.first.event.get("proc.exepath")
    base = exepath.rsplit("/", 1)[-1] if exepath else ""
    if len(base) > len(name) and base.startswith(name):
        return (
            f"proc.name {name!r} is {base!r} (proc.exepath {exepath}) cut to "
            f"{KERNEL_NAME_BYTES} bytes by the kernel; Falco compares the cut name, as written"
        )
    return (
        f"proc.name {name!r} is {KERNEL_NAME_BYTES} bytes long, where the kernel cuts process "
        "names: it may be the start of a longer name; Falco compares the cut name, as written"
    )


def entry_lines(
    suggestion: Suggestion,
    indent: int,
    justification: str | None = None,
    *,
    with_notes: bool = True,
) -> list[str]:
    """The entry as YAML lines: its comments, then `- rule: ...` at `indent`."""
    pad = " " * indent
    lines = []
    if with_notes:
        lines.append(pad + comment(_origin(suggestion)))
        lines += [pad + comment(note) for note in suggestion.notes]
    lines.append(f"{pad}- rule: {scalar(suggestion.rule)}")
    for key, value in suggestion.fields:
        lines.append(f"{pad}  {key}: {scalar(value)}")
    if justification is None:
        lines.append(f"{pad}  justification: {PLACEHOLDER}  {PLACEHOLDER_COMMENT}")
    else:
        lines.append(f"{pad}  justification: {scalar(justification)}")
    return lines


def _origin(suggestion: Suggestion) -> str:
    count = f"{suggestion.count} alert{'s' if suggestion.count != 1 else ''}"
    first = suggestion.first
    when = f", first at {first.time}" if first.time else ""
    return f"{count}{when} ({first.where.file}:{first.where.line})"


def document_text(suggested: Suggested, target: Target, sources: Sequence[str]) -> str:
    """A complete exceptions.yaml for the suggestions, for the Falco they were made for."""
    lines = [
        comment(
            f"Suggested by falco-exceptions from {', '.join(sources)}: write each "
            "justification, then run falco-exceptions validate."
        ),
        "apiVersion: falco-exceptions/v1",
        "falco:",
        f"  version: {_version(target.engine.text)}",
    ]
    if target.catalog.name != default_ruleset(target.engine.version) and _bundled(target):
        lines.append(f"  rules: {scalar(target.catalog.name)}")
    if suggested.rules_files:
        files = ", ".join(scalar(f, flow=True) for f in suggested.rules_files)
        lines.append(f"  rulesFiles: [{files}]  # the alerts come from rules in all of these")
    if not _bundled(target):
        lines.append("  # checked against --rules-file; give the same files to validate and render")
    if not suggested.suggestions:
        lines.append("exceptions: []")
    else:
        lines.append("exceptions:")
        for suggestion in suggested.suggestions:
            lines += entry_lines(suggestion, 2)
    return "\n".join(lines) + "\n"


def _bundled(target: Target) -> bool:
    from falco_exceptions.catalog import bundled_catalog_names

    return target.catalog.name in bundled_catalog_names()


def _version(text: str) -> str:
    """0.26.2 as YAML reads it, a string; 0.44 would be a number, so it is quoted."""
    return text if _SEMVER.match(text) else f"'{text}'"
