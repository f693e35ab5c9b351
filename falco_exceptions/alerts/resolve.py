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

from falco_exceptions.alerts.formats import MISSING, UNSET, LazyEvent, OutputFormat
from falco_exceptions.alerts.model import Alert, Warnings
from falco_exceptions.alerts.ruleset import RulesetIndex
from falco_exceptions.alerts.shapes import (
    JsonAlert,
    NotAnAlert,
    TextAlert,
    falco_json,
    parse_text,
    shapes,
)
from falco_exceptions.alerts.sources import Unreadable, records
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
            line, value = record
            if record.__class__ is Unreadable:
                self.warnings.add(Position(display, line), value, "unreadable")
                continue
            if isinstance(value, str) and value[:1] != "{":  # a text line, the common case
                alert = self._text(parse_text(value), display, line)
                if alert is not None:
                    yield alert
                continue
            if isinstance(value, dict):
                falco = falco_json(value)
                if falco is not None:  # Falco's own JSON, the other common case
                    alert = self._json(falco, display, line)
                    if alert is not None:
                        yield alert
                    continue
            yield from self._wrapped(value, display, line)

    def _wrapped(self, value: Any, display: str, line: int) -> Iterator[Alert]:
        for shape in shapes(value):
            if isinstance(shape, NotAnAlert):
                self.warnings.add(Position(display, line), shape.problem, "not-alert-json")
                continue
            alert = self.resolve(shape, display, line)
            if alert is not None:
                yield alert

    def resolve(self, shape: TextAlert | JsonAlert, display: str, line: int) -> Alert | None:
        if isinstance(shape, JsonAlert):
            return self._json(shape, display, line)
        return self._text(shape, display, line)

    def _json(self, shape: JsonAlert, display: str, line: int) -> Alert | None:
        if shape.rule is None:
            text = parse_text(shape.output)
            alert = self._text(text, display, line)
            if alert is not None and shape.output_fields is not None:
                return Alert(alert.rule, JsonEvent(shape.output_fields), display, line, text.time)
            return alert
        rule = self.target.catalog.rules.get(shape.rule)
        if rule is None:
            self._unknown_rule(shape.rule, Position(display, line))
            return None
        if shape.output_fields is not None:
            return Alert(rule.name, JsonEvent(shape.output_fields), display, line, shape.time)
        compiled = self.index.format(rule.name)
        body = parse_text(shape.output).body
        event = (compiled.parse(body) if compiled else None) or {}
        return Alert(rule.name, _with_proc_name(event), display, line, shape.time)

    def _text(self, shape: TextAlert, display: str, line: int) -> Alert | None:
        found = self.index.by_output(shape.body)
        body = shape.body
        if not found and shape.priority is not None:
            found, body = self.index.by_output(shape.with_priority), shape.with_priority
        if len(found) == 1:  # the common case
            event = found[0].parse(body)
            if event is not None:
                return Alert(found[0].rule, _with_proc_name(event), display, line, shape.time)
        if found:
            chosen = self._choose(found, body, Position(display, line))
            if chosen is None:
                return None
            compiled, event = chosen
            return Alert(compiled.rule, _with_proc_name(event), display, line, shape.time)
        return self._elsewhere(shape, display, line)

    def _choose(
        self, found: list[OutputFormat], body: str, where: Position
    ) -> tuple[OutputFormat, Mapping[str, str | None]] | None:
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

    def _elsewhere(self, shape: TextAlert, display: str, line: int) -> Alert | None:
        where = Position(display, line)
        candidates = [
            (index, found[0])
            for index in self._other_indexes()
            if (found := index.by_output(shape.body))
        ]
        # The ruleset whose output the alert follows key by key, else the newest that has it.
        exact = [(i, f) for i, f in candidates if f.follows(shape.body)]
        for index, compiled in (exact or candidates)[:1]:
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
                return Alert(compiled.rule, _with_proc_name(event), display, line, shape.time)
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


class JsonEvent(LazyEvent):
    """Falco's `output_fields`, read as an event when asked: only the few fields an entry
    or a suggestion looks at are converted (numbers to text; empty and `<NA>` to None)."""

    __slots__ = ("_raw",)

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self._raw = raw

    def get(self, name: str, default: Any = None) -> Any:
        raw = self._raw
        value = raw.get(name, MISSING)
        if value is MISSING:
            if name == "proc.name" and "proc.cmdline" in raw:
                return _first_word(_value(raw["proc.cmdline"]))
            return default
        if value.__class__ is str:
            return None if value in UNSET else value
        return _value(value)

    def __iter__(self) -> Iterator[str]:
        yield from self._raw
        if "proc.name" not in self._raw and "proc.cmdline" in self._raw:
            yield "proc.name"


def _value(value: Any) -> str | None:
    if value.__class__ is str:
        return None if value in UNSET else value
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _first_word(text: str | None) -> str | None:
    return text.split(None, 1)[0] if text and text.strip() else None


def _with_proc_name(event: Mapping[str, str | None]) -> Mapping[str, str | None]:
    """A read event gets proc.name from proc.cmdline; a lazy one derives it when asked."""
    if isinstance(event, dict) and "proc.name" not in event and "proc.cmdline" in event:
        event["proc.name"] = _first_word(event["proc.cmdline"])
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
