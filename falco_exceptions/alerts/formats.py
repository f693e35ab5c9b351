"""A rule's output format, compiled once: how to recognise its alerts and read values back.

An output such as `Sensitive file opened ... (user=%user.name program=%proc.name ...)` is
split into its head (the literal text before the first value: the message people see)
and its `key=%field` pairs. An alert text is recognised by its head; each value runs from
its `key=` to the next known key (a value may hold spaces: `command=%proc.cmdline`), so
keys the output does not name and words like `-Dx=y` inside a value do not split it.

Known keys are the output's own plus the ones Falco adds after it (falco-facts section 9):
the chart's `-pk` tail (`k8s.ns= k8s.pod= container=`), the container plugin's
`container_id= container_name=`, and `%container.info`, which Falco replaces by one of
those or, in older releases, by `NAME (id=ID)`. Empty values and `<NA>` mean unset.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

_PLACEHOLDER = re.compile(r"%([A-Za-z_][\w.]*(?:\[[^\]]*\])?)")
_KEY = re.compile(r"([^\s=(|,]+)=$")
CONTAINER_INFO = "container.info"

# Keys Falco appends after (or in place of %container.info in) a rule's output.
CONTEXT_KEYS: dict[str, str] = {
    "k8s.ns": "k8s.ns.name",
    "k8s.pod": "k8s.pod.name",
    "container": "container.id",
    "container_id": "container.id",
    "container_name": "container.name",
}
CONTEXT_FIELDS = frozenset(CONTEXT_KEYS.values())
_MARKS_OF = {f: tuple(f"{k}=" for k, v in CONTEXT_KEYS.items() if v == f) for f in CONTEXT_FIELDS}
UNSET = frozenset(("", "<NA>"))
MISSING: Any = object()  # a default that no value is


class LazyEvent(Mapping[str, "str | None"]):
    """An alert's field values, worked out only when asked for (`get`): most alerts are
    only ever asked for the few fields an entry or a suggestion looks at."""

    __slots__ = ()

    def get(self, name: str, default: Any = None) -> Any:
        raise NotImplementedError

    def __getitem__(self, name: str) -> str | None:
        value = self.get(name, MISSING)
        if value is MISSING:
            raise KeyError(name)
        return value  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return sum(1 for _ in self)


# Older Falco wrote %container.info as `NAME (id=ID)`, and `-pc` as `container=NAME (id=ID)`.
_CONTEXT_MARKERS = re.compile(
    r"(?<![^\s(|,])(?:"
    + "|".join(sorted(map(re.escape, CONTEXT_KEYS), key=len, reverse=True))
    + ")="
)
_OLD_CONTAINER_INFO = re.compile(r"(?<![^\s(])(?:container=)?(\S+) \(id=([0-9A-Za-z]+)\)")


@dataclass(frozen=True)
class Value:
    """What one `key=` holds: usually one field, sometimes several (`image=%repo:%tag`)."""

    fields: tuple[str, ...]
    literals: tuple[str, ...]  # between the fields: len(fields) - 1 of them
    after: str  # the format's text after the value, up to the next key ("", ")", ",")

    @cached_property
    def splitter(self) -> re.Pattern[str] | None:
        if len(self.fields) == 1:
            return None
        # Greedy groups: a separator found more than once splits at its last place
        # (`registry:5000/app:1.2` is repository `registry:5000/app`, tag `1.2`).
        inner = "".join(f"(.*){re.escape(lit)}" for lit in self.literals)
        return re.compile(f"^{inner}(.*)$", re.DOTALL)

    @cached_property
    def single(self) -> str | None:
        """The field, when the value is one field."""
        return self.fields[0] if len(self.fields) == 1 else None

    def assign(self, text: str, event: dict[str, str | None]) -> None:
        if self.splitter is None:
            name = self.fields[0]
            if name not in event:
                event[name] = None if text in UNSET else text
            return
        match = self.splitter.match(text)
        parts = match.groups() if match else (text, *("" for _ in self.literals))
        for name, part in zip(self.fields, parts, strict=True):
            event.setdefault(name, unset_or(part))


@dataclass(frozen=True)
class Step:
    """One `key=` in output order: the text that introduces it (the separator before it,
    then `key=`), and whether Falco may put context keys right after its value."""

    marker: str
    value: Value
    context_after: bool

    @cached_property
    def plain(self) -> bool:
        """One field, nothing after it to cut off: the value is the group's text."""
        return self.value.single is not None and not self.context_after


@dataclass(frozen=True)
class OutputFormat:
    """One rule's output, compiled."""

    rule: str
    text: str
    head: str  # the literal start of every alert of this rule
    message: re.Pattern[str] | None  # when the message itself holds values (positional)
    message_fields: tuple[str, ...]
    values: dict[str, Value]  # key -> value, in output order
    trailer: str  # the literal after the last value, stripped (")" in the 3.x style)
    steps: tuple[Step, ...] = ()

    @property
    def fields(self) -> frozenset[str]:
        """Every field the output names (and so every field an alert of it carries)."""
        names = {f for v in self.values.values() for f in v.fields}
        return frozenset(names | set(self.message_fields))

    @cached_property
    def _markers(self) -> re.Pattern[str]:
        keys = sorted({*self.values, *CONTEXT_KEYS}, key=len, reverse=True)
        return re.compile(r"(?<![^\s(|,])(?:" + "|".join(map(re.escape, keys)) + ")=")

    @cached_property
    def last_step(self) -> int:
        return len(self.steps) - 1

    @cached_property
    def slots(self) -> dict[str, tuple[int, Step]]:
        """Each field's place in the layout: its group (first `key=` naming it) and step."""
        found: dict[str, tuple[int, Step]] = {}
        for i, step in enumerate(self.steps):
            for name in step.value.fields:
                found.setdefault(name, (i, step))
        return found

    def parse(self, body: str) -> Mapping[str, str | None] | None:
        """The field values of an alert text of this rule; None when the text is not one.

        In the usual layout (every key of the output, in its order) the values are read
        when asked for (`TextEvent`): a suggestion or an entry looks at a few of them.
        """
        known: dict[str, str | None] = {}
        if self.message is not None:
            match = self.message.match(body)
            if match is None:
                return None
            for name, value in zip(self.message_fields, match.groups(), strict=True):
                known.setdefault(name, unset_or(value))
            start = match.end()
        elif body.startswith(self.head):
            start = len(self.head)
        else:
            return None
        if "(id=" in body:
            body = _OLD_CONTAINER_INFO.sub(r"container_name=\1 container_id=\2", body)
        layout = self._layout
        in_order = layout.match(body, start) if layout is not None else None
        if in_order is not None:
            return TextEvent(self, in_order.groups(), known)
        self._by_markers(body, start, known)
        return known

    @cached_property
    def _layout(self) -> re.Pattern[str] | None:
        """Every key in output order, each value running to the next key of the output
        (so `command=a user=b` inside a command line does not end it early)."""
        if not self.steps:
            return None
        inner = "(.*?)".join(re.escape(step.marker) for step in self.steps)
        return re.compile(inner + "(.*)", re.DOTALL)

    def follows(self, body: str) -> bool:
        """Whether `body` has this output's head and every key of it, in its order."""
        layout = self._layout
        if self.message is not None or not body.startswith(self.head) or layout is None:
            return False
        return layout.match(body, len(self.head)) is not None

    def value_of(self, groups: tuple[str, ...], slot: tuple[int, Step], name: str) -> str | None:
        index, step = slot
        raw = groups[index]
        last = index == len(groups) - 1
        if last or step.context_after:
            context = _CONTEXT_MARKERS.search(raw)
            raw = (raw[: context.start()] if context else raw).rstrip()
            if last:
                raw = _cut(raw, self.trailer)
        if step.value.single is not None:
            return None if raw in UNSET else raw
        parts: dict[str, str | None] = {}
        step.value.assign(raw, parts)
        return parts[name]

    @cached_property
    def _context_groups(self) -> tuple[int, ...]:
        """The groups Falco may put context keys in: after %container.info, and the last."""
        last = len(self.steps) - 1
        return tuple(i for i, s in enumerate(self.steps) if s.context_after or i == last)

    def may_hold(self, groups: tuple[str, ...], field: str) -> bool:
        """Whether a key of context field `field` appears where Falco puts context."""
        return any(
            key in groups[index] for index in self._context_groups for key in _MARKS_OF[field]
        )

    def context(self, groups: tuple[str, ...]) -> dict[str, str | None]:
        """The context keys Falco put after values (the -pk tail, the container plugin's
        fields, %container.info)."""
        found: dict[str, str | None] = {}
        last = len(groups) - 1
        for index in self._context_groups:
            raw = groups[index]
            if "=" not in raw:
                continue
            raw = raw.rstrip()
            markers = list(_CONTEXT_MARKERS.finditer(raw))
            for i, marker in enumerate(markers):
                end = markers[i + 1].start() if i + 1 < len(markers) else len(raw)
                text = raw[marker.end() : end].rstrip()
                if index == last:
                    text = _cut(text, self.trailer)
                found.setdefault(CONTEXT_KEYS[marker.group()[:-1]], unset_or(text))
        return found

    def _by_markers(self, body: str, start: int, event: dict[str, str | None]) -> None:
        """Any other layout: a value runs to the next key the output or Falco knows."""
        markers = list(self._markers.finditer(body, start))
        for i, marker in enumerate(markers):
            last = i + 1 == len(markers)
            end = len(body) if last else markers[i + 1].start()
            raw = body[marker.end() : end].rstrip()
            key = marker.group()[:-1]
            value = self.values.get(key)
            if value is not None:
                raw = _cut(raw, value.after)
            if last:
                raw = _cut(raw, self.trailer)
            if value is not None:
                value.assign(raw, event)
            else:
                event.setdefault(CONTEXT_KEYS[key], unset_or(raw))


class TextEvent(LazyEvent):
    """An alert text's values, read from its layout match when asked for."""

    __slots__ = ("_context", "_format", "_groups", "_known")

    def __init__(
        self, output: OutputFormat, groups: tuple[str, ...], known: dict[str, str | None]
    ) -> None:
        self._format = output
        self._groups = groups
        self._known = known  # values of the message itself
        self._context: dict[str, str | None] | None = None

    def get(self, name: str, default: Any = None) -> Any:
        slot = self._format.slots.get(name)
        if slot is not None and name not in self._known:
            index, step = slot
            if step.plain and index != self._format.last_step:  # the common case, fast
                raw = self._groups[index]
                return None if raw in UNSET else raw
            return self._format.value_of(self._groups, slot, name)
        if name in self._known:
            return self._known[name]
        if name in CONTEXT_FIELDS:
            if self._context is None:
                if not self._format.may_hold(self._groups, name):
                    return default  # the usual answer, without reading the context
                self._context = self._format.context(self._groups)
            return self._context.get(name, default)
        if name == "proc.name" and "proc.cmdline" in self._format.slots:
            cmdline = self.get("proc.cmdline")
            return cmdline.split(None, 1)[0] if cmdline and cmdline.strip() else None
        return default

    def __iter__(self) -> Iterator[str]:
        names = [*self._known, *self._format.slots]
        if self._context is None:
            self._context = self._format.context(self._groups)
        names += self._context
        if "proc.cmdline" in self._format.slots:
            names.append("proc.name")
        return iter(dict.fromkeys(names))


def _cut(text: str, suffix: str) -> str:
    return text[: -len(suffix)].rstrip() if suffix and text.endswith(suffix) else text


def unset_or(text: str) -> str | None:
    return None if text in UNSET else text


def compile_output(rule: str, output: str) -> OutputFormat:
    text = " ".join(output.split())
    pieces = _PLACEHOLDER.split(text)  # literal, field, literal, field, ..., literal
    literals, names = pieces[0::2], pieces[1::2]
    positional: list[tuple[str, str]] = []  # (literal before, field) in the message
    # Each `key=` in output order: [marker, key, fields, literals between, context after]
    found: list[tuple[str, str, list[str], list[str], list[bool]]] = []
    afters: list[str] = []  # the text after each occurrence's value, up to the next key
    first_key: tuple[str, str] | None = None  # (the literal before it, the key)

    for before, name in zip(literals, names, strict=False):
        if name == CONTAINER_INFO:
            if found:
                found[-1][4][0] = True
            continue  # Falco puts context keys (or nothing) in its place
        key = _KEY.search(before)
        if key is not None:
            if found:
                afters.append(before[: key.start()])
            else:
                first_key = (before[: key.start()], key.group(1))
            marker = before if found else key.group()
            found.append((marker, key.group(1), [name], [], [False]))
        elif found:
            found[-1][2].append(name)
            found[-1][3].append(before)
        else:
            positional.append((before, name))
    afters.append(literals[-1])
    steps = tuple(
        Step(marker, Value(tuple(fields), tuple(lits), after.strip()), context[0])
        for (marker, _, fields, lits, context), after in zip(found, afters, strict=True)
    )
    values: dict[str, Value] = {}
    for occurrence, step in zip(found, steps, strict=True):
        values.setdefault(occurrence[1], step.value)
    trailer = literals[-1].strip() if names else ""
    message = None
    if positional:
        pattern = "".join(re.escape(lit) + "(.*?)" for lit, _ in positional)
        if first_key is not None:
            pattern += re.escape(first_key[0]) + f"(?={re.escape(first_key[1])}=)"
        else:
            pattern += re.escape(literals[-1].rstrip()) + r"(?=\s|$)"
        message = re.compile(pattern)
        head = positional[0][0]
    elif first_key is not None:
        head = first_key[0]
    else:
        head = literals[0] if names else text
    return OutputFormat(
        rule=rule,
        text=text,
        head=head,
        message=message,
        message_fields=tuple(name for _, name in positional),
        values=values,
        trailer=trailer,
        steps=steps,
    )


def message_of(output: str) -> str:
    """The words people read first in an alert of this output (its head, punctuation off)."""
    head = _PLACEHOLDER.split(" ".join(output.split()))[0]
    key = _KEY.search(head)
    if key is not None:
        head = head[: key.start()]
    return head.rstrip(" (|:,-")
