"""Which Falco engine, ruleset and rules files an exceptions file is checked and rendered for.

What the deployment runs and loads is the truth; a file that claims otherwise is an error
(FE110, at its `falco:` line), since rules rendered for it would stop Falco at start.

- Falco version: `--falco-version`, else the chart being deployed (`--chart`,
  `--chart-version`, the CHART of `upgrade`/`template`), else the file's `falco.version`,
  else the newest known Falco (with a note). A `falco.version` that differs from the
  chart's Falco is an error naming both; `--falco-version` overrides the chart with a
  warning.
- Ruleset: `--rules-version` (a warning when the values' falcoctl refs follow another),
  else the file's `falco.rules` (an error when the refs follow another), else the refs
  (`falco-rules:5` -> falco-rules-5.1.0), else the ruleset the Falco version runs.
- Upstream files loaded: what the values load, when they say (`deployment`); the file's
  `falco.rulesFiles` may list fewer (a note) but not more. Without values: the file's
  `falco.rulesFiles`, else the files Falco loads by default.
- The user's own rules files load after those: `--rules-file` files, then the other
  `customRules` files of the values (`/etc/falco/rules.d`, in name order). With
  `--only-rules-files`, the `--rules-file` files alone.
- Every loaded file's `required_engine_version` must be met by the engine of the
  selected Falco (falco-facts.md section 8).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from falco_exceptions.catalog import Catalog, load_bundled_catalog
from falco_exceptions.diagnostics import Position, error
from falco_exceptions.document import FalcoSettings
from falco_exceptions.errors import ExitCode, FatalError
from falco_exceptions.falco.versions import (
    NEWEST_KNOWN,
    Engine,
    default_ruleset,
    engine,
    oldest_falco_loading,
    parse_version,
)
from falco_exceptions.options import DEFAULT_RULES_FILENAME

if TYPE_CHECKING:
    from falco_exceptions.catalog.build import RulesSource
    from falco_exceptions.deployment import Deployment


@dataclass(frozen=True)
class Hint:
    """A value found in the chart or its values, and where (for the notes)."""

    value: str
    source: str  # e.g. "chart charts/falco (falco 1.5.7)"
    problem: str | None = None  # the value could not be worked out; an error if it is needed


@dataclass(frozen=True)
class Selection:
    """The command line's say in the choice, and what it read from the chart and values.

    `chart_falco` is the Falco version of the chart; when it could not be read,
    `chart_problem` says why, and it is an error only if no other version is given.
    Build one from the command line's options with `options.resolve`.
    """

    falco_version: str | None = None
    rules_version: str | None = None
    rules_files: tuple[Path, ...] = ()
    chart_falco: Hint | None = None
    chart_problem: str | None = None
    only_rules_files: bool = False
    deployment: Deployment | None = None
    rules_filename: str = DEFAULT_RULES_FILENAME
    values_path: tuple[str, ...] = ("customRules",)


@dataclass(frozen=True)
class Target:
    engine: Engine
    catalog: Catalog
    loaded_files: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())
    rules_d: tuple[str, ...] = ()  # the user's customRules files, loaded from rules.d
    rules_filename: str = DEFAULT_RULES_FILENAME  # the rendered file's name in rules.d
    # Why the deployment runs without the container plugin (Falco 0.41+), when the values
    # at hand say so; None when it runs with it or nothing says otherwise (the default).
    container_plugin_off: str | None = None
    origin: str = ""  # where the Falco version and the ruleset came from
    ruleset: str = ""  # the bundled ruleset, without the user's files ("" with only those)
    loaded_by: str = ""  # what in the values decides the loaded upstream files, when they do

    @property
    def ruleset_name(self) -> str:
        """The ruleset the rendered header names: the user's own files do not count, so
        adding a customRules file of one's own does not change the rendered rules."""
        return self.ruleset or self.catalog.name

    def is_loaded(self, file: str) -> bool:
        return file in self.loaded_files


def select(selection: Selection, settings: FalcoSettings) -> Target:
    notes: list[str] = list(selection.deployment.notes) if selection.deployment else []
    warnings: list[str] = []
    version_text, version_origin = _version_text(selection, settings, notes, warnings)
    from_file = version_origin.startswith("falco.version")
    version_at = settings.positions.get("version") if from_file else None
    eng, note = _engine(version_text, version_at)
    if note:
        notes.append(note)
    plugin_off = _container_plugin_off(selection.deployment, eng)
    if selection.only_rules_files:
        from falco_exceptions.catalog.build import build_user_catalog

        catalog = build_user_catalog(list(selection.rules_files))
        loaded = catalog.default_files()
        origin = f"Falco {eng.text} ({version_origin}); rules: {', '.join(loaded)}"
        _check_engine(eng, catalog, loaded, settings, version_at)
        return Target(
            eng,
            catalog,
            loaded,
            notes=tuple(notes),
            warnings=tuple(warnings),
            container_plugin_off=plugin_off,
            origin=origin,
        )
    name, ruleset_origin, ruleset_at = _ruleset(selection, settings, eng, notes, warnings)
    try:
        catalog = load_bundled_catalog(name)
    except FatalError as exc:
        raise _located(exc.message, ruleset_at) from None
    loaded = _loaded_files(catalog, settings, selection.deployment, notes)
    sources = _user_sources(selection, eng, notes)
    if sources:
        catalog = _with_user_files(catalog, loaded, sources, selection.deployment)
        loaded = (*loaded, *(s.name for s in sources))
    blame = ruleset_at or version_at
    _check_engine(eng, catalog, loaded, settings, blame, selection.deployment, ruleset_origin)
    origin = (
        f"Falco {eng.text} ({version_origin}); ruleset {name} ({ruleset_origin}); "
        f"loaded: {', '.join(loaded)}"
    )
    return Target(
        eng,
        catalog,
        loaded,
        notes=tuple(notes),
        warnings=tuple(warnings),
        rules_d=tuple(s.name for s in sources if _custom_source(selection.deployment, s.name)),
        rules_filename=selection.rules_filename,
        container_plugin_off=plugin_off,
        origin=origin,
        ruleset=name,
        loaded_by=_loaded_by(selection.deployment),
    )


def _container_plugin_off(deployment: Deployment | None, eng: Engine) -> str | None:
    """Why the values (the chart's defaults and the values files) leave the container
    plugin out, or None."""
    if deployment is None:
        return None
    from falco_exceptions.falco.container_plugin import off_reason

    reason = off_reason(deployment.values, eng.version, deployment.values_path[:-1])
    return f"{reason} in {deployment.source}" if reason else None


def _loaded_by(deployment: Deployment | None) -> str:
    return deployment.loads if deployment and deployment.upstream_files is not None else ""


def _version_text(
    selection: Selection, settings: FalcoSettings, notes: list[str], warnings: list[str]
) -> tuple[str, str]:
    """The Falco version, and where it came from."""
    chart = selection.chart_falco
    if selection.falco_version is not None:
        given = selection.falco_version
        if chart is not None and _differs(given, chart.value):
            warnings.append(
                f"--falco-version {given} differs from Falco {chart.value} of {chart.source}; "
                f"rendering for {given}, as --falco-version asks"
            )
        return given, "--falco-version"
    file_version = settings.version
    if chart is not None:
        if file_version is not None and _differs(file_version, chart.value):
            raise _located(
                f"falco.version {file_version} differs from Falco {chart.value} of "
                f"{chart.source}, which the deployment runs; set falco.version: {chart.value} "
                f"(or give --falco-version {file_version} to render for it all the same)",
                settings.positions.get("version"),
            )
        if file_version is None:
            notes.append(f"Falco {chart.value}, from {chart.source}")
        return chart.value, chart.source
    if file_version is not None:
        if selection.chart_problem is not None:
            notes.append(
                f"{selection.chart_problem}; Falco {file_version} not compared with the chart"
            )
        return file_version, f"falco.version in {_file_of(settings, 'version')}"
    if selection.chart_problem is not None:
        raise FatalError(
            f"{selection.chart_problem}; give the Falco version with --falco-version, "
            "--chart-version or falco.version"
        )
    notes.append(
        "no Falco version given (--falco-version, falco.version, --chart or --chart-version); "
        f"using the newest known, {NEWEST_KNOWN}"
    )
    return NEWEST_KNOWN, "the newest known"


def _ruleset(
    selection: Selection,
    settings: FalcoSettings,
    eng: Engine,
    notes: list[str],
    warnings: list[str],
) -> tuple[str, str, Position | None]:
    """The bundled ruleset, where it came from, and the file's line that chose it."""
    refs = selection.deployment.ruleset if selection.deployment else None
    followed = refs.value if refs is not None and refs.problem is None else None
    if selection.rules_version is not None:
        given = selection.rules_version
        if followed is not None and followed != given:
            warnings.append(
                f"--rules-version {given} differs from {followed}, the newest bundled "
                f"ruleset for {refs.source if refs else ''}; checking against {given}, as "
                "--rules-version asks"
            )
        return given, "--rules-version", None
    if settings.rules is not None:
        where = settings.positions.get("rules")
        if followed is not None and refs is not None and followed != settings.rules:
            raise _located(
                f"falco.rules {settings.rules} differs from {followed}, the newest bundled "
                f"ruleset for {refs.source}, which the deployment loads; set falco.rules: "
                f"{followed}, or leave it out",
                where,
            )
        return settings.rules, f"falco.rules in {_file_of(settings, 'rules')}", where
    if refs is not None:
        if refs.problem:
            raise FatalError(refs.problem)
        notes.append(f"ruleset {refs.value}, the newest bundled for {refs.source}")
        return refs.value, refs.source, None
    return default_ruleset(eng.version), f"the one Falco {eng.text} runs", None


def _differs(given: str, chart: str) -> bool:
    """Whether a version given for the chart names another release (`0.44` names any 0.44.x)."""
    try:
        wanted, actual = parse_version(given), parse_version(chart)
    except FatalError:
        return given.strip() != chart.strip()
    short = given.strip().lstrip("v").count(".") == 1
    return wanted[:2] != actual[:2] if short else wanted != actual


def _engine(text: str, where: Position | None) -> tuple[Engine, str | None]:
    try:
        return engine(text)
    except FatalError as exc:
        raise _located(exc.message, where) from None


def _loaded_files(
    catalog: Catalog, settings: FalcoSettings, deployment: Deployment | None, notes: list[str]
) -> tuple[str, ...]:
    known = [f.name for f in catalog.files]
    claimed = settings.rules_files
    where = settings.positions.get("rulesFiles")
    if claimed is not None:
        unknown = [f for f in claimed if f not in known]
        if unknown:
            raise _located(
                f"falco.rulesFiles names {', '.join(map(repr, unknown))}, which ruleset "
                f"{catalog.name} does not have; it has {', '.join(known)}",
                where,
            )
    truth = deployment.upstream_files if deployment is not None else None
    if deployment is None or truth is None:
        return tuple(claimed) if claimed is not None else catalog.default_files()
    for name in truth:
        if name not in known:
            notes.append(
                f"the deployment loads {name} ({deployment.loads}), which {catalog.name} "
                "does not have"
            )
    loaded = tuple(name for name in truth if name in known)
    if claimed is None:
        return loaded
    extra = [name for name in claimed if name not in loaded]
    if extra:
        raise _located(
            f"falco.rulesFiles names {', '.join(extra)}, which the deployment does not load "
            f"(it loads {', '.join(loaded) or 'no upstream file'}: {deployment.loads}); load "
            f"{'them' if len(extra) > 1 else 'it'} there ({_how_to_load(extra)}), or take "
            f"{'them' if len(extra) > 1 else 'it'} out of falco.rulesFiles",
            where,
        )
    also = [name for name in loaded if name not in claimed]
    if also:
        notes.append(
            f"the deployment also loads {', '.join(also)} ({deployment.loads}), which "
            "falco.rulesFiles does not list; checking against what it loads"
        )
    return loaded


def _how_to_load(files: list[str]) -> str:
    """`falco-incubating_rules.yaml` -> its falcoctl ref and its path in falco.rules_files."""
    refs = [f.removesuffix("_rules.yaml").replace("_", "-") + "-rules:N" for f in files]
    paths = [f"/etc/falco/{f}" for f in files]
    return (
        f"{', '.join(refs)} in falcoctl.config.artifact.install.refs and follow.refs, and "
        f"{', '.join(paths)} in falco.rules_files"
    )


def _user_sources(selection: Selection, eng: Engine, notes: list[str]) -> list[RulesSource]:
    """The user's rules files in load order: `--rules-file`, then the other customRules
    files (rules.d), which the deployment loads in name order."""
    custom = list(selection.deployment.custom_rules) if selection.deployment else []
    if not custom and not selection.rules_files:
        return []  # the common case: nothing to build, nothing to import
    from falco_exceptions.catalog.build import RulesSource

    if eng.version >= (0, 41, 0):
        skipped = [s.name for s in custom if not s.name.endswith((".yaml", ".yml"))]
        if skipped:
            notes.append(
                f"customRules {', '.join(skipped)}: Falco {eng.text} reads only .yaml and "
                ".yml files from /etc/falco/rules.d, so it does not load them"
            )
        custom = [s for s in custom if s.name not in skipped]
    sources = []
    for path in selection.rules_files:
        if path.name in {s.name for s in custom}:
            notes.append(
                f"--rules-file {path}: customRules {path.name} of the values is what the "
                "deployment loads; checking against that one"
            )
            continue
        sources.append(RulesSource.from_path(path))
    return sources + custom


def _with_user_files(
    catalog: Catalog,
    loaded: tuple[str, ...],
    sources: list[RulesSource],
    deployment: Deployment | None,
) -> Catalog:
    """The catalog with the user's files; a problem in a customRules file of the values is
    located there (FE402)."""
    from falco_exceptions.catalog.build import RulesFileError, with_user_files

    try:
        return with_user_files(catalog, loaded, sources)
    except RulesFileError as exc:
        custom = deployment.custom_rules if deployment else ()
        if any(s.name == exc.name and s.display == exc.position.file for s in custom):
            from falco_exceptions.values_edit import ValuesFileError

            raise ValuesFileError(
                exc.position, f"customRules {exc.name}: {exc.problem}", VALUES_LOAD
            ) from None
        raise


VALUES_LOAD = "FE402"


def _check_engine(
    eng: Engine,
    catalog: Catalog,
    loaded: tuple[str, ...],
    settings: FalcoSettings,
    blame: Position | None,
    deployment: Deployment | None = None,
    ruleset_origin: str = "",
) -> None:
    """Falco refuses to start on a rules file that needs a newer engine.

    The problem is reported at the file's `falco.rulesFiles` when it lists that file, else
    at `blame` (the file's line that chose the ruleset or the version), at the customRules
    key of a user's file in the values, or with no place when the command line chose.
    """
    for name in loaded:
        rules_file = catalog.file(name)
        required = rules_file.required_engine_version
        if required is None or eng.can_load(required):
            continue
        first = oldest_falco_loading(required)
        which = name if rules_file.kind == "user" else f"{name} of {catalog.name}"
        if ruleset_origin and rules_file.kind != "user":
            which += f" ({ruleset_origin})"
        message = f"Falco {eng.text} (engine {eng.engine_version}) cannot load {which}: it " + (
            f"requires engine {required}, which Falco {first} and newer have"
            if first
            else f"requires engine {required}"
        )
        custom = _custom_source(deployment, name)
        if custom is not None:
            from falco_exceptions.values_edit import ValuesFileError

            raise ValuesFileError(
                custom.position(0, 0), f"customRules {name}: {message}", VALUES_LOAD
            )
        claimed = settings.rules_files is not None and name in settings.rules_files
        raise _located(message, settings.positions.get("rulesFiles") if claimed else blame)


def _custom_source(deployment: Deployment | None, name: str) -> RulesSource | None:
    custom = deployment.custom_rules if deployment is not None else ()
    return next((s for s in custom if s.name == name), None)


def _file_of(settings: FalcoSettings, key: str) -> str:
    at = settings.positions.get(key)
    return at.file if at is not None else "the exceptions file"


FALCO_SETTINGS = "FE110"


def _located(message: str, where: Position | None) -> FatalError:
    """A problem with the file's `falco:` block is reported at that block, as a diagnostic."""
    if where is None:
        return FatalError(message)
    return FatalError(str(error(where, FALCO_SETTINGS, message)), ExitCode.FINDINGS, located=True)
