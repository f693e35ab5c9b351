from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from falco_exceptions.catalog import Catalog, Hook
from falco_exceptions.catalog.build import (
    build_catalog,
    build_user_catalog,
    catalog_json,
    engine_version_key,
    kind_of,
)
from falco_exceptions.errors import FatalError

BASE = """\
- required_engine_version: 9
- list: shell_binaries
  items: [bash, sh]
- macro: never_true
  condition: (evt.num=0)
- macro: user_known_shell_activities
  condition: (never_true)
- macro: allowed_shells
  condition: (never_true)
- macro: shell_exception_paths
  condition: (never_true)
- macro: spawned_process
  condition: evt.type = execve
- rule: Shell spawned
  desc: a shell
  condition: >
    spawned_process and proc.name in (shell_binaries)
    and not user_known_shell_activities
    and (fd.name = x or not allowed_shells)
    and not shell_exception_paths
    and not user_known_shell_activities
    and not user_not_a_macro
  output: >
    Shell spawned (user=%user.name)
  priority: Notice
  tags: [shell, mitre_execution]
- rule: Either
  desc: two branches
  condition: spawned_process or (proc.name = b and not allowed_shells)
  output: either
  priority: warning
  enabled: false
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def user_catalog(tmp_path: Path, *texts: str) -> Catalog:
    paths = [write(tmp_path, f"f{i}.yaml", text) for i, text in enumerate(texts)]
    return build_user_catalog(paths)


def test_rule_facts(tmp_path: Path) -> None:
    catalog = user_catalog(tmp_path, BASE)
    rule = catalog.rules["Shell spawned"]
    assert rule.file == "f0.yaml"
    assert rule.source == "syscall"
    assert rule.priority == "NOTICE"
    assert rule.tags == ("shell", "mitre_execution")
    assert rule.enabled is True
    assert rule.output == "Shell spawned (user=%user.name)"
    assert rule.top_level_or is False
    assert rule.hooks == (
        Hook("user_known_shell_activities", True),
        Hook("allowed_shells", False),
        Hook("shell_exception_paths", True),
    )
    either = catalog.rules["Either"]
    assert (either.priority, either.enabled, either.top_level_or) == ("WARNING", False, True)
    assert either.hooks == (Hook("allowed_shells", False),)
    assert list(catalog.rules) == ["Shell spawned", "Either"]


def test_macros_lists_and_files(tmp_path: Path) -> None:
    catalog = user_catalog(tmp_path, BASE, "- macro: never_true\n  condition: (evt.num=1)\n")
    assert catalog.name == "rules files: f0.yaml, f1.yaml"
    assert catalog.macros["never_true"] == "f0.yaml"
    assert catalog.lists == {"shell_binaries": "f0.yaml"}
    assert [(f.name, f.kind, f.loaded_by_default) for f in catalog.files] == [
        ("f0.yaml", "user", True),
        ("f1.yaml", "user", True),
    ]
    assert catalog.file("f0.yaml").required_engine_version == "9"
    assert catalog.file("f1.yaml").required_engine_version is None
    assert catalog.required_engine_version == "9"


def test_hook_macro_may_be_defined_in_a_later_file(tmp_path: Path) -> None:
    rule = """\
    - rule: R
      desc: d
      condition: evt.type = open and not user_known_r_activities
      output: o
      priority: INFO
      source: k8s_audit
    """
    macro = "- macro: user_known_r_activities\n  condition: (evt.num = 0)\n"
    catalog = user_catalog(tmp_path, rule, macro)
    assert catalog.rules["R"].hooks == (Hook("user_known_r_activities", True),)
    assert catalog.rules["R"].source == "k8s_audit"


def test_condition_append_reevaluates_or_and_hooks(tmp_path: Path) -> None:
    extra = """\
    - macro: user_extra
      condition: (never_true)
    - rule: Shell spawned
      append: true
      condition: or proc.name = zsh and not user_extra
      output: appended
      tags: [shell, extra]
    - macro: allowed_shells
      append: true
      condition: or proc.name = fish
    - list: shell_binaries
      append: true
      items: [zsh]
    """
    catalog = user_catalog(tmp_path, BASE, extra)
    rule = catalog.rules["Shell spawned"]
    assert rule.top_level_or is True
    # only the last `or` branch negates it, so it does not guard the whole rule
    assert rule.hooks[-1] == Hook("user_extra", False)
    assert rule.output == "Shell spawned (user=%user.name) appended"
    assert rule.tags == ("shell", "mitre_execution", "extra")
    assert rule.file == "f0.yaml"
    assert catalog.macros["allowed_shells"] == "f0.yaml"


def test_override(tmp_path: Path) -> None:
    extra = """\
    - rule: Shell spawned
      condition: and not user_known_shell_activities
      priority: critical
      enabled: false
      tags: [other]
      desc: ignored
      override:
        condition: append
        priority: replace
        enabled: replace
        tags: replace
        desc: replace
    - rule: Either
      condition: proc.name = c
      override:
        condition: replace
    """
    catalog = user_catalog(tmp_path, BASE, extra)
    rule = catalog.rules["Shell spawned"]
    assert (rule.priority, rule.enabled, rule.tags) == ("CRITICAL", False, ("other",))
    assert rule.hooks[0] == Hook("user_known_shell_activities", True)
    either = catalog.rules["Either"]
    assert (either.top_level_or, either.hooks) == (False, ())


def test_enabled_toggle(tmp_path: Path) -> None:
    toggles = """\
    - rule: Shell spawned
      enabled: false
    - rule: Either
      enabled: true
    """
    catalog = user_catalog(tmp_path, BASE, toggles)
    assert catalog.rules["Shell spawned"].enabled is False
    assert catalog.rules["Either"].enabled is True
    assert catalog.rules["Shell spawned"].priority == "NOTICE"


def test_redefinition_replaces_the_rule_in_place(tmp_path: Path) -> None:
    redefined = """\
    - rule: Shell spawned
      desc: d
      condition: a or b
      output: new
      priority: DEBUG
    """
    catalog = user_catalog(tmp_path, BASE, redefined)
    rule = catalog.rules["Shell spawned"]
    assert (rule.file, rule.output, rule.top_level_or, rule.hooks) == ("f1.yaml", "new", True, ())
    assert list(catalog.rules) == ["Shell spawned", "Either"]


def test_build_catalog_records_kinds_and_default_loading(tmp_path: Path) -> None:
    stable = write(tmp_path, "falco_rules.yaml", BASE)
    sandbox = write(tmp_path, "falco-sandbox_rules.yaml", "- required_engine_version: 0.57.0\n")
    catalog = build_catalog("mine", [(stable, "stable", True), (sandbox, "sandbox", False)])
    assert catalog.default_files() == ("falco_rules.yaml",)
    assert catalog.file("falco-sandbox_rules.yaml").required_engine_version == "0.57.0"
    assert catalog.required_engine_version == "9"  # only loaded-by-default files count


def test_json_round_trip(tmp_path: Path) -> None:
    catalog = user_catalog(tmp_path, BASE)
    assert Catalog.from_json(catalog.to_json()) == catalog
    assert catalog_json(catalog) == catalog_json(user_catalog(tmp_path, BASE))
    assert catalog_json(catalog).endswith("}\n")


@pytest.mark.parametrize(
    ("filename", "kind"),
    [
        ("falco_rules.yaml", "stable"),
        ("falco-incubating_rules.yaml", "incubating"),
        ("falco-sandbox_rules.yaml", "sandbox"),
        ("k8s_audit_rules.yaml", "k8s_audit"),
        ("application_rules.yaml", "application"),
        ("/etc/falco/falco_rules.yaml", "stable"),
        ("falco_rules.local.yaml", "user"),
        ("mine.yaml", "user"),
    ],
)
def test_kind_of(filename: str, kind: str) -> None:
    assert kind_of(filename) == kind


def test_engine_versions_compare_old_integers_with_semver() -> None:
    ordered = ["2", "9", "26", "0.31.0", "0.50.0", "0.57.0", "1.0.0"]
    assert sorted(reversed(ordered), key=engine_version_key) == ordered


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("- rule: a\n  condition: [x\n", ":3:1:", "invalid rules file: YAML syntax error"),
        ("- rule: a\n  rule: b\n", ":2:3:", "invalid rules file: YAML syntax error"),
        ("rule: a\n", ":1:1:", "must be a YAML list"),
        ("- just a string\n", ":1:3:", "must be a mapping"),
        ("- rule: Nope\n  append: true\n  condition: and x\n", ":1:3:", "no earlier item"),
        ("- macro: m\n  override: {condition: append}\n  condition: x\n", ":1:3:", "no earlier"),
        ("- list: l\n  append: true\n  items: [a]\n", ":1:3:", "no earlier item"),
        ("- rule: Nope\n  enabled: false\n", ":1:3:", "no earlier item"),
        ("- rule: R\n  desc: d\n  condition: c\n  priority: INFO\n", ":1:3:", "no 'output'"),
        ("- rule: R\n  condition: c\n  output: o\n  priority: 3\n", ":4:3:", "must be a string"),
        ("- rule: R\n  condition: c\n  output: o\n  priority: I\n  tags: x\n", ":5:3:", "tags"),
        ("- foo: bar\n", ":1:3:", "unknown item"),
    ],
)
def test_errors_name_file_line_and_column(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(FatalError) as info:
        build_user_catalog([path])
    assert info.value.message.startswith(f"{path}{where} ")
    assert message in info.value.message
    assert "Traceback" not in info.value.message


def test_append_and_override_together_is_an_error(tmp_path: Path) -> None:
    both = "- rule: Either\n  append: true\n  override: {condition: append}\n  condition: x\n"
    with pytest.raises(FatalError, match=r"f1\.yaml:1:3: rule 'Either' combines"):
        user_catalog(tmp_path, BASE, both)


def test_unknown_override_mode_is_an_error(tmp_path: Path) -> None:
    bad = "- rule: Either\n  override: {condition: merge}\n  condition: x\n"
    with pytest.raises(FatalError, match="append or replace"):
        user_catalog(tmp_path, BASE, bad)


def test_missing_file_is_a_fatal_error(tmp_path: Path) -> None:
    with pytest.raises(FatalError, match="invalid rules file: file not found"):
        build_user_catalog([tmp_path / "absent.yaml"])


def test_empty_file_has_no_items(tmp_path: Path) -> None:
    catalog = user_catalog(tmp_path, "")
    assert (dict(catalog.rules), catalog.required_engine_version) == ({}, None)


def test_unreadable_value_in_a_rules_file_is_located(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("- list: dates\n  items: [2027-02-30]\n")
    with pytest.raises(FatalError, match=r"bad\.yaml:2:11: invalid rules file: cannot read"):
        build_user_catalog([path])
