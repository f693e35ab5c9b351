"""exceptions.yaml files: load with positions, check against the schema, give typed entries."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from falco_exceptions import schema
from falco_exceptions.diagnostics import Diagnostic, Position, error, has_errors
from falco_exceptions.yamlsource import locate, parse, read_text, to_plain

API_VERSION = "falco-exceptions/v1"
FIELDS = ("proc.name", "fd.name")  # the Falco fields an entry can name, in rendering order
DUPLICATE = "FE105"
BAD_DATE = "FE106"
SETTINGS_CONFLICT = "FE107"


@dataclass(frozen=True)
class Entry:
    """One exception: a rule, the field values it excepts, and why."""

    rule: str
    fields: tuple[tuple[str, tuple[str, ...]], ...]  # (field, values) in FIELDS order
    justification: str
    position: Position  # where the entry starts
    owner: str | None = None
    ticket: str | None = None
    expires: datetime.date | None = None
    value_positions: dict[str, Position] = field(default_factory=dict, compare=False)

    def values(self, name: str) -> tuple[str, ...]:
        return dict(self.fields).get(name, ())

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.fields)

    def at(self, key: str) -> Position:
        """Where `key`'s value stands, or the entry itself."""
        return self.value_positions.get(key, self.position)


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
    entries: tuple[Entry, ...]


def load(
    paths: Sequence[Path], displays: Sequence[str] | None = None
) -> tuple[Document, list[Diagnostic]]:
    """Load and combine exception files; problems come back as diagnostics, all at once."""
    names = list(displays) if displays is not None else [str(p) for p in paths]
    diagnostics: list[Diagnostic] = []
    settings: list[tuple[str, FalcoSettings]] = []
    entries: list[Entry] = []
    for path, display in zip(paths, names, strict=True):
        found = _load_one(path, display)
        diagnostics.extend(found[2])
        if found[0] is not None:
            settings.append((display, found[0]))
        entries.extend(found[1])
    diagnostics.extend(_duplicates(entries))
    falco, conflicts = _merge_settings(settings)
    diagnostics.extend(conflicts)
    return Document(tuple(names), falco, tuple(entries)), diagnostics


def _load_one(
    path: Path, display: str
) -> tuple[FalcoSettings | None, list[Entry], list[Diagnostic]]:
    text = read_text(path, display)
    if isinstance(text, Diagnostic):
        return None, [], [text]
    root = parse(text, display)
    if isinstance(root, Diagnostic):
        return None, [], [root]
    if root is None:
        root = {}
    problems = schema.check(to_plain(root), root, display)
    if has_errors(problems) or not isinstance(root, dict):
        return None, [], problems
    settings = _settings(root.get("falco") or {}, root, display)
    entries = []
    for i, item in enumerate(root["exceptions"]):
        entry, date_problem = _entry(item, root, i, display)
        entries.append(entry)
        problems.extend(date_problem)
    return settings, entries, problems


def _settings(block: dict[str, Any], root: Any, display: str) -> FalcoSettings | None:
    if not block:
        return None
    files = block.get("rulesFiles")
    positions = {k: locate(root, ["falco", k], display) for k in block}
    return FalcoSettings(
        version=block.get("version"),
        rules=block.get("rules"),
        rules_files=tuple(str(f) for f in files) if files else None,
        positions=positions,
    )


def _entry(item: Any, root: Any, index: int, display: str) -> tuple[Entry, list[Diagnostic]]:
    at = locate(root, ["exceptions", index], display)
    fields = []
    for name in FIELDS:
        if name in item:
            value = item[name]
            values = tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)
            fields.append((name, values))
    expires, problems = _date(
        item.get("expires"), locate(root, ["exceptions", index, "expires"], display)
    )
    entry = Entry(
        rule=str(item["rule"]),
        fields=tuple(fields),
        justification=str(item["justification"]),
        position=at,
        owner=_opt(item.get("owner")),
        ticket=_opt(item.get("ticket")),
        expires=expires,
        value_positions={
            str(k): locate(root, ["exceptions", index, str(k)], display) for k in item
        },
    )
    return entry, problems


def _date(value: Any, at: Position) -> tuple[datetime.date | None, list[Diagnostic]]:
    if value is None:
        return None, []
    if isinstance(value, datetime.date):
        return value, []
    try:
        return datetime.date.fromisoformat(str(value)), []
    except ValueError:
        return None, [
            error(at, BAD_DATE, f"expires {str(value)!r} is not a real date (YYYY-MM-DD)")
        ]


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


def _duplicates(entries: list[Entry]) -> list[Diagnostic]:
    seen: dict[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], Entry] = {}
    found = []
    for entry in entries:
        key = (entry.rule, entry.fields)
        first = seen.setdefault(key, entry)
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


def _merge_settings(
    settings: list[tuple[str, FalcoSettings]],
) -> tuple[FalcoSettings, list[Diagnostic]]:
    """The files' falco: blocks must agree; the first file that sets a key wins."""
    merged: dict[str, Any] = {}
    origin: dict[str, Position] = {}
    problems = []
    for _display, s in settings:
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
