"""Facts about a Falco ruleset: which rules exist, where, and how they can be excepted.

A catalog is generated from upstream rules files by `scripts/build-catalogs` (see
`falco_exceptions.catalog.build`) and shipped as JSON package data; `--rules-file`
builds one on the fly from the user's own files through the same builder.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from falco_exceptions.errors import FatalError

CATALOG_FORMAT = 2


@dataclass(frozen=True)
class Hook:
    """A macro the rule's condition negates (`not NAME`), meant for users to extend."""

    name: str
    top_level: bool  # every top-level `or` branch has `and not NAME`: it guards the whole rule


@dataclass(frozen=True)
class RulesFile:
    name: str  # file name, e.g. falco_rules.yaml
    kind: str  # stable, incubating, sandbox, k8s_audit, application, user
    loaded_by_default: bool
    required_engine_version: str | None = None


@dataclass(frozen=True)
class RuleInfo:
    name: str
    file: str
    source: str
    priority: str  # upper case: EMERGENCY ... DEBUG
    tags: tuple[str, ...]
    enabled: bool
    hooks: tuple[Hook, ...]  # in condition order
    top_level_or: bool
    output: str
    events: tuple[str, ...] = ()  # kinds of events it fires on (catalog.events); () if not syscall


@dataclass(frozen=True)
class Catalog:
    name: str
    files: tuple[RulesFile, ...]
    rules: Mapping[str, RuleInfo]
    macros: Mapping[str, str]  # macro name -> file that defines it
    lists: Mapping[str, str]  # list name -> file that defines it
    required_engine_version: str | None = None

    def file(self, name: str) -> RulesFile:
        for f in self.files:
            if f.name == name:
                return f
        raise KeyError(name)

    def default_files(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.files if f.loaded_by_default)

    def closest_rules(self, name: str) -> list[str]:
        """Did-you-mean: the best match, and any others nearly as good."""
        folded = {n.lower(): n for n in self.rules}
        if name.lower() in folded:
            return [folded[name.lower()]]
        scored = sorted(
            ((difflib.SequenceMatcher(None, name, n).ratio(), n) for n in self.rules), reverse=True
        )
        if not scored or scored[0][0] < 0.6:
            return []
        return [n for score, n in scored[:3] if score >= scored[0][0] - 0.05]

    def rules_using_hook(self, hook: str) -> list[str]:
        return [r.name for r in self.rules.values() if any(h.name == hook for h in r.hooks)]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": CATALOG_FORMAT,
            "name": self.name,
            "required_engine_version": self.required_engine_version,
            "files": [
                {
                    "name": f.name,
                    "kind": f.kind,
                    "loaded_by_default": f.loaded_by_default,
                    "required_engine_version": f.required_engine_version,
                }
                for f in self.files
            ],
            "rules": [
                {
                    "name": r.name,
                    "file": r.file,
                    "source": r.source,
                    "priority": r.priority,
                    "tags": list(r.tags),
                    "enabled": r.enabled,
                    "hooks": [{"name": h.name, "top_level": h.top_level} for h in r.hooks],
                    "top_level_or": r.top_level_or,
                    "output": r.output,
                    "events": list(r.events),
                }
                for r in self.rules.values()
            ],
            "macros": dict(self.macros),
            "lists": dict(self.lists),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Catalog:
        if data.get("format") != CATALOG_FORMAT:
            raise FatalError(f"catalog {data.get('name')!r} has an unsupported format")
        rules = {
            r["name"]: RuleInfo(
                name=r["name"],
                file=r["file"],
                source=r["source"],
                priority=r["priority"],
                tags=tuple(r["tags"]),
                enabled=r["enabled"],
                hooks=tuple(Hook(h["name"], h["top_level"]) for h in r["hooks"]),
                top_level_or=r["top_level_or"],
                output=r["output"],
                events=tuple(r["events"]),
            )
            for r in data["rules"]
        }
        files = tuple(
            RulesFile(f["name"], f["kind"], f["loaded_by_default"], f["required_engine_version"])
            for f in data["files"]
        )
        return cls(
            name=data["name"],
            files=files,
            rules=rules,
            macros=dict(data["macros"]),
            lists=dict(data["lists"]),
            required_engine_version=data["required_engine_version"],
        )


def _data_dir() -> Any:
    return resources.files("falco_exceptions.catalog").joinpath("data")


def bundled_catalog_names() -> list[str]:
    names = [p.name[: -len(".json")] for p in _data_dir().iterdir() if p.name.endswith(".json")]
    return sorted(names, key=_ruleset_sort_key)


@cache  # one load per ruleset and run, however many checks ask
def load_bundled_catalog(name: str) -> Catalog:
    resource = _data_dir().joinpath(f"{name}.json")
    if not resource.is_file():
        known = ", ".join(bundled_catalog_names())
        raise FatalError(f"unknown ruleset {name!r}; bundled rulesets: {known}")
    return Catalog.from_json(json.loads(resource.read_text(encoding="utf-8")))


def _ruleset_sort_key(name: str) -> tuple[int, tuple[int, ...]]:
    """falco-0.x folders (in-tree rules) sort before falco-rules-x.y.z releases."""
    prefix, _, version = name.rpartition("-")
    parts = tuple(int(p) for p in version.split(".") if p.isdigit())
    return (0 if prefix == "falco" else 1, parts)
