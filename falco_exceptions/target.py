"""Which Falco engine and which ruleset an exceptions file is checked and rendered for.

Precedence: the command line (`--falco-version`, `--rules-version`, `--rules-file`), then
the file's `falco:` block, then the newest known Falco (with a note on stderr).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from falco_exceptions.catalog import Catalog, load_bundled_catalog
from falco_exceptions.document import FalcoSettings
from falco_exceptions.errors import ExitCode, FatalError
from falco_exceptions.falco.versions import NEWEST_KNOWN, Engine, default_ruleset, engine


@dataclass(frozen=True)
class Selection:
    """The command line's say in the choice; None where it said nothing."""

    falco_version: str | None = None
    rules_version: str | None = None
    rules_files: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Target:
    engine: Engine
    catalog: Catalog
    loaded_files: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    def is_loaded(self, file: str) -> bool:
        return file in self.loaded_files


def select(selection: Selection, settings: FalcoSettings) -> Target:
    notes: list[str] = []
    version_text = selection.falco_version or settings.version
    if version_text is None:
        version_text = NEWEST_KNOWN
        notes.append(
            f"no Falco version given (--falco-version or falco.version); using the newest "
            f"known, {NEWEST_KNOWN}"
        )
    eng, note = _engine(version_text, selection.falco_version is None, settings)
    if note:
        notes.append(note)
    if selection.rules_files:
        from falco_exceptions.catalog.build import build_user_catalog

        catalog = build_user_catalog(list(selection.rules_files))
        return Target(eng, catalog, catalog.default_files(), tuple(notes))
    ruleset = selection.rules_version or settings.rules or default_ruleset(eng.version)
    try:
        catalog = load_bundled_catalog(ruleset)
    except FatalError as exc:
        where = settings.positions.get("rules") if not selection.rules_version else None
        raise _located(exc.message, where) from None
    loaded = _loaded_files(catalog, settings)
    return Target(eng, catalog, loaded, tuple(notes))


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


def _located(message: str, where: object | None) -> FatalError:
    if where is None:
        return FatalError(message)
    return FatalError(f"{where}: error: {message}", ExitCode.FINDINGS)
