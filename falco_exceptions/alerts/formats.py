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
from dataclasses import dataclass
from functools import cached_property

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
UNSET = frozenset(("", "<NA>"))

# Older Falco wrote %container.info as `NAME (id=ID)`, and `-pc` as `container=NAME (id=ID)`.
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

    def assign(self, text: str, event: dict[str, str | None]) -> None:
        if self.splitter is None:
            event.setdefault(self.fields[0], unset_or(text))
            return
        match = self.splitter.match(text)
        parts = match.groups() if match else (text, *("" for _ in self.literals))
        for name, part in zip(self.fields, parts, strict=True):
            event.setdefault(name, unset_or(part))


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

    @property
    def fields(self) -> frozenset[str]:
        """Every field the output names (and so every field an alert of it carries)."""
        names = {f for v in self.values.values() for f in v.fields}
        return frozenset(names | set(self.message_fields))

    @cached_property
    def _markers(self) -> re.Pattern[str]:
        keys = sorted({*self.values, *CONTEXT_KEYS}, key=len, reverse=True)
        return re.compile(r"(?<![^\s(|,])(?:" + "|".join(map(re.escape, keys)) + ")=")

    def parse(self, body: str) -> dict[str, str | None] | None:
        """The field values of an alert text of this rule; None when the text is not one."""
        event: dict[str, str | None] = {}
        if self.message is not None:
            match = self.message.match(body)
            if match is None:
                return None
            for name, value in zip(self.message_fields, match.groups(), strict=True):
                event.setdefault(name, unset_or(value))
            start = match.end()
        elif body.startswith(self.head):
            start = len(self.head)
        else:
            return None
        if "(id=" in body:
            body = _OLD_CONTAINER_INFO.sub(r"container_name=\1 container_id=\2", body)
        markers = list(self._markers.finditer(body, start))
        for i, marker in enumerate(markers):
            last = i + 1 == len(markers)
            end = len(body) if last else markers[i + 1].start()
            raw = body[marker.end() : end].rstrip()
            key = marker.group()[:-1]
            value = self.values.get(key)
            if value is not None and value.after and raw.endswith(value.after):
                raw = raw[: -len(value.after)].rstrip()
            if last and self.trailer and raw.endswith(self.trailer):
                raw = raw[: -len(self.trailer)].rstrip()
            if value is not None:
                value.assign(raw, event)
            else:
                event.setdefault(CONTEXT_KEYS[key], unset_or(raw))
        return event


def unset_or(text: str) -> str | None:
    return None if text in UNSET else text


def compile_output(rule: str, output: str) -> OutputFormat:
    text = " ".join(output.split())
    pieces = _PLACEHOLDER.split(text)  # literal, field, literal, field, ..., literal
    literals, names = pieces[0::2], pieces[1::2]
    values: dict[str, Value] = {}
    positional: list[tuple[str, str]] = []  # (literal before, field) in the message
    current: tuple[str, list[str], list[str]] | None = None  # key, its fields, literals
    first_key: tuple[str, str] | None = None  # (literal before the key, key)

    def close(after: str) -> None:
        if current is not None and current[0] not in values:
            key, fields, lits = current
            values[key] = Value(tuple(fields), tuple(lits), after.strip())

    for before, name in zip(literals, names, strict=False):
        if name == CONTAINER_INFO:
            continue  # Falco puts context keys (or nothing) in its place
        key = _KEY.search(before)
        if key is not None:
            close(before[: key.start()])
            current = (key.group(1), [name], [])
            if first_key is None:
                first_key = (before[: key.start()], key.group(1))
        elif current is not None:
            current[1].append(name)
            current[2].append(before)
        else:
            positional.append((before, name))
    close(literals[-1])
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
    )


def message_of(output: str) -> str:
    """The words people read first in an alert of this output (its head, punctuation off)."""
    head = _PLACEHOLDER.split(" ".join(output.split()))[0]
    key = _KEY.search(head)
    if key is not None:
        head = head[: key.start()]
    return head.rstrip(" (|:,-")
