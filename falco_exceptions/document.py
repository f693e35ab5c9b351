"""exceptions.yaml files: load with positions, check against the schema, give typed entries.

Several files combine in order (see `layering`): entries add up, a later file can remove
an earlier file's entry by id, and the files' `falco:` blocks must agree.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from falco_exceptions import layering, schema
from falco_exceptions.diagnostics import Diagnostic, Position, error
from falco_exceptions.falco.fields import NAMES, event_value
from falco_exceptions.yamlcompose import Source, compose
from falco_exceptions.yamlsource import read_text

API_VERSION = "falco-exceptions/v1"
MAX_FILE_BYTES = 4 * 2**20  # about 30,000 entries; larger sets are split into layered files
FIELDS = NAMES  # the Falco fields an entry can name, in rendering order (see falco.fields)
DUPLICATE = "FE105"
BAD_DATE = "FE106"
SETTINGS_CONFLICT = "FE107"


class Comparison(Enum):
    """How a field's value is compared; the value is Falco's operator."""

    EQUALS = "="  # `proc.name: x` or `proc.name: [x, y]`
    STARTSWITH = "startswith"  # `fd.name: {startswith: /etc/}` or `{startswith: [a, b]}`


@dataclass(frozen=True)
class FieldTest:
    """One field of an entry: the field's value compared with any of `values`."""

    field: str
    values: tuple[str, ...]
    comparison: Comparison = Comparison.EQUALS

    def accepts(self, actual: str) -> bool:
        if self.comparison is Comparison.STARTSWITH:
            return any(actual.startswith(prefix) for prefix in self.values)
        return actual in self.values

    def value_text(self, ordered: bool = False) -> str:
        """`a, b` or `startswith /etc/pam.d/`; `ordered` sorts the values (order means nothing)."""
        values = sorted(self.values) if ordered else self.values
        op = "startswith " if self.comparison is Comparison.STARTSWITH else ""
        return op + ", ".join(values)

    def describe(self) -> str:
        """`proc.name python3`, `fd.name startswith /etc/pam.d/`."""
        return f"{self.field} {self.value_text()}"


@dataclass(frozen=True)
class Entry:
    """One exception: a rule, the field tests it excepts (all must hold), and why."""

    rule: str
    fields: tuple[FieldTest, ...]  # in FIELDS order
    justification: str
    position: Position  # where the entry starts
    owner: str | None = None
    ticket: str | None = None
    expires: datetime.date | None = None
    # where each key's value stands (and `key[i]` for list items); worked out on first use
    value_positions: Mapping[str, Position] = field(default_factory=dict, compare=False)
    id: str | None = None  # names the entry across layered files (see `layering`)

    def test(self, name: str) -> FieldTest | None:
        return next((t for t in self.fields if t.field == name), None)

    def values(self, name: str) -> tuple[str, ...]:
        found = self.test(name)
        return found.values if found else ()

    def matches(self, event: Mapping[str, str | None]) -> bool:
        """Whether this entry's tuple test holds for an event's field values.

        The one definition of what an entry excepts, shared by the alert commands: every
        field the entry names must have a value in `event` that its test accepts (equal
        to one of its values, or starting with one of its prefixes). None or a missing
        key is an unset field, which nothing accepts; fd.directory, when missing, is the
        directory of a file's fd.name (see `falco.fields.event_value`).
        """
        for test in self.fields:
            actual = event_value(event, test.field)
            if actual is None or not test.accepts(actual):
                return False
        return True

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(t.field for t in self.fields)

    @property
    def shape(self) -> tuple[tuple[str, Comparison], ...]:
        """The fields and how each is compared: entries of one shape share a named exception."""
        return tuple((t.field, t.comparison) for t in self.fields)

    @property
    def identity(self) -> tuple[str, frozenset[tuple[str, Comparison, frozenset[str]]]]:
        """What makes two entries the same exception: the rule and the tests (any order)."""
        return (
            self.rule,
            frozenset((t.field, t.comparison, frozenset(t.values)) for t in self.fields),
        )

    def at(self, key: str) -> Position:
        """Where `key`'s value stands, or the entry itself."""
        return self.value_positions.get(key, self.position)

    def at_value(self, key: str, value: str) -> Position:
        """Where one of `key`'s values stands (the list item, when it is a list)."""
        values = self.values(key)
        index = values.index(value) if value in values else -1
        return self.value_positions.get(f"{key}[{index}]", self.at(key))


@dataclass(frozen=True)
class FalcoSettings:
    version: str | None = None
    rules: str | None = None
    rules_files: tuple[str, ...] | None = None
    positions: dict[str, Position] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Document:
    files: tuple[str, ...]
    falco: FalcoSettings
    entries: tuple[Entry, ...]  # in effect: after every file's removals
    removed: tuple[layering.Removal, ...] = ()


def load(
    paths: Sequence[Path], displays: Sequence[str] | None = None
) -> tuple[Document, list[Diagnostic]]:
    """Load and combine exception files; problems come back as diagnostics, all at once."""
    names = list(displays) if displays is not None else [display_name(p) for p in paths]
    texts = [
        (name, read_text(path, name, limit=MAX_FILE_BYTES))
        for path, name in zip(paths, names, strict=True)
    ]
    return load_texts(texts)


def load_texts(texts: Sequence[tuple[str, str | Diagnostic]]) -> tuple[Document, list[Diagnostic]]:
    """`load` for texts already read: (display name, text or the reading problem), in order."""
    diagnostics: list[Diagnostic] = []
    settings: list[FalcoSettings] = []
    layers: list[layering.Layer] = []
    for display, text in texts:
        found, layer, problems = _load_one(text, display)
        diagnostics.extend(problems)
        if found is not None:
            settings.append(found)
        layers.append(layer)
    entries, removals, conflicts = layering.combine(layers)
    diagnostics.extend(conflicts)
    diagnostics.extend(_duplicates(entries))
    falco, disagreements = _merge_settings(settings)
    diagnostics.extend(disagreements)
    names = tuple(display for display, _ in texts)
    return Document(names, falco, tuple(entries), tuple(removals)), diagnostics


def _load_one(
    text: str | Diagnostic, display: str
) -> tuple[FalcoSettings | None, layering.Layer, list[Diagnostic]]:
    empty = layering.Layer(display, ())
    if isinstance(text, Diagnostic):
        return None, empty, [text]
    source = compose(text, display)
    if isinstance(source, Diagnostic):
        return None, empty, [source]
    root = source.data
    if root is None:
        return None, empty, [error(Position(display, 1, 1), schema.SCHEMA_ERROR, _EMPTY)]
    problems, paths = schema.check_paths(root, source, display, source=text)
    if not isinstance(root, dict) or not all(_in_one_entry(p) for p in paths):
        return None, empty, problems
    # Entries that passed the schema still go through the rule checks (all problems at
    # once); the ones that failed are left out, and nothing renders while errors remain.
    failed = {p[1] for p in paths}
    settings = _settings(root.get("falco") or {}, source)
    entries = []
    for i, item in enumerate(root["exceptions"]):
        if i in failed:
            continue
        entry, date_problem = _entry(item, source, i)
        entries.append(entry)
        problems.extend(date_problem)
    removes = tuple(
        (str(ident), source.at(["remove", i])) for i, ident in enumerate(root.get("remove") or ())
    )
    return settings, layering.Layer(display, tuple(entries), removes), problems


_EMPTY = (
    "the file is empty; an exceptions file holds `apiVersion: falco-exceptions/v1` and an "
    "`exceptions:` list (see examples/exceptions.yaml)"
)


def _settings(block: dict[str, Any], source: Source) -> FalcoSettings | None:
    if not block:
        return None
    files = block.get("rulesFiles")
    positions = {k: source.at(["falco", k]) for k in block}
    return FalcoSettings(
        version=block.get("version"),
        rules=block.get("rules"),
        rules_files=tuple(str(f) for f in files) if files else None,
        positions=positions,
    )


def _entry(item: Any, source: Source, index: int) -> tuple[Entry, list[Diagnostic]]:
    at = source.at(["exceptions", index])
    # For `{startswith: ...}` the prefixes stand for the field's value.
    positions = source.lazy_positions(["exceptions", index], unwrap=Comparison.STARTSWITH.value)
    tests = [_test(name, item[name]) for name in FIELDS if name in item]
    expires, problems = _date(item.get("expires"), lambda: positions.get("expires", at))
    entry = Entry(
        rule=str(item["rule"]),
        fields=tuple(tests),
        justification=str(item["justification"]),
        position=at,
        owner=_opt(item.get("owner")),
        ticket=_opt(item.get("ticket")),
        expires=expires,
        value_positions=positions,
        id=_opt(item.get("id")),
    )
    return entry, problems


def _test(name: str, value: Any) -> FieldTest:
    """`x`, `[x, y]`, `{startswith: p}` or `{startswith: [p, q]}` (the schema checked it)."""
    comparison = Comparison.EQUALS
    if isinstance(value, dict):
        comparison = Comparison.STARTSWITH
        value = value[Comparison.STARTSWITH.value]
    values = tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)
    return FieldTest(name, values, comparison)


def _date(value: Any, at: Callable[[], Position]) -> tuple[datetime.date | None, list[Diagnostic]]:
    if value is None:
        return None, []
    if isinstance(value, datetime.date):
        return value, []
    try:
        return datetime.date.fromisoformat(str(value)), []
    except ValueError:
        return None, [
            error(at(), BAD_DATE, f"expires {str(value)!r} is not a real date (YYYY-MM-DD)")
        ]


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


def _duplicates(entries: list[Entry]) -> list[Diagnostic]:
    """The same rule with the same values (in any order) twice."""
    seen: dict[Any, Entry] = {}
    found = []
    for entry in entries:
        first = seen.setdefault(entry.identity, entry)
        if first is not entry:
            found.append(
                error(
                    entry.position,
                    DUPLICATE,
                    f"the same exception for rule {entry.rule!r} is already at {first.position}; "
                    "remove one of them",
                )
            )
    return found


def _merge_settings(settings: list[FalcoSettings]) -> tuple[FalcoSettings, list[Diagnostic]]:
    """The files' falco: blocks must agree; the first file that sets a key wins."""
    merged: dict[str, Any] = {}
    origin: dict[str, Position] = {}
    problems = []
    for s in settings:
        for key, value in (
            ("version", s.version),
            ("rules", s.rules),
            ("rulesFiles", s.rules_files),
        ):
            if value is None:
                continue
            if key in merged and merged[key] != value:
                problems.append(
                    error(
                        s.positions[key],
                        SETTINGS_CONFLICT,
                        f"falco.{key} {value!r} differs from {merged[key]!r} at {origin[key]}; "
                        "set it in one file only",
                    )
                )
                continue
            merged.setdefault(key, value)
            origin.setdefault(key, s.positions[key])
    return (
        FalcoSettings(merged.get("version"), merged.get("rules"), merged.get("rulesFiles"), origin),
        problems,
    )


def _in_one_entry(path: tuple[str | int, ...]) -> bool:
    return len(path) >= 2 and path[0] == "exceptions" and isinstance(path[1], int)


def display_name(path: Path) -> str:
    """The path relative to the working directory when it lies below it, else as given.

    Diagnostics and the rendered comments name files this way, so the output (and so
    `render --check`) does not depend on how the path was typed.
    """
    absolute = os.path.abspath(path)
    here = os.path.abspath(os.curdir)
    if absolute.startswith(here + os.sep):
        return Path(os.path.relpath(absolute, here)).as_posix()
    return str(path)
