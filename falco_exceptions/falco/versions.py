"""Falco engine versions: what each can express, and which upstream ruleset it runs.

The boundaries are the ones in docs (falco-facts.md section 1): rule `exceptions:` from
0.28, new exception names through `append` from 0.31, the C++ condition parser from
0.32, `override:` from 0.37, the base condition parenthesised again from 0.38.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from falco_exceptions.errors import FatalError

Version = tuple[int, int, int]

# Falco releases this tool knows, each with the ruleset the chart gives it by default.
# 0.29-0.30 fall back to the newest older in-tree catalog, 0.37-0.40 follow `falco-rules:3`
# (3.2.0, the newest of that major), 0.42-0.44 follow `falco-rules:5`.
KNOWN_RELEASES: tuple[tuple[str, str], ...] = (
    ("0.26.2", "falco-0.26.2"),
    ("0.27.0", "falco-0.27.0"),
    ("0.28.0", "falco-0.28.0"),
    ("0.29.1", "falco-0.28.0"),
    ("0.30.0", "falco-0.28.0"),
    ("0.31.1", "falco-0.31.1"),
    ("0.32.2", "falco-0.32.2"),
    ("0.33.1", "falco-0.33.1"),
    ("0.34.1", "falco-0.34.1"),
    ("0.35.1", "falco-0.35.1"),
    ("0.36.2", "falco-rules-2.0.0"),
    ("0.37.1", "falco-rules-3.2.0"),
    ("0.38.2", "falco-rules-3.2.0"),
    ("0.39.2", "falco-rules-3.2.0"),
    ("0.40.0", "falco-rules-3.2.0"),
    ("0.41.3", "falco-rules-4.0.0"),
    ("0.42.1", "falco-rules-5.1.0"),
    ("0.43.1", "falco-rules-5.1.0"),
    ("0.44.1", "falco-rules-5.1.0"),
)
OLDEST: Version = (0, 26, 0)
NEWEST_KNOWN = KNOWN_RELEASES[-1][0]

# The engine version of each Falco release (falco-facts.md section 8), as (first Falco
# release with it, engine). A rules file's `required_engine_version` above the engine
# makes Falco refuse the file at start. Integers until 0.36, semver from 0.37; an
# integer N orders as 0.N.0 (see `engine_version_key`).
ENGINE_VERSIONS: tuple[tuple[Version, str], ...] = (
    ((0, 26, 0), "7"),
    ((0, 28, 0), "8"),
    ((0, 29, 1), "9"),
    ((0, 31, 0), "11"),
    ((0, 32, 0), "12"),
    ((0, 32, 1), "13"),
    ((0, 33, 0), "15"),
    ((0, 34, 1), "16"),
    ((0, 35, 0), "17"),
    ((0, 36, 0), "26"),
    ((0, 37, 0), "0.31.0"),
    ((0, 38, 0), "0.40.0"),
    ((0, 39, 0), "0.43.0"),
    ((0, 40, 0), "0.46.0"),
    ((0, 41, 0), "0.50.0"),
    ((0, 42, 0), "0.57.0"),
    ((0, 43, 0), "0.58.0"),
    ((0, 44, 0), "0.62.0"),
)


class Parser(Enum):
    LUA = "lua"  # Falco <= 0.31: raw text between quotes, no escapes
    CPP = "cpp"  # Falco >= 0.32: libs filter parser with C-style escapes


class Syntax(Enum):
    APPEND = "append"  # `append: true`
    OVERRIDE = "override"  # `override: {key: append}` (0.37+)


@dataclass(frozen=True)
class Engine:
    """What one Falco version can express."""

    version: Version
    text: str

    @property
    def parser(self) -> Parser:
        return Parser.LUA if self.version < (0, 32, 0) else Parser.CPP

    @property
    def syntax(self) -> Syntax:
        return Syntax.OVERRIDE if self.version >= (0, 37, 0) else Syntax.APPEND

    @property
    def adds_exception_names(self) -> bool:
        """A user file can add a new named exception to an existing rule (0.31+)."""
        return self.version >= (0, 31, 0)

    @property
    def parenthesises_condition(self) -> bool:
        """Exceptions guard the whole condition, even one with a top-level `or`.

        True in the Lua loader of 0.31 and again from 0.38; 0.32-0.37 wrote
        `A or B and not (exception)`, which only guards the last branch.
        """
        return self.version < (0, 32, 0) or self.version >= (0, 38, 0)

    @property
    def engine_version(self) -> str:
        """The rules engine version: what `required_engine_version` is compared with."""
        chosen = ENGINE_VERSIONS[0][1]
        for first, engine_version in ENGINE_VERSIONS:
            if first <= self.version:
                chosen = engine_version
        return chosen

    def can_load(self, required: str | None) -> bool:
        """Whether a rules file requiring engine `required` loads on this Falco."""
        if required is None:
            return True
        return engine_version_key(required) <= engine_version_key(self.engine_version)

    @property
    def generation(self) -> str:
        for upper, name in _GENERATIONS:
            if self.version < upper:
                return name
        return ">= 0.38"


_GENERATIONS: tuple[tuple[Version, str], ...] = (
    ((0, 28, 0), "< 0.28"),
    ((0, 31, 0), "0.28 - 0.30"),
    ((0, 32, 0), "0.31"),
    ((0, 37, 0), "0.32 - 0.36"),
    ((0, 38, 0), "0.37"),
)

_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?$")


def parse_version(text: str) -> Version:
    match = _VERSION.match(text.strip())
    if not match:
        raise FatalError(f"{text!r} is not a Falco version; write it like 0.26.2")
    major, minor, patch = match.groups()
    return (int(major), int(minor), int(patch or 0))


def engine(text: str) -> tuple[Engine, str | None]:
    """The engine for a version string, and a note when it is beyond the known ones."""
    version = parse_version(text)
    if version < OLDEST:
        raise FatalError(
            f"Falco {text} is older than 0.26, which falco-exceptions does not support "
            "(the oldest falco chart it knows is 1.5.7 with Falco 0.26.2)"
        )
    note = None
    if version > parse_version(NEWEST_KNOWN):
        note = (
            f"Falco {text} is newer than the newest this tool knows ({NEWEST_KNOWN}); "
            f"assuming it behaves as {NEWEST_KNOWN}"
        )
    return Engine(version, text.strip().lstrip("v")), note


def engine_version_key(version: str) -> tuple[int, ...]:
    """Order engine versions: the old integer N is the minor of the semver `0.N.0`."""
    text = version.strip()
    if text.isdigit():
        return (0, int(text), 0)
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def oldest_falco_loading(required: str) -> str | None:
    """The first Falco release (`0.38`) whose engine meets `required`; None if none known."""
    for first, engine_version in ENGINE_VERSIONS:
        if engine_version_key(engine_version) >= engine_version_key(required):
            return ".".join(map(str, first if first[2] else first[:2]))
    return None


def releases_using(ruleset: str) -> list[str]:
    """The known Falco releases whose default ruleset is `ruleset`."""
    return [release for release, name in KNOWN_RELEASES if name == ruleset]


def default_ruleset(version: Version) -> str:
    """The bundled ruleset a Falco version runs by default (the newest release not newer)."""
    chosen = KNOWN_RELEASES[0][1]
    for release, ruleset in KNOWN_RELEASES:
        if parse_version(release)[:2] <= version[:2]:
            chosen = ruleset
    return chosen
