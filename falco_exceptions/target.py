"""Which Falco engine and which ruleset an exceptions file is checked and rendered for.

Falco version: the command line (`--falco-version`), then the file's `falco.version`, then
the chart (`--chart`, `--chart-version`, or the CHART of `upgrade`/`template`), then the
newest known Falco. Each choice that was not given outright says so in a note, and a
chart that runs another Falco than the one asked for gets a note naming both.

Ruleset: `--rules-version`/`--rules-file`, then the file's `falco.rules`, then the
falcoctl refs of the values (`falco-rules:N`), then the ruleset the Falco version runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from falco_exceptions.catalog import Catalog, load_bundled_catalog
from falco_exceptions.diagnostics import Position, error
from falco_exceptions.document import FalcoSettings
from falco_exceptions.errors import ExitCode, FatalError
from falco_exceptions.falco.versions import (
    NEWEST_KNOWN,
    Engine,
    default_ruleset,
    engine,
    parse_version,
)


@dataclass(frozen=True)
class Hint:
    """A value found in the chart or its values, and where (for the notes)."""

    value: str
    source: str  # e.g. "chart charts/falco (falco 1.5.7)"
    problem: str | None = None  # the value could not be worked out; an error if it is needed


@dataclass(frozen=True)
class ChartValues:
    """A values file given for the chart (`render --values`): what it says about Falco."""

    data: Mapping[str, Any]
    source: str  # the file, for messages
    prefix: tuple[str, ...] = ()  # where the falco chart's values start (a subchart)


@dataclass(frozen=True)
class Selection:
    """The command line's say in the choice; None where it said nothing.

    `chart_falco` is the Falco version of the chart; when it could not be read,
    `chart_problem` says why, and it is an error only if no other version is given.
    """

    falco_version: str | None = None
    rules_version: str | None = None
    rules_files: tuple[Path, ...] = ()
    chart_falco: Hint | None = None
    chart_problem: str | None = None
    values_rules: Hint | None = None
    chart_values: ChartValues | None = None


@dataclass(frozen=True)
class Target:
    engine: Engine
    catalog: Catalog
    loaded_files: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())
    # Why the deployment runs without the container plugin (Falco 0.41+), when the values
    # at hand say so; None when it runs with it or nothing says otherwise (the default).
    container_plugin_off: str | None = None

    def is_loaded(self, file: str) -> bool:
        return file in self.loaded_files


def select(selection: Selection, settings: FalcoSettings) -> Target:
    notes: list[str] = []
    version_text = _version_text(selection, settings, notes)
    from_file = selection.falco_version is None and settings.version is not None
    eng, note = _engine(version_text, from_file, settings)
    if note:
        notes.append(note)
    plugin_off = _container_plugin_off(selection.chart_values, eng)
    if selection.rules_files:
        from falco_exceptions.catalog.build import build_user_catalog

        catalog = build_user_catalog(list(selection.rules_files))
        return Target(eng, catalog, catalog.default_files(), tuple(notes), plugin_off)
    ruleset = selection.rules_version or settings.rules
    if ruleset is None and selection.values_rules is not None:
        if selection.values_rules.problem:
            raise FatalError(selection.values_rules.problem)
        ruleset = selection.values_rules.value
        notes.append(f"ruleset {ruleset}, the newest bundled for {selection.values_rules.source}")
    ruleset = ruleset or default_ruleset(eng.version)
    try:
        catalog = load_bundled_catalog(ruleset)
    except FatalError as exc:
        where = settings.positions.get("rules") if not selection.rules_version else None
        raise _located(exc.message, where) from None
    loaded = _loaded_files(catalog, settings)
    return Target(eng, catalog, loaded, tuple(notes), plugin_off)


def _container_plugin_off(values: ChartValues | None, eng: Engine) -> str | None:
    if values is None:
        return None
    from falco_exceptions.falco.container_plugin import off_reason

    reason = off_reason(values.data, eng.version, values.prefix)
    return f"{reason} in {values.source}" if reason else None


def _version_text(selection: Selection, settings: FalcoSettings, notes: list[str]) -> str:
    chart = selection.chart_falco
    given = selection.falco_version or settings.version
    if given is not None:
        if chart is not None and _differs(given, chart.value):
            origin = "--falco-version" if selection.falco_version else "falco.version"
            notes.append(
                f"{origin} {given} differs from Falco {chart.value} of {chart.source}; "
                f"rendering for {given}"
            )
        if selection.chart_problem is not None:
            notes.append(f"{selection.chart_problem}; Falco {given} not compared with the chart")
        return given
    if chart is not None:
        notes.append(f"Falco {chart.value}, from {chart.source}")
        return chart.value
    if selection.chart_problem is not None:
        raise FatalError(
            f"{selection.chart_problem}; give the Falco version with --falco-version, "
            "--chart-version or falco.version"
        )
    notes.append(
        "no Falco version given (--falco-version, falco.version, --chart or --chart-version); "
        f"using the newest known, {NEWEST_KNOWN}"
    )
    return NEWEST_KNOWN


def _differs(left: str, right: str) -> bool:
    try:
        return parse_version(left) != parse_version(right)
    except FatalError:
        return left.strip() != right.strip()


def _engine(text: str, from_file: bool, settings: FalcoSettings) -> tuple[Engine, str | None]:
    try:
        return engine(text)
    except FatalError as exc:
        raise _located(
            exc.message, settings.positions.get("version") if from_file else None
        ) from None


def _loaded_files(catalog: Catalog, settings: FalcoSettings) -> tuple[str, ...]:
    if settings.rules_files is None:
        return catalog.default_files()
    known = [f.name for f in catalog.files]
    unknown = [f for f in settings.rules_files if f not in known]
    if unknown:
        raise _located(
            f"falco.rulesFiles names {', '.join(map(repr, unknown))}, which ruleset "
            f"{catalog.name} does not have; it has {', '.join(known)}",
            settings.positions.get("rulesFiles"),
        )
    return tuple(settings.rules_files)


FALCO_SETTINGS = "FE110"


def _located(message: str, where: Position | None) -> FatalError:
    """A problem with the file's `falco:` block is reported at that block, as a diagnostic."""
    if where is None:
        return FatalError(message)
    return FatalError(str(error(where, FALCO_SETTINGS, message)), ExitCode.FINDINGS, located=True)
