"""target.select: which Falco and ruleset, with the chart and the values having their say."""

from __future__ import annotations

import pytest

from falco_exceptions.diagnostics import Position
from falco_exceptions.document import FalcoSettings
from falco_exceptions.errors import FatalError
from falco_exceptions.target import Hint, Selection, select

CHART_044 = Hint("0.44.1", "chart falco 9.1.0")
CHART_026 = Hint("0.26.2", "chart falco 1.5.7")
RULES_5 = Hint("falco-rules-5.1.0", "falco-rules:5 (falcoctl.config.artifact in values.yaml)")


def test_chart_version_is_used_when_nothing_else_is_given() -> None:
    target = select(Selection(chart_falco=CHART_026), FalcoSettings())
    assert target.engine.text == "0.26.2"
    assert target.catalog.name == "falco-0.26.2"
    assert target.notes == ("Falco 0.26.2, from chart falco 1.5.7",)


@pytest.mark.parametrize(
    ("selection", "settings", "origin"),
    [
        (Selection("0.26.2", chart_falco=CHART_044), FalcoSettings(), "--falco-version"),
        (Selection(chart_falco=CHART_044), FalcoSettings(version="0.26.2"), "falco.version"),
        (Selection("0.26.2", chart_falco=CHART_044), FalcoSettings(version="0.31.1"), None),
    ],
)
def test_explicit_version_wins_with_a_note_naming_both(
    selection: Selection, settings: FalcoSettings, origin: str | None
) -> None:
    target = select(selection, settings)
    assert target.engine.text == "0.26.2"
    assert target.notes == (
        f"{origin or '--falco-version'} 0.26.2 differs from Falco 0.44.1 of chart falco 9.1.0; "
        "rendering for 0.26.2",
    )


def test_same_version_gives_no_note() -> None:
    target = select(Selection("v0.26.2", chart_falco=CHART_026), FalcoSettings())
    assert target.notes == ()


def test_unreadable_chart_is_an_error_only_when_it_was_needed() -> None:
    problem = "`helm show chart x/falco` failed: Error: repo x not found"
    with pytest.raises(FatalError, match=r"repo x not found; give the Falco version with"):
        select(Selection(chart_problem=problem), FalcoSettings())
    target = select(Selection(chart_problem=problem), FalcoSettings(version="0.44.1"))
    assert target.engine.text == "0.44.1"
    assert target.notes == (f"{problem}; Falco 0.44.1 not compared with the chart",)


def test_newest_known_note_names_every_way_to_choose() -> None:
    target = select(Selection(), FalcoSettings())
    assert target.notes == (
        "no Falco version given (--falco-version, falco.version, --chart or --chart-version); "
        "using the newest known, 0.44.1",
    )


def test_falcoctl_refs_pick_the_ruleset_below_explicit_choices() -> None:
    target = select(Selection("0.42.1", values_rules=RULES_5), FalcoSettings())
    assert target.catalog.name == "falco-rules-5.1.0"
    assert target.notes == (
        "ruleset falco-rules-5.1.0, the newest bundled for falco-rules:5 "
        "(falcoctl.config.artifact in values.yaml)",
    )
    explicit = select(
        Selection("0.42.1", rules_version="falco-rules-4.0.0", values_rules=RULES_5),
        FalcoSettings(),
    )
    assert explicit.catalog.name == "falco-rules-4.0.0"
    from_file = select(
        Selection("0.42.1", values_rules=RULES_5), FalcoSettings(rules="falco-rules-4.0.0")
    )
    assert from_file.catalog.name == "falco-rules-4.0.0"
    assert explicit.notes == from_file.notes == ()


def test_bad_chart_version_text_is_not_located_in_the_file() -> None:
    settings = FalcoSettings(positions={"version": Position("x.yaml", 3, 12)})
    with pytest.raises(FatalError) as caught:
        select(Selection(chart_falco=Hint("latest", "chart x")), settings)
    assert caught.value.message == "'latest' is not a Falco version; write it like 0.26.2"
