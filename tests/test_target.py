"""target.select: which Falco, ruleset and rules files, with the chart and the values
having their say."""

from __future__ import annotations

from pathlib import Path

import pytest

from falco_exceptions.catalog.build import RulesSource
from falco_exceptions.deployment import Deployment
from falco_exceptions.diagnostics import Position
from falco_exceptions.document import FalcoSettings
from falco_exceptions.errors import ExitCode, FatalError
from falco_exceptions.target import Hint, Selection, select

CHART_044 = Hint("0.44.1", "chart falco 9.1.0")
CHART_026 = Hint("0.26.2", "chart falco 1.5.7")
RULES_5 = Hint("falco-rules-5.1.0", "falco-rules:5 (falcoctl.config.artifact in values.yaml)")


def test_chart_version_is_used_when_nothing_else_is_given() -> None:
    target = select(Selection(chart_falco=CHART_026), FalcoSettings())
    assert target.engine.text == "0.26.2"
    assert target.catalog.name == "falco-0.26.2"
    assert target.notes == ("Falco 0.26.2, from chart falco 1.5.7",)


AT_VERSION = Position("exceptions.yaml", 3, 12)


def test_the_command_line_version_wins_over_the_chart_with_a_warning() -> None:
    for settings in (FalcoSettings(), FalcoSettings(version="0.31.1")):
        target = select(Selection("0.26.2", chart_falco=CHART_044), settings)
        assert target.engine.text == "0.26.2"
        assert target.notes == ()
        assert target.warnings == (
            "--falco-version 0.26.2 differs from Falco 0.44.1 of chart falco 9.1.0; "
            "rendering for 0.26.2, as --falco-version asks",
        )


def test_a_file_version_the_chart_does_not_run_is_an_error_at_that_line() -> None:
    settings = FalcoSettings(version="0.26.2", positions={"version": AT_VERSION})
    with pytest.raises(FatalError) as caught:
        select(Selection(chart_falco=CHART_044), settings)
    assert caught.value.located and caught.value.exit_code is ExitCode.FINDINGS
    assert caught.value.message == (
        "exceptions.yaml:3:12: error[FE110]: falco.version 0.26.2 differs from Falco 0.44.1 "
        "of chart falco 9.1.0, which the deployment runs; set falco.version: 0.44.1 (or give "
        "--falco-version 0.26.2 to render for it all the same)"
    )
    agreeing = select(Selection(chart_falco=CHART_044), FalcoSettings(version="0.44"))
    assert (agreeing.engine.text, agreeing.notes) == ("0.44.1", ())


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
    values = Deployment(ruleset=RULES_5)
    target = select(Selection("0.42.1", deployment=values), FalcoSettings())
    assert target.catalog.name == "falco-rules-5.1.0"
    assert target.notes == (
        "ruleset falco-rules-5.1.0, the newest bundled for falco-rules:5 "
        "(falcoctl.config.artifact in values.yaml)",
    )
    explicit = select(
        Selection("0.42.1", rules_version="falco-rules-4.0.0", deployment=values),
        FalcoSettings(),
    )
    assert explicit.catalog.name == "falco-rules-4.0.0"
    assert explicit.warnings == (
        "--rules-version falco-rules-4.0.0 differs from falco-rules-5.1.0, the newest bundled "
        "ruleset for falco-rules:5 (falcoctl.config.artifact in values.yaml); checking against "
        "falco-rules-4.0.0, as --rules-version asks",
    )
    at = Position("exceptions.yaml", 4, 10)
    with pytest.raises(FatalError, match=r"exceptions\.yaml:4:10: error\[FE110\]: falco\.rules "):
        select(
            Selection("0.42.1", deployment=values),
            FalcoSettings(rules="falco-rules-4.0.0", positions={"rules": at}),
        )
    same = select(Selection("0.42.1", deployment=values), FalcoSettings(rules="falco-rules-5.1.0"))
    assert same.catalog.name == "falco-rules-5.1.0"


def test_bad_chart_version_text_is_not_located_in_the_file() -> None:
    settings = FalcoSettings(positions={"version": Position("x.yaml", 3, 12)})
    with pytest.raises(FatalError) as caught:
        select(Selection(chart_falco=Hint("latest", "chart x")), settings)
    assert caught.value.message == "'latest' is not a Falco version; write it like 0.26.2"


def test_a_ruleset_the_engine_cannot_load_is_refused() -> None:
    """falco-rules 5.1.0 needs engine 0.57.0 (Falco 0.42); Falco 0.26.2 has engine 7."""
    with pytest.raises(FatalError) as caught:
        select(Selection("0.26.2", rules_version="falco-rules-5.1.0"), FalcoSettings())
    assert not caught.value.located
    assert caught.value.message == (
        "Falco 0.26.2 (engine 7) cannot load falco_rules.yaml of falco-rules-5.1.0 "
        "(--rules-version): it requires engine 0.57.0, which Falco 0.42 and newer have"
    )


def test_the_bundled_default_for_037_cannot_load_its_incubating_file() -> None:
    at = Position("exceptions.yaml", 4, 15)
    settings = FalcoSettings(
        version="0.37.1",
        rules_files=("falco_rules.yaml", "falco-incubating_rules.yaml"),
        positions={"rulesFiles": at},
    )
    with pytest.raises(FatalError) as caught:
        select(Selection(), settings)
    assert caught.value.message == (
        "exceptions.yaml:4:15: error[FE110]: Falco 0.37.1 (engine 0.31.0) cannot load "
        "falco-incubating_rules.yaml of falco-rules-3.2.0 (the one Falco 0.37.1 runs): it "
        "requires engine 0.35.0, which Falco 0.38 and newer have"
    )
    stable = select(Selection(), FalcoSettings(version="0.37.1"))
    assert stable.loaded_files == ("falco_rules.yaml",)


def test_every_bundled_default_loads_on_its_falco() -> None:
    from falco_exceptions.falco.versions import KNOWN_RELEASES

    for release, _ in KNOWN_RELEASES:
        assert select(Selection(release), FalcoSettings()).engine.text == release


LOADS = "falco.rules_files in values.yaml, falcoctl refs falco-rules:5"


def test_what_the_values_load_wins_and_a_file_may_not_claim_more() -> None:
    values = Deployment(ruleset=RULES_5, upstream_files=("falco_rules.yaml",), loads=LOADS)
    claims = ("falco_rules.yaml", "falco-incubating_rules.yaml")
    at = Position("exceptions.yaml", 4, 15)
    with pytest.raises(FatalError) as caught:
        select(
            Selection("0.44.1", deployment=values),
            FalcoSettings(rules_files=claims, positions={"rulesFiles": at}),
        )
    assert caught.value.message == (
        "exceptions.yaml:4:15: error[FE110]: falco.rulesFiles names falco-incubating_rules.yaml, "
        f"which the deployment does not load (it loads falco_rules.yaml: {LOADS}); load it there "
        "(falco-incubating-rules:N in falcoctl.config.artifact.install.refs and follow.refs, "
        "and /etc/falco/falco-incubating_rules.yaml in falco.rules_files), or take it out of "
        "falco.rulesFiles"
    )
    more = Deployment(ruleset=RULES_5, upstream_files=claims, loads=LOADS)
    target = select(Selection("0.44.1", deployment=more), FalcoSettings())
    assert target.loaded_files == claims
    fewer = select(
        Selection("0.44.1", deployment=more), FalcoSettings(rules_files=("falco_rules.yaml",))
    )
    assert fewer.loaded_files == claims
    assert fewer.notes[-1] == (
        f"the deployment also loads falco-incubating_rules.yaml ({LOADS}), which "
        "falco.rulesFiles does not list; checking against what it loads"
    )


MY_RULES = """- macro: my_service_writes
  condition: (proc.name = my-service)
- rule: My custom rule
  desc: d
  condition: open_write and fd.name startswith /srv and not my_service_writes
  output: o
  priority: WARNING
"""


def test_rules_files_add_to_the_ruleset(tmp_path: Path) -> None:
    mine = tmp_path / "my_rules.yaml"
    mine.write_text(MY_RULES)
    target = select(Selection("0.44.1", rules_files=(mine,)), FalcoSettings())
    assert {"Read sensitive file untrusted", "My custom rule"} <= set(target.catalog.rules)
    assert target.loaded_files == ("falco_rules.yaml", "my_rules.yaml")
    assert target.catalog.name == "falco-rules-5.1.0 + my_rules.yaml"
    assert target.ruleset_name == "falco-rules-5.1.0"
    assert target.rules_d == ()
    alone = select(Selection("0.44.1", rules_files=(mine,), only_rules_files=True), FalcoSettings())
    assert set(alone.catalog.rules) == {"My custom rule"}


def test_a_rules_file_needing_a_newer_engine_is_refused(tmp_path: Path) -> None:
    mine = tmp_path / "new.yaml"
    mine.write_text("- required_engine_version: 0.50.0\n" + MY_RULES)
    with pytest.raises(
        FatalError, match=r"Falco 0\.37\.1 \(engine 0\.31\.0\) cannot load new\.yaml:"
    ):
        select(Selection("0.37.1", rules_files=(mine,)), FalcoSettings())


def test_custom_rules_of_the_values_load_from_rules_d(tmp_path: Path) -> None:
    source = RulesSource("my_rules.yaml", "values.yaml", MY_RULES, 3, 4)
    text = RulesSource("notes.txt", "values.yaml", "[]", 12, 4)
    values = Deployment(custom_rules=(source, text))
    target = select(
        Selection("0.44.1", deployment=values, rules_filename="zz.yaml"), FalcoSettings()
    )
    assert target.rules_d == ("my_rules.yaml",)
    assert target.rules_filename == "zz.yaml"
    assert target.catalog.rules["My custom rule"].file == "my_rules.yaml"
    assert target.notes == (
        "customRules notes.txt: Falco 0.44.1 reads only .yaml and .yml files from "
        "/etc/falco/rules.d, so it does not load them",
    )
    mine = tmp_path / "my_rules.yaml"
    mine.write_text("[]")
    both = select(Selection("0.44.1", rules_files=(mine,), deployment=values), FalcoSettings())
    assert both.loaded_files.count("my_rules.yaml") == 1
    assert (
        "customRules my_rules.yaml of the values is what the deployment loads" in (both.notes[-1])
    )


def test_a_broken_custom_rules_file_is_located_in_the_values_file() -> None:
    broken = RulesSource("my_rules.yaml", "values.yaml", "- rule: R\n  desc: d\n", 3, 4)
    with pytest.raises(FatalError) as caught:
        select(Selection("0.44.1", deployment=Deployment(custom_rules=(broken,))), FalcoSettings())
    assert caught.value.located
    assert caught.value.message == (
        "values.yaml:3:7: error[FE402]: customRules my_rules.yaml: rule 'R' has no 'condition'"
    )
