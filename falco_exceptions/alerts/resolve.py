"""From what an alert says to its rule in the selected ruleset and its field values.

The rule is the JSON `rule` field when there is one; otherwise the alert text is compared
with every rule's output format (see `ruleset`). The result is never a silent guess:

- several rules with the same output: the ones that cannot fire on the selected Falco
  (disabled, or in a file it does not load) are left out; if several remain, the alert
  is skipped with a warning that names them;
- no rule of the selected ruleset: the other bundled rulesets are searched. When the rule
  found there has the same name in the selected ruleset, the alert is taken as that rule
  (read with the output format it came with) and a warning says the alerts look like
  another Falco's; otherwise it is skipped, naming the rulesets and Falco releases that
  have it;
- a rule name that no ruleset has: skipped (a custom rule needs `--rules-file`).

Values come from JSON `output_fields`, else from the text through the output format.
When the output has no `%proc.name` but has `%proc.cmdline`, proc.name is the first word
of the command line (Falco's proc.cmdline is proc.name followed by the arguments).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from falco_exceptions.alerts.formats import UNSET, OutputFormat
from falco_exceptions.alerts.model import Alert, Warnings
from falco_exceptions.alerts.ruleset import RulesetIndex
from falco_exceptions.alerts.shapes import JsonAlert, NotAnAlert, TextAlert, parse_text, shapes
from falco_exceptions.alerts.sources import Record, records
from falco_exceptions.catalog import bundled_catalog_names, load_bundled_catalog
from falco_exceptions.checks.rule_exists import other_rulesets, ruleset_label
from falco_exceptions.diagnostics import Position
from falco_exceptions.errors import FatalError
from falco_exceptions.target import Target

STDIN = "-"
# Falco's own messages: `Tue Jun 15 02:05:20 2021: Falco initialized with configuration ...`
FALCO_LOG = re.compile(r"[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}: ")


class Resolver:
    def __init__(self, target: Target, warnings: Warnings) -> None:
        self.target = target
        self.index = RulesetIndex(target.catalog)
        self.warnings = warnings
        self._others: list[RulesetIndex] | None = None
        self._label = ruleset_label(target.catalog.name)

    def alerts(self, lines: Iterable[str], display: str) -> Iterator[Alert]:
        """The alerts in one input, in order; everything else becomes a warning."""
        for record in records(lines):
            where = Position(display, record.line)
            if not isinstance(record, Record):
                self.warnings.add(where, record.problem, "unreadable")
                continue
            for shape in shapes(record.value):
                if isinstance(shape, NotAnAlert):
                    self.warnings.add(where, shape.problem, "not-alert-json")
                    continue
                alert = self.resolve(shape, where)
                if alert is not None:
                    yield alert

    def resolve(self, shape: TextAlert | JsonAlert, where: Position) -> Alert | None:
        if isinstance(shape, JsonAlert):
            return self._json(shape, where)
        return self._text(shape, where)

    def _json(self, shape: JsonAlert, where: Position) -> Alert | None:
        if shape.rule is None:
            text = parse_text(shape.output)
            alert = self._text(text, where)
            if alert is not None and shape.output_fields is not None:
                return Alert(
                    alert.rule, _with_proc_name(_fields(shape.output_fields)), where, text.time
                )
            return alert
        rule = self.target.catalog.rules.get(shape.rule)
        if rule is None:
            self._unknown_rule(shape.rule, where)
            return None
        if shape.output_fields is not None:
            event = _fields(shape.output_fields)
        else:
            compiled = self.index.format(rule.name)
            body = parse_text(shape.output).body
            event = (compiled.parse(body) if compiled else None) or {}
        return Alert(rule.name, _with_proc_name(event), where, shape.time)

    def _text(self, shape: TextAlert, where: Position) -> Alert | None:
        found = self.index.by_output(shape.body)
        body = shape.body
        if not found and shape.priority is not None:
            found, body = self.index.by_output(shape.with_priority), shape.with_priority
        if found:
            chosen = self._choose(found, body, where)
            if chosen is None:
                return None
            compiled, event = chosen
            return Alert(compiled.rule, _with_proc_name(event), where, shape.time)
        return self._elsewhere(shape, where)

    def _choose(
        self, found: list[OutputFormat], body: str, where: Position
    ) -> tuple[OutputFormat, dict[str, str | None]] | None:
        best = [f for f in found if len(f.head) == len(found[0].head)]
        if len(best) > 1:
            firing = [f for f in best if self._fires(f.rule)]
            best = firing or best
        usable = []
        for compiled in best:
            event = compiled.parse(body)
            if event is not None:
                usable.append((compiled, event))
        if len(usable) > 1:  # the output whose keys the alert has wins
            top = max(len(f.fields & e.keys()) for f, e in usable)
            usable = [(f, e) for f, e in usable if len(f.fields & e.keys()) == top]
        if len(usable) == 1:
            return usable[0]
        names = " and ".join(repr(f.rule) for f in best)
        self.warnings.add(
            where,
            f"the alert fits several rules of {self._label} ({names}), which have the same "
            "output; skipped (Falco's JSON output names the rule)",
            f"ambiguous {names}",
        )
        return None

    def _fires(self, rule: str) -> bool:
        info = self.target.catalog.rules[rule]
        return info.enabled and self.target.is_loaded(info.file)

    def _elsewhere(self, shape: TextAlert, where: Position) -> Alert | None:
        for index in self._other_indexes():
            found = index.by_output(shape.body)
            if not found:
                continue
            compiled = found[0]
            other = ruleset_label(index.catalog.name)
            if compiled.rule in self.target.catalog.rules:
                event = compiled.parse(shape.body) or {}
                self.warnings.add(
                    where,
                    f"the alert has the output of rule {compiled.rule!r} in {other}, not its "
                    f"output in {self._label}: taken as that rule; are the alerts from "
                    "another Falco? (--falco-version, --rules-version)",
                    f"other output {compiled.rule}",
                )
                return Alert(compiled.rule, _with_proc_name(event), where, shape.time)
            self.warnings.add(
                where,
                f"the alert is from rule {compiled.rule!r}, which {self._label} does not "
                f"have; {other} has it; skipped (select that Falco with --falco-version)",
                f"other rule {compiled.rule}",
            )
            return None
        if shape.time is not None or shape.priority is not None:
            self.warnings.add(
                where,
                f"no rule of {self._label} or of any bundled ruleset has this output; "
                "skipped (for a rule of your own, give its file with --rules-file)",
                "unknown output",
            )
        elif FALCO_LOG.match(shape.body):
            self.warnings.add(where, "a message of Falco itself, not an alert; skipped", "log")
        else:
            self.warnings.add(where, "not a Falco alert; skipped", "not an alert")
        return None

    def _other_indexes(self) -> list[RulesetIndex]:
        if self._others is None:
            current = self.target.catalog.name
            self._others = [
                RulesetIndex(load_bundled_catalog(name))
                for name in reversed(bundled_catalog_names())
                if name != current
            ]
        return self._others

    def _unknown_rule(self, rule: str, where: Position) -> None:
        elsewhere = other_rulesets(rule, self.target.catalog.name)
        if elsewhere:
            message = (
                f"rule {rule!r} is not in {self._label}; it exists in {', '.join(elsewhere[:3])}; "
                "skipped (select that Falco with --falco-version)"
            )
        else:
            message = (
                f"rule {rule!r} is in no bundled ruleset; skipped (for a rule of your own, give "
                "its file with --rules-file)"
            )
        self.warnings.add(where, message, f"unknown rule {rule}")


def _fields(raw: Mapping[str, Any]) -> dict[str, str | None]:
    event: dict[str, str | None] = {}
    for name, value in raw.items():
        if value is None:
            event[name] = None
        elif isinstance(value, bool):
            event[name] = "true" if value else "false"
        else:
            text = str(value)
            event[name] = None if text in UNSET else text
    return event


def _with_proc_name(event: dict[str, str | None]) -> dict[str, str | None]:
    if "proc.name" not in event and "proc.cmdline" in event:
        cmdline = event["proc.cmdline"]
        event["proc.name"] = cmdline.split(None, 1)[0] if cmdline and cmdline.strip() else None
    return event


def open_input(path: Path) -> IO[str]:
    """An alerts file (or `-`, standard input) as text; undecodable bytes become U+FFFD, so
    a garbage line is a warning, never the end of the run."""
    import sys

    if str(path) == STDIN:
        return open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
    try:
        return path.open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise FatalError(f"alerts file {path} not found") from None
    except OSError as exc:
        raise FatalError(f"cannot read alerts file {path}: {exc.strerror or exc}") from None


def display(path: Path) -> str:
    if str(path) == STDIN:
        return "<stdin>"
    from falco_exceptions.document import display_name

    return display_name(path)
