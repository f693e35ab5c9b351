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
