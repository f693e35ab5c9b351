"""Engine generations and the ruleset each Falco version runs."""

from __future__ import annotations

import pytest

from falco_exceptions.catalog import bundled_catalog_names
from falco_exceptions.errors import FatalError
from falco_exceptions.falco.versions import (
    KNOWN_RELEASES,
    Parser,
    Syntax,
    default_ruleset,
    engine,
    oldest_falco_loading,
    parse_version,
)


@pytest.mark.parametrize(
    ("version", "generation", "syntax", "parser", "names", "parenthesised"),
    [
        ("0.26.2", "< 0.28", Syntax.APPEND, Parser.LUA, False, True),
        ("0.28.0", "0.28 - 0.30", Syntax.APPEND, Parser.LUA, False, True),
        ("0.30.0", "0.28 - 0.30", Syntax.APPEND, Parser.LUA, False, True),
        ("0.31.1", "0.31", Syntax.APPEND, Parser.LUA, True, True),
        ("0.32.0", "0.32 - 0.36", Syntax.APPEND, Parser.CPP, True, False),
        ("0.36.2", "0.32 - 0.36", Syntax.APPEND, Parser.CPP, True, False),
        ("0.37.0", "0.37", Syntax.OVERRIDE, Parser.CPP, True, False),
        ("0.38.0", ">= 0.38", Syntax.OVERRIDE, Parser.CPP, True, True),
        ("0.44.1", ">= 0.38", Syntax.OVERRIDE, Parser.CPP, True, True),
    ],
)
def test_boundaries(
    version: str, generation: str, syntax: Syntax, parser: Parser, names: bool, parenthesised: bool
) -> None:
    eng, note = engine(version)
    assert note is None
    assert (eng.generation, eng.syntax, eng.parser) == (generation, syntax, parser)
    assert eng.adds_exception_names is names
    assert eng.parenthesises_condition is parenthesised


@pytest.mark.parametrize(
    ("version", "ruleset"),
    [
        ("0.26.2", "falco-0.26.2"),
        ("0.27.1", "falco-0.27.0"),
        ("0.29.1", "falco-0.28.0"),
        ("0.31.0", "falco-0.31.1"),
        ("0.34.1", "falco-0.34.1"),
        ("0.35.0", "falco-0.35.1"),
        ("0.36.0", "falco-rules-2.0.0"),
        ("0.37.1", "falco-rules-3.2.0"),
        ("0.40.0", "falco-rules-3.2.0"),
        ("0.41.0", "falco-rules-4.0.0"),
        ("0.42.1", "falco-rules-5.1.0"),
        ("0.44.1", "falco-rules-5.1.0"),
    ],
)
def test_default_ruleset(version: str, ruleset: str) -> None:
    assert default_ruleset(parse_version(version)) == ruleset


def test_every_release_maps_to_a_bundled_catalog() -> None:
    assert {r for _, r in KNOWN_RELEASES} <= set(bundled_catalog_names())


def test_newer_than_known_is_a_note_older_is_an_error() -> None:
    eng, note = engine("0.45.0")
    assert eng.generation == ">= 0.38"
    assert note is not None and "newer than the newest this tool knows (0.44.1)" in note
    with pytest.raises(FatalError, match=r"older than 0\.26"):
        engine("0.25.0")
    with pytest.raises(FatalError, match="is not a Falco version"):
        engine("latest")


def test_short_and_v_prefixed_versions() -> None:
    assert parse_version("0.37") == (0, 37, 0)
    assert parse_version("v0.44.1") == (0, 44, 1)


@pytest.mark.parametrize(
    ("version", "engine_version"),
    [
        ("0.26.2", "7"),
        ("0.27.0", "7"),
        ("0.29.0", "8"),
        ("0.29.1", "9"),
        ("0.30.0", "9"),
        ("0.31.1", "11"),
        ("0.32.0", "12"),
        ("0.32.2", "13"),
        ("0.34.0", "15"),
        ("0.34.1", "16"),
        ("0.35.1", "17"),
        ("0.36.2", "26"),
        ("0.37.1", "0.31.0"),
        ("0.38.2", "0.40.0"),
        ("0.39.2", "0.43.0"),
        ("0.40.0", "0.46.0"),
        ("0.41.3", "0.50.0"),
        ("0.42.1", "0.57.0"),
        ("0.43.1", "0.58.0"),
        ("0.44.1", "0.62.0"),
    ],
)
def test_engine_version_of_each_release(version: str, engine_version: str) -> None:
    assert engine(version)[0].engine_version == engine_version


@pytest.mark.parametrize(
    ("version", "required", "loads"),
    [
        ("0.26.2", "7", True),
        ("0.26.2", "9", False),
        ("0.36.2", "26", True),
        ("0.36.2", "0.31.0", False),  # 26 orders as 0.26.0
        ("0.37.1", "0.31.0", True),
        ("0.37.1", "0.35.0", False),  # falco-rules-3.2.0's incubating file
        ("0.38.0", "0.35.0", True),
        ("0.41.0", "0.50.0", True),
        ("0.41.3", "0.57.0", False),
        ("0.44.1", "0.57.0", True),
        ("0.44.1", None, True),
    ],
)
def test_can_load(version: str, required: str | None, loads: bool) -> None:
    assert engine(version)[0].can_load(required) is loads


@pytest.mark.parametrize(
    ("required", "first"),
    [("7", "0.26"), ("9", "0.29.1"), ("17", "0.35"), ("0.35.0", "0.38"), ("0.57.0", "0.42")],
)
def test_oldest_falco_loading(required: str, first: str) -> None:
    assert oldest_falco_loading(required) == first
    assert oldest_falco_loading("0.99.0") is None
