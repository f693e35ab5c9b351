"""deployment.read: what the values say the deployment loads (refs, rules files, customRules)."""

from __future__ import annotations

from typing import Any

import pytest
from ruamel.yaml import YAML

from falco_exceptions import deployment
from falco_exceptions.catalog.build import RulesSource
from falco_exceptions.chart import ChartInfo
from falco_exceptions.deployment import ValuesLayer
from falco_exceptions.errors import FatalError
from falco_exceptions.target import Hint
from falco_exceptions.values_edit import ValuesFileError
from tests.conftest import SHARED

KEY = "falco-exceptions.yaml"


def layer(text: str, display: str = "values.yaml", defaults: bool = False) -> ValuesLayer:
    return ValuesLayer(display, text, YAML(typ="safe", pure=True).load(text) or {}, defaults)


def read(*texts: str, chart: ChartInfo | None = None, path: tuple[str, ...] | None = None) -> Any:
    layers = [layer(t, f"v{i}.yaml") for i, t in enumerate(texts)]
    return deployment.read(layers, chart, path, KEY)


def falcoctl(install: list[str], follow: list[str] | None = None, indent: str = "") -> str:
    text = f"falcoctl:\n  config:\n    artifact:\n      install:\n        refs: {install}\n"
    if follow is not None:
        text += f"      follow:\n        refs: {follow}\n"
    return "".join(indent + line + "\n" for line in text.splitlines())


@pytest.mark.parametrize(
    ("refs", "ruleset"),
    [
        (["falco-rules:5"], "falco-rules-5.1.0"),
        (["falco-rules:3"], "falco-rules-3.2.0"),
        (["falco-rules:4.0.0"], "falco-rules-4.0.0"),
        (["ghcr.io/falcosecurity/rules/falco-rules:2"], "falco-rules-2.0.0"),
        (["falco-rules:latest"], "falco-rules-5.1.0"),
        (["k8saudit-rules:0.7", "falco-rules:1"], "falco-rules-1.0.2"),
        (["falco-incubating-rules:4", "falco-rules:4"], "falco-rules-4.0.0"),
    ],
)
def test_falcoctl_refs_pick_the_newest_bundled_ruleset(refs: list[str], ruleset: str) -> None:
    found = read(falcoctl(refs)).ruleset
    assert found is not None and found.value == ruleset


def test_install_and_follow_refs_take_the_newest_unless_follow_is_off() -> None:
    both = read(falcoctl(["falco-rules:4"], ["falco-rules:5"])).ruleset
    assert both == Hint(
        "falco-rules-5.1.0",
        "falco-rules:4, falco-rules:5 (falcoctl.config.artifact in v0.yaml)",
    )
    off = "falcoctl:\n  artifact:\n    follow:\n      enabled: false\n"
    assert read(falcoctl(["falco-rules:4"], ["falco-rules:5"]), off).ruleset == Hint(
        "falco-rules-4.0.0", "falco-rules:4 (falcoctl.config.artifact in v0.yaml)"
    )


def test_an_unbundled_ref_is_a_problem_only_when_the_ruleset_is_needed() -> None:
    hint = read(falcoctl(["falco-rules:9"])).ruleset
    assert hint is not None and hint.problem is not None
    assert hint.problem.startswith(
        "falcoctl ref falco-rules:9 (falcoctl.config.artifact in v0.yaml): no bundled ruleset"
    )
    custom = read(falcoctl(["ghcr.io/acme/falco-rules:custom", "falco-rules:4"])).ruleset
    assert custom == Hint(
        "falco-rules-4.0.0", "falco-rules:4 (falcoctl.config.artifact in v0.yaml)"
    )


RULES_FILES = "falco:\n  rules_files: [{}]\n"
STABLE = "/etc/falco/falco_rules.yaml"
INCUBATING = "/etc/falco/falco-incubating_rules.yaml"


@pytest.mark.parametrize(
    ("refs", "listed", "loaded"),
    [
        # chart 9.1.0's defaults: the stable file only
        (
            ["falco-rules:5"],
            "/etc/falco/falco_rules.yaml, /etc/falco/rules.d",
            ("falco_rules.yaml",),
        ),
        # listed, but no ref installs it: not loaded
        (
            ["falco-rules:5"],
            f"{STABLE}, {INCUBATING}, /etc/falco/rules.d",
            ("falco_rules.yaml",),
        ),
        (
            ["falco-rules:5", "falco-incubating-rules:5"],
            f"{STABLE}, {INCUBATING}, /etc/falco/rules.d",
            ("falco_rules.yaml", "falco-incubating_rules.yaml"),
        ),
        # a ref without the path in rules_files: not loaded either
        (["falco-rules:5", "falco-sandbox-rules:5"], "/etc/falco/rules.d", ()),
        # the whole folder: every installed file, in name order
        (
            ["falco-rules:5", "falco-sandbox-rules:5"],
            "/etc/falco, /etc/falco/rules.d",
            ("falco-sandbox_rules.yaml", "falco_rules.yaml"),
        ),
    ],
)
def test_upstream_files_are_the_installed_ones_the_rules_list_names(
    refs: list[str], listed: str, loaded: tuple[str, ...]
) -> None:
    found = read(falcoctl(refs, refs), RULES_FILES.format(listed))
    assert found.upstream_files == loaded
    assert found.loads.startswith("falco.rules_files in v1.yaml, falcoctl refs ")


def test_a_listed_file_that_no_ref_installs_gets_a_note() -> None:
    listed = "/etc/falco/falco-incubating_rules.yaml, /etc/falco/rules.d"
    found = read(falcoctl(["falco-rules:5"]), RULES_FILES.format(listed))
    assert found.notes == (
        "falco.rules_files in v1.yaml lists /etc/falco/falco-incubating_rules.yaml, which no "
        "falcoctl ref installs (falcoctl.config.artifact in v0.yaml); Falco does not load it",
    )


def test_without_falcoctl_the_rules_list_says_it_all() -> None:
    """Charts 1.x and 2.x carry the rules themselves; 1.x names the list rulesFile."""
    listed = [STABLE, "/etc/falco/k8s_audit_rules.yaml", "/etc/falco/falco_rules.local.yaml"]
    old = "falco:\n  rulesFile:\n" + "".join(f"    - {p}\n" for p in listed)
    found = read(old + "    - /etc/falco/rules.d\n")
    assert found.upstream_files == ("falco_rules.yaml", "k8s_audit_rules.yaml")
    assert found.ruleset is None


def test_refs_without_a_rules_list_mean_the_charts_default_list() -> None:
    found = read(falcoctl(["falco-rules:5", "falco-incubating-rules:5"]))
    assert found.upstream_files == ("falco_rules.yaml",)
    assert found.loads.startswith("the chart's default falco.rules_files")


def test_values_that_say_nothing_leave_the_loaded_files_open() -> None:
    assert read("image:\n  tag: x\n").upstream_files is None


def test_a_rules_list_without_rules_d_is_located() -> None:
    with pytest.raises(ValuesFileError) as caught:
        read("falco:\n  rules_files:\n    - /etc/falco/falco_rules.yaml\n")
    assert caught.value.message == (
        "v0.yaml:3:5: error[FE402]: falco.rules_files does not list /etc/falco/rules.d, where "
        "the chart mounts customRules: Falco would not load the exceptions; add "
        "/etc/falco/rules.d to it"
    )


UMBRELLA = ChartInfo("./stack", Hint("0.44.1", "chart ./stack"), "9.1.0", "runtime")
FALCO = ChartInfo("./falco", Hint("0.44.1", "chart ./falco"), "9.1.0")


@pytest.mark.parametrize(
    ("texts", "chart", "path"),
    [
        (["a: 1\n"], None, ("customRules",)),
        (["customRules: {}\nfalco:\n  json_output: true\n"], None, ("customRules",)),
        (["falco:\n  customRules: {}\n"], None, ("falco", "customRules")),
        (
            [
                falcoctl(["falco-rules:5"], indent="  ").replace(
                    "  falcoctl", "falco:\n  falcoctl", 1
                )
            ],
            None,
            ("falco", "customRules"),
        ),
        (["a: 1\n"], UMBRELLA, ("runtime", "customRules")),
        (["runtime:\n  customRules: {}\n"], UMBRELLA, ("runtime", "customRules")),
        (["customRules: {}\n"], FALCO, ("customRules",)),
    ],
)
def test_where_custom_rules_sit(
    texts: list[str], chart: ChartInfo | None, path: tuple[str, ...]
) -> None:
    assert read(*texts, chart=chart).values_path == path


@pytest.mark.parametrize(
    ("texts", "chart", "message"),
    [
        (
            ["customRules: {}\nfalco:\n  customRules: {}\n"],
            None,
            "v0.yaml sets customRules at the top and falco.customRules (falco as a subchart): "
            "say where the chart reads the rules with --values-path customRules or "
            "--values-path falco.customRules",
        ),
        (
            ["customRules: {}\n"],
            UMBRELLA,
            "v0.yaml sets customRules at the top, but chart ./stack carries falco as its "
            "subchart 'runtime', which reads runtime.customRules; move the rules there, or "
            "give --values-path runtime.customRules",
        ),
        (
            ["falco:\n  falcoctl: {}\n"],
            FALCO,
            "v0.yaml sets falco.falcoctl, but chart ./falco is the falco chart itself, which "
            "reads customRules and falcoctl at the top; fix the values, or give --values-path "
            "customRules",
        ),
    ],
)
def test_unclear_custom_rules_places_are_refused_naming_the_values_path(
    texts: list[str], chart: ChartInfo | None, message: str
) -> None:
    with pytest.raises(FatalError) as caught:
        read(*texts, chart=chart)
    assert caught.value.message == message
    assert read(*texts, chart=chart, path=("customRules",)).values_path == ("customRules",)


def test_detected_umbrella_values_get_a_note() -> None:
    found = read("falco:\n  customRules: {}\n")
    assert found.notes == (
        "v0.yaml sets falco.customRules: falco is a subchart here, so the rules go under "
        "falco.customRules (--values-path to change)",
    )


OWN_RULES = f"""\
image: x
customRules:
  b_rules.yaml: |-
    - list: b
      items: [x]
  {KEY}: "- macro: stale"
  a_rules.yaml: "[]"
  n.yaml: 3
"""


def test_the_other_custom_rules_are_rules_files_located_in_the_values_file() -> None:
    found = read(OWN_RULES).custom_rules
    assert found == (
        RulesSource("a_rules.yaml", "v0.yaml", "[]", 7, 16),
        RulesSource("b_rules.yaml", "v0.yaml", "- list: b\n  items: [x]", 4, 4),
    )
    assert str(found[1].position(1, 2)) == "v0.yaml:5:7"


def test_a_later_values_file_sets_the_custom_rule_that_counts() -> None:
    later = "customRules:\n  b_rules.yaml: |\n      - list: b\n        items: [y]\n"
    found = read(OWN_RULES, later).custom_rules
    assert found[1] == RulesSource("b_rules.yaml", "v1.yaml", "- list: b\n  items: [y]\n", 3, 6)


def test_the_real_chart_values_files() -> None:
    """Chart 9.1.0's own values.yaml: falcoctl follows falco-rules:5 and loads the stable
    file only; chart 3.8.7's follows falco-rules:2."""
    for version, ruleset in (("9.1.0", "falco-rules-5.1.0"), ("3.8.7", "falco-rules-2.0.0")):
        path = SHARED / "charts" / f"falco-{version}" / "values.yaml"
        if not path.is_file():
            pytest.skip(f"{path} is absent")
        found = deployment.read([layer(path.read_text(), "values.yaml", True)], None, None, KEY)
        assert found.ruleset is not None and found.ruleset.value == ruleset
        assert found.upstream_files == ("falco_rules.yaml",)
        assert found.values_path == ("customRules",)
        assert found.custom_rules == ()
