"""Build a `Catalog` from Falco rules files (upstream folders or the user's own files).

Items are applied in load order the way Falco does: `append: true` and `override:` change
an earlier rule, macro or list; a rule item with only `enabled:` toggles it. Conditions are
not expanded: hooks and `top_level_or` describe each rule's own condition text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from falco_exceptions.catalog import Catalog, Hook, RuleInfo, RulesFile
from falco_exceptions.diagnostics import Diagnostic
from falco_exceptions.errors import FatalError
from falco_exceptions.falco.condition import has_top_level_or, negated_names
from falco_exceptions.falco.versions import engine_version_key
from falco_exceptions.yamlsource import parse, read_text

# Upstream file names in load order, and whether the falco chart loads them by default.
UPSTREAM_FILES: tuple[tuple[str, str, bool], ...] = (
    ("falco_rules.yaml", "stable", True),
    ("falco-incubating_rules.yaml", "incubating", False),
    ("falco-sandbox_rules.yaml", "sandbox", False),
    ("falco-deprecated_rules.yaml", "deprecated", False),
    ("k8s_audit_rules.yaml", "k8s_audit", True),  # charts up to Falco 0.31 load it
    ("application_rules.yaml", "application", False),
)
_KINDS = {file_name: kind for file_name, kind, _ in UPSTREAM_FILES}
_APPENDABLE = ("condition", "output", "tags")


def kind_of(filename: str | Path) -> str:
    return _KINDS.get(Path(filename).name, "user")


def is_hook_name(name: str) -> bool:
    return name.startswith(("user_", "allowed_")) or "exception" in name


@dataclass
class _Rule:
    name: str
    file: str
    source: str
    priority: str
    tags: list[str]
    enabled: bool
    condition: str
    output: str


@dataclass
class _State:
    rules: dict[str, _Rule] = field(default_factory=dict)
    macros: dict[str, str] = field(default_factory=dict)
    lists: dict[str, str] = field(default_factory=dict)


class _FileLoader:
    """Applies one file's items to the shared state; knows the file for error positions."""

    def __init__(self, path: Path, state: _State) -> None:
        self.path = path
        self.state = state
        self.engine_versions: list[str] = []

    def load(self) -> None:
        items = _read_items(self.path)
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.error(items, "each item must be a mapping", index=index)
            if "rule" in item:
                self.rule(item)
            elif "macro" in item or "list" in item:
                self.macro_or_list(item, "macro" if "macro" in item else "list")
            elif "required_engine_version" in item:
                self.engine_versions.append(str(item["required_engine_version"]))
            elif "required_plugin_versions" not in item:
                keys = ", ".join(str(k) for k in item)
                raise self.error(item, f"unknown item with keys {keys}")

    def rule(self, item: Any) -> None:
        name = self.text(item, "rule")
        existing = self.state.rules.get(name)
        override, append = self.modifiers(item, "rule", name, existing is not None)
        if override is not None and existing is not None:
            for key, mode in override.items():
                self.apply(existing, item, str(key), str(mode))
        elif append and existing is not None:
            for key in _APPENDABLE:
                if key in item:
                    self.apply(existing, item, key, "append")
        elif "condition" not in item and "enabled" in item:
            if existing is None:
                raise self.error(
                    item, f"rule {name!r} sets 'enabled' but no earlier item defines it"
                )
            existing.enabled = self.flag(item, "enabled")
        else:
            for key in ("condition", "output", "priority"):
                if key not in item:
                    raise self.error(item, f"rule {name!r} has no {key!r}")
            self.state.rules[name] = _Rule(
                name=name,
                file=self.path.name,
                source=self.text(item, "source") if "source" in item else "syscall",
                priority=self.text(item, "priority").strip().upper(),
                tags=self.tags(item),
                enabled=self.flag(item, "enabled") if "enabled" in item else True,
                condition=self.text(item, "condition"),
                output=self.text(item, "output").rstrip(),
            )

    def macro_or_list(self, item: Any, what: str) -> None:
        name = self.text(item, what)
        known = self.state.macros if what == "macro" else self.state.lists
        override, append = self.modifiers(item, what, name, name in known)
        if override is None and not append:
            known.setdefault(name, self.path.name)

    def modifiers(
        self, item: Any, what: str, name: str, exists: bool
    ) -> tuple[dict[Any, Any] | None, bool]:
        override = item.get("override")
        append = item.get("append") is True
        if override is not None and not isinstance(override, dict):
            raise self.error(
                item, "'override' must be a mapping of key: append|replace", "override"
            )
        if override is not None and append:
            raise self.error(item, f"{what} {name!r} combines 'append' and 'override'")
        if (override is not None or append) and not exists:
            how = "'override'" if override is not None else "'append: true'"
            raise self.error(item, f"{what} {name!r} has {how} but no earlier item defines it")
        return override, append

    def apply(self, rule: _Rule, item: Any, key: str, mode: str) -> None:
        if mode not in ("append", "replace"):
            raise self.error(item, f"override mode for {key!r} must be append or replace", key)
        if key not in item:
            raise self.error(item, f"'override' names {key!r} but the item has no {key!r}")
        append = mode == "append"
        if key == "condition":
            new = self.text(item, key)
            rule.condition = f"{rule.condition} {new}" if append else new
        elif key == "output":
            new = self.text(item, key).rstrip()
            rule.output = f"{rule.output} {new}" if append else new
        elif key == "tags":
            new_tags = self.tags(item)
            if append:
                new_tags = rule.tags + [t for t in new_tags if t not in rule.tags]
            rule.tags = new_tags
        elif key == "priority":
            rule.priority = self.text(item, key).strip().upper()
        elif key == "enabled":
            rule.enabled = self.flag(item, key)
        # desc, exceptions and the like do not change what the catalog records

    def text(self, item: Any, key: str) -> str:
        value = item.get(key)
        if not isinstance(value, str):
            raise self.error(item, f"{key!r} must be a string", key)
        return str(value)

    def flag(self, item: Any, key: str) -> bool:
        value = item.get(key)
        if not isinstance(value, bool):
            raise self.error(item, f"{key!r} must be true or false", key)
        return value

    def tags(self, item: Any) -> list[str]:
        value = item.get("tags", [])
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise self.error(item, "'tags' must be a list of strings", "tags")
        return [str(t) for t in value]

    def error(
        self, node: Any, message: str, key: object = None, index: int | None = None
    ) -> FatalError:
        try:
            if index is not None:
                line, col = node.lc.item(index)
            elif key is not None and key in node:
                line, col = node.lc.key(key)
            else:
                line, col = node.lc.line, node.lc.col
        except (AttributeError, KeyError, TypeError):
            return FatalError(f"{self.path}: {message}")
        return FatalError(f"{self.path}:{line + 1}:{col + 1}: {message}")


def _read_items(path: Path) -> Any:
    text = read_text(path, str(path))
    data = text if isinstance(text, Diagnostic) else parse(text, str(path))
    if isinstance(data, Diagnostic):
        raise FatalError(f"{data.position}: invalid rules file: {data.message}")
    if data is None:
        return []
    if not isinstance(data, list):
        raise FatalError(f"{path}:1:1: a rules file must be a YAML list of items")
    return data


def build_catalog(name: str, files: Sequence[tuple[Path, str, bool]]) -> Catalog:
    """Catalog of `files`, given in load order as (path, kind, loaded_by_default)."""
    state = _State()
    rules_files: list[RulesFile] = []
    for path, kind, loaded in files:
        loader = _FileLoader(path, state)
        loader.load()
        version = max(loader.engine_versions, key=engine_version_key, default=None)
        rules_files.append(RulesFile(path.name, kind, loaded, version))
    default_versions = [f.required_engine_version for f in rules_files if f.loaded_by_default]
    return Catalog(
        name=name,
        files=tuple(rules_files),
        rules={r.name: _rule_info(r, state.macros) for r in state.rules.values()},
        macros=dict(state.macros),
        lists=dict(state.lists),
        required_engine_version=max(
            (v for v in default_versions if v is not None), key=engine_version_key, default=None
        ),
    )


def build_user_catalog(paths: Sequence[Path]) -> Catalog:
    name = "rules files: " + ", ".join(p.name for p in paths)
    return build_catalog(name, [(p, kind_of(p), True) for p in paths])


def _rule_info(rule: _Rule, macros: dict[str, str]) -> RuleInfo:
    hooks: dict[str, bool] = {}
    for name, _depth, top_level in negated_names(rule.condition):
        if name in macros and is_hook_name(name):
            hooks[name] = hooks.get(name, False) or top_level
    return RuleInfo(
        name=rule.name,
        file=rule.file,
        source=rule.source,
        priority=rule.priority,
        tags=tuple(rule.tags),
        enabled=rule.enabled,
        hooks=tuple(Hook(n, top) for n, top in hooks.items()),
        top_level_or=has_top_level_or(rule.condition),
        output=rule.output,
    )


def upstream_files(folder: Path) -> list[tuple[Path, str, bool]]:
    unknown = sorted(p.name for p in folder.glob("*.yaml") if p.name not in _KINDS)
    if unknown:
        raise FatalError(f"{folder}: unexpected rules files: {', '.join(unknown)}")
    return [
        (folder / file_name, kind, loaded)
        for file_name, kind, loaded in UPSTREAM_FILES
        if (folder / file_name).is_file()
    ]


def build_upstream_catalogs(source: Path) -> dict[str, Catalog]:
    """One catalog per folder of `source` that holds a falco_rules.yaml, by folder name."""
    folders = sorted(p.parent for p in source.glob("*/falco_rules.yaml"))
    return {f.name: build_catalog(f.name, upstream_files(f)) for f in folders}


def catalog_json(catalog: Catalog) -> str:
    return json.dumps(catalog.to_json(), indent=1, sort_keys=False) + "\n"
