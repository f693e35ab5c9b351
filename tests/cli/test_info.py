"""`versions`, `schema`, `rules list|show`, `--version`."""

from __future__ import annotations

import json

from falco_exceptions import __version__
from tests.conftest import REPO, cli, run_entry_point


def test_version() -> None:
    run = run_entry_point("--version")
    assert run.stdout == f"falco-exceptions {__version__}\n"


def test_schema_prints_the_shipped_schema_identical_to_the_repository_copy() -> None:
    run = cli("schema")
    assert json.loads(run.stdout)["title"].startswith("falco-exceptions file")
    assert run.stdout == (REPO / "schemas" / "exceptions.schema.json").read_text()


def test_versions_lists_generations_and_rulesets() -> None:
    run = cli("versions")
    assert "0.26.2\t< 0.28\tappend\tlua\t7\tfalco-0.26.2" in run.stdout
    assert "0.37.1\t0.37\toverride\tcpp\t0.31.0\tfalco-rules-3.2.0" in run.stdout
    assert "0.44.1\t>= 0.38\toverride\tcpp\t0.62.0\tfalco-rules-5.1.0" in run.stdout


def test_rules_show_explains_the_mechanism() -> None:
    run = cli("rules", "show", "Read sensitive file untrusted", "--falco-version", "0.26.2")
    assert run.exit_code == 0
    assert (
        "exception:     hook macro append (user_known_read_sensitive_files_activities)"
        in run.stdout
    )
    assert "cannot add exception names to a rule (0.31+ can)" in run.stdout
    assert "shared with:   Read sensitive file trusted after startup" in run.stdout
    newer = cli("rules", "show", "Read sensitive file untrusted", "--falco-version", "0.44.1")
    assert "exception:     rule exception" in newer.stdout


def test_rules_show_unknown_rule_suggests() -> None:
    run = cli("rules", "show", "Read sensitive file untrustd", "--falco-version", "0.44.1")
    assert run.exit_code == 1
    assert "did you mean 'Read sensitive file untrusted'?" in run.stderr


def test_rules_list_hides_files_not_loaded_unless_all() -> None:
    default = cli("rules", "list", "--falco-version", "0.44.1").stdout
    everything = cli("rules", "list", "--falco-version", "0.44.1", "--all").stdout
    assert "Write below etc" not in default
    assert (
        "Write below etc\tfalco-sandbox_rules.yaml\tERROR\trule exception (not loaded)"
        in everything
    )


def test_rules_list_prints_each_output() -> None:
    run = run_entry_point("rules", "list", "--falco-version", "0.26.2")
    assert run.exit_code == 0
    assert run.stdout.splitlines()[1] == "# name\tfile\tpriority\texception\toutput"
    line = next(
        x for x in run.stdout.splitlines() if x.startswith("Read sensitive file untrusted\t")
    )
    assert line.split("\t")[4].startswith(
        "Sensitive file opened for reading by non-trusted program (user=%user.name "
    )


def test_rules_list_json() -> None:
    run = run_entry_point("rules", "list", "--falco-version", "0.26.2", "--format", "json")
    doc = json.loads(run.stdout)
    assert (doc["falco"], doc["ruleset"]) == ("0.26.2", "falco-0.26.2")
    rule = next(r for r in doc["rules"] if r["name"] == "Read sensitive file untrusted")
    assert rule["exception"] == "hook macro append"
    assert rule["hook"] == "user_known_read_sensitive_files_activities"
    assert rule["output"].startswith("Sensitive file opened for reading by non-trusted program")
    assert rule["loaded"] is True


def test_rules_show_prints_the_output_and_finds_a_rule_by_its_alert_text() -> None:
    text = "Sensitive file opened for reading by non-trusted program"
    run = run_entry_point("rules", "show", text, "--falco-version", "0.26.2")
    assert run.exit_code == 0
    assert run.stdout.startswith("rule:          Read sensitive file untrusted\n")
    assert f"output:        {text} (user=%user.name" in run.stdout
    assert f"note: {text!r} is the alert text of rule 'Read sensitive file untrusted'" in run.stderr
    several = cli("rules", "show", "Sensitive file opened", "--falco-version", "0.26.2")
    assert several.exit_code == 1
    assert "starts the alert text of several rules" in several.stderr
