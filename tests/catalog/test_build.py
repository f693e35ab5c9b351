from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from falco_exceptions.catalog import (
    Catalog,
    Hook,
    RulesFile,
    bundled_catalog_names,
    load_bundled_catalog,
)
from falco_exceptions.catalog.build import (
    RulesFileError,
    RulesSource,
    build_catalog,
    build_user_catalog,
    catalog_json,
    engine_version_key,
    kind_of,
    with_user_files,
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


def test_every_document_of_a_multi_document_file_is_read(tmp_path: Path) -> None:
    """Falco's own loader test (multiple_docs.yaml at 0.35.1) is a valid three-document file."""
    documents = BASE + "---\n- rule: Second\n  desc: d\n  condition: spawned_process\n"
    documents += "  output: o\n  priority: INFO\n---\n---\n- required_engine_version: 13\n"
    catalog = user_catalog(tmp_path, documents)
    assert list(catalog.rules) == ["Shell spawned", "Either", "Second"]
    assert catalog.required_engine_version == "13"


def test_a_document_that_is_not_a_list_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, "two.yaml", "- list: a\n  items: [x]\n---\nrule: b\n")
    with pytest.raises(FatalError, match=r"two\.yaml:4:1: a rules file must be a YAML list"):
        build_user_catalog([path])


def test_positions_of_a_text_held_in_a_values_file() -> None:
    source = RulesSource("mine.yaml", "values.yaml", "- rule: R\n  desc: d\n", 12, 4)
    with pytest.raises(RulesFileError) as info:
        with_user_files(load_bundled_catalog("falco-rules-5.1.0"), ["falco_rules.yaml"], [source])
    assert info.value.message == "values.yaml:12:7: rule 'R' has no 'condition'"
    broken = RulesSource("mine.yaml", "values.yaml", "- rule: [x\n", 3, 4)
    with pytest.raises(RulesFileError, match=r"^values\.yaml:4:5: invalid rules file: YAML"):
        with_user_files(load_bundled_catalog("falco-rules-5.1.0"), ["falco_rules.yaml"], [broken])


@pytest.mark.parametrize("name", bundled_catalog_names())
def test_user_files_load_on_top_of_a_bundled_catalog_without_changing_it(name: str) -> None:
    """The catalog keeps hooks and top-level `or`, not conditions: the stand-in condition
    seeded for each rule must read back as the same facts."""
    base = load_bundled_catalog(name)
    combined = with_user_files(base, base.default_files(), [RulesSource("mine.yaml", "m", "")])
    assert dict(combined.rules) == dict(base.rules)
    assert combined.name == f"{name} + mine.yaml"
    assert combined.file("mine.yaml") == RulesFile("mine.yaml", "user", True, None)


APPENDS = """\
- macro: user_known_read_sensitive_files_activities
  condition: or proc.name = awsagent
  append: true
- rule: Read sensitive file untrusted
  condition: or proc.name = x and not my_hook
  append: true
- macro: my_hook
  condition: (never_true)
"""


def test_user_appends_change_the_rules_they_append_to() -> None:
    base = load_bundled_catalog("falco-rules-5.1.0")
    before = base.rules["Read sensitive file untrusted"]
    combined = with_user_files(
        base, ["falco_rules.yaml"], [RulesSource("mine.yaml", "mine.yaml", APPENDS)]
    )
    after = combined.rules["Read sensitive file untrusted"]
    assert (before.top_level_or, after.top_level_or) == (False, True)
    # An `or` appended at the top: no upstream hook guards the whole rule any more.
    assert [h for h in after.hooks if h.top_level] == []
    assert [h.name for h in after.hooks] == [h.name for h in before.hooks]


def test_user_files_see_only_the_loaded_upstream_files() -> None:
    base = load_bundled_catalog("falco-rules-5.1.0")
    append = "- rule: Write below etc\n  condition: and not proc.name = x\n  append: true\n"
    with pytest.raises(RulesFileError, match=r"mine\.yaml:1:3: rule 'Write below etc' has"):
        with_user_files(base, ["falco_rules.yaml"], [RulesSource("mine.yaml", "mine.yaml", append)])
    loaded = ["falco_rules.yaml", "falco-sandbox_rules.yaml"]
    assert with_user_files(base, loaded, [RulesSource("mine.yaml", "mine.yaml", append)])
    anew = "- rule: Write below etc\n  desc: d\n  condition: c\n  output: o\n  priority: INFO\n"
    mine = with_user_files(base, ["falco_rules.yaml"], [RulesSource("mine.yaml", "m", anew)])
    assert mine.rules["Write below etc"].file == "mine.yaml"


def test_a_user_file_named_like_an_upstream_file_is_refused() -> None:
    base = load_bundled_catalog("falco-rules-5.1.0")
    with pytest.raises(FatalError, match=r"has the name of a file of falco-rules-5\.1\.0"):
        with_user_files(base, ["falco_rules.yaml"], [RulesSource("falco_rules.yaml", "x", "")])
