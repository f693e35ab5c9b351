"""Build a `Catalog` from Falco rules files (upstream folders or the user's own files).

Items are applied in load order the way Falco does: `append: true` and `override:` change
an earlier rule, macro or list; a rule item with only `enabled:` toggles it. Conditions are
not expanded for hooks and `top_level_or`, which describe each rule's own condition text;
the kinds of events a rule fires on are read with its macros expanded (`events`). A file
may hold several YAML documents (`---`); Falco reads them all, in order, and so does this.

The user's own files (`--rules-file`, the other `customRules` keys of the values) load
after the upstream files they are given with (`with_user_files`): they can append to
upstream rules and macros, but only to those of the files that are loaded.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from falco_exceptions.catalog import Catalog, Hook, RuleInfo, RulesFile, events
from falco_exceptions.diagnostics import Diagnostic, Position
from falco_exceptions.errors import FatalError
from falco_exceptions.falco.condition import has_top_level_or, negated_names
from falco_exceptions.falco.versions import engine_version_key
from falco_exceptions.yamlsource import parse_documents, read_text

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


class RulesFileError(FatalError):
    """A rules file Falco would refuse; the message starts with `file:line:col:`."""

    def __init__(self, position: Position, problem: str, name: str = "") -> None:
        super().__init__(f"{position}: {problem}")
        self.position = position
        self.problem = problem
        self.name = name  # the rules file's name, when known


@dataclass(frozen=True)
class RulesSource:
    """A rules file's text, its name in Falco's rules folder, and where its lines stand.

    `display` is what messages name: the file itself, or the values file whose
    `customRules` key holds the text, whose first line is then `first_line` of `display`
    and every line indented by `indent` columns.
    """

    name: str
    display: str
    text: str
    first_line: int = 1
    indent: int = 0

    @classmethod
    def from_path(cls, path: Path) -> RulesSource:
        text = read_text(path, str(path))
        if isinstance(text, Diagnostic):
            raise RulesFileError(text.position, f"invalid rules file: {text.message}")
        return cls(path.name, str(path), text)

    def position(self, line: int, col: int) -> Position:
        """Where line `line`, column `col` (both 0-based) of the text stands in `display`."""
        return Position(self.display, self.first_line + line, self.indent + col + 1)


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
    events: tuple[str, ...] | None = None  # known already (a bundled catalog's rule)


@dataclass
class _State:
    rules: dict[str, _Rule] = field(default_factory=dict)
    macros: dict[str, str] = field(default_factory=dict)
    lists: dict[str, str] = field(default_factory=dict)
    # what they say, appends applied: for the kinds of events each rule fires on
    macro_conditions: dict[str, str] = field(default_factory=dict)
    list_items: dict[str, list[str]] = field(default_factory=dict)


class _FileLoader:
    """Applies one file's items to the shared state; knows the file for error positions.

    `visible` says which files' rules, macros and lists an `append`/`override` may
    change: those Falco loads (None: every file).
    """

    def __init__(
        self, source: RulesSource, state: _State, visible: frozenset[str] | None = None
    ) -> None:
        self.source = source
        self.state = state
        self.visible = visible
        self.engine_versions: list[str] = []

    def load(self) -> None:
        for document in _documents(self.source):
            for index, item in enumerate(document):
                if not isinstance(item, dict):
                    raise self.error(document, "each item must be a mapping", index=index)
                self.item(item)

    def item(self, item: Any) -> None:
        if "rule" in item:
            self.rule(item)
        elif "macro" in item or "list" in item:
            self.macro_or_list(item, "macro" if "macro" in item else "list")
        elif "required_engine_version" in item:
            self.engine_versions.append(str(item["required_engine_version"]))
        elif "required_plugin_versions" not in item:
            keys = ", ".join(str(k) for k in item)
            raise self.error(item, f"unknown item with keys {keys}")

    def defined(self, file: str | None) -> bool:
        return file is not None and (self.visible is None or file in self.visible)

    def rule(self, item: Any) -> None:
        name = self.text(item, "rule")
        existing = self.state.rules.get(name)
        if existing is not None and not self.defined(existing.file):
            del self.state.rules[name]  # a rule of a file Falco does not load
            existing = None
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
                file=self.source.name,
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
        exists = self.defined(known.get(name))
        override, append = self.modifiers(item, what, name, exists)
        if override is None and not append and not exists:
            known[name] = self.source.name
        key = "condition" if what == "macro" else "items"
        if override is not None:
            append = override.get(key) == "append"
        if key not in item:
            return
        if what == "macro":
            new = self.text(item, key)
            old = self.state.macro_conditions.get(name)
            self.state.macro_conditions[name] = f"{old} {new}" if append and old else new
        else:
            items = item.get(key)
            texts = [str(i) for i in items] if isinstance(items, list) else []
            old_items = self.state.list_items.get(name, []) if append else []
            self.state.list_items[name] = old_items + texts

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
            rule.events = None
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
    ) -> RulesFileError:
        try:
            if index is not None:
                line, col = node.lc.item(index)
            elif key is not None and key in node:
                line, col = node.lc.key(key)
            else:
                line, col = node.lc.line, node.lc.col
        except (AttributeError, KeyError, TypeError):
            return RulesFileError(Position(self.source.display), message, self.source.name)
        return RulesFileError(self.source.position(line, col), message, self.source.name)


def _documents(source: RulesSource) -> list[Any]:
    """The item lists of every document of the file (an empty document has none)."""
    found = parse_documents(source.text, source.display)
    if isinstance(found, Diagnostic):
        at = found.position
        where = source.position(at.line - 1, at.col - 1) if at.line else Position(source.display)
        raise RulesFileError(where, f"invalid rules file: {found.message}", source.name)
    documents = []
    for root in found:
        if root is None:
            continue
        if not isinstance(root, list):
            line, col = _start(root)
            raise RulesFileError(
                source.position(line, col), "a rules file must be a YAML list of items", source.name
            )
        documents.append(root)
    return documents


def _start(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return (0, 0)
    return (lc.line, lc.col)


def build_catalog(name: str, files: Sequence[tuple[Path, str, bool]]) -> Catalog:
    """Catalog of `files`, given in load order as (path, kind, loaded_by_default)."""
    state = _State()
    rules_files: list[RulesFile] = []
    for path, kind, loaded in files:
        version = _load(RulesSource.from_path(path), state)
        rules_files.append(RulesFile(path.name, kind, loaded, version))
    return _catalog(name, rules_files, state)


def build_user_catalog(paths: Sequence[Path]) -> Catalog:
    """The catalog of the user's own files alone (`--only-rules-files`)."""
    state = _State()
    files = []
    for path in paths:
        source = RulesSource.from_path(path)
        files.append(RulesFile(source.name, kind_of(path), True, _load(source, state)))
    name = "rules files: " + ", ".join(p.name for p in paths)
    return _catalog(name, files, state)


def with_user_files(
    base: Catalog, loaded: Sequence[str], sources: Sequence[RulesSource]
) -> Catalog:
    """`base` with the user's files loaded after its `loaded` files, in the order given.

    The user's items see the rules, macros and lists of the loaded files only (appending
    to one of another file is fatal in Falco); a rule they define anew replaces one of a
    file that is not loaded. The catalog keeps no macro conditions, so the kinds of events
    of a user's rule that uses an upstream macro (or of an upstream rule whose condition a
    user's file changes) read as `any`, which no check refuses.
    """
    clash = next((s for s in sources if s.name in {f.name for f in base.files}), None)
    if clash is not None:
        raise FatalError(
            f"{clash.display}: the user rules file {clash.name} has the name of a file of "
            f"{base.name}; to check against it instead of the bundled ruleset, give "
            "--only-rules-files"
        )
    state = _seed(base)
    visible = set(loaded)
    files = list(base.files)
    for source in sources:
        visible.add(source.name)
        version = _load(source, state, frozenset(visible))
        files.append(RulesFile(source.name, "user", True, version))
    name = f"{base.name} + {', '.join(s.name for s in sources)}"
    return _catalog(name, files, state)


def _load(source: RulesSource, state: _State, visible: frozenset[str] | None = None) -> str | None:
    """Load one file into `state`; its required engine version (the highest it states)."""
    loader = _FileLoader(source, state, visible)
    loader.load()
    return max(loader.engine_versions, key=engine_version_key, default=None)


def _catalog(name: str, files: list[RulesFile], state: _State) -> Catalog:
    default_versions = [f.required_engine_version for f in files if f.loaded_by_default]
    kinds = events.reader(state.macro_conditions, state.list_items)
    return Catalog(
        name=name,
        files=tuple(files),
        rules={r.name: _rule_info(r, state.macros, kinds) for r in state.rules.values()},
        macros=dict(state.macros),
        lists=dict(state.lists),
        required_engine_version=max(
            (v for v in default_versions if v is not None), key=engine_version_key, default=None
        ),
    )


def _seed(catalog: Catalog) -> _State:
    """A builder state holding what `catalog` records, so more files can load after it."""
    state = _State(macros=dict(catalog.macros), lists=dict(catalog.lists))
    for rule in catalog.rules.values():
        state.rules[rule.name] = _Rule(
            name=rule.name,
            file=rule.file,
            source=rule.source,
            priority=rule.priority,
            tags=list(rule.tags),
            enabled=rule.enabled,
            condition=_stand_in_condition(rule),
            output=rule.output,
            events=rule.events,
        )
    return state


def _stand_in_condition(rule: RuleInfo) -> str:
    """A condition with the rule's hooks (in order, each guarding the whole rule or not) and
    its top-level `or`: all a catalog keeps of the condition, and all that `_rule_info`
    reads back, also after a user file appends to it."""
    conjuncts = ["evt.num > 0"]
    for hook in rule.hooks:
        negated = f"not {hook.name}"
        conjuncts.append(negated if hook.top_level else f"(evt.num > 0 and {negated})")
    condition = " and ".join(conjuncts)
    if not rule.top_level_or:
        return condition
    guards = [f"not {hook.name}" for hook in rule.hooks if hook.top_level]
    return f"{condition} or {' and '.join(['evt.num > 1', *guards])}"


def _rule_info(
    rule: _Rule, macros: dict[str, str], kinds: Callable[[str], tuple[str, ...]]
) -> RuleInfo:
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
        events=rule.events
        if rule.events is not None
        else kinds(rule.condition)
        if rule.source == "syscall"
        else (),
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
