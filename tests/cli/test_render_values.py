"""`render --values/--in-place/--check/--values-path/--chart/--chart-version` end to end."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import REPO, cli, run_entry_point

EXAMPLE = REPO / "examples" / "exceptions.yaml"
FIXTURES = REPO / "charts-fixtures"
KEY = "falco-exceptions.yaml"

COMMENTED = """\
# Values for the falco chart 1.5.7, prod cluster.
image:
  repository: falcosecurity/falco   # mirrored
  tag: '0.26.2'

# Our own rules, one file each.
customRules:
  # Owned by team A.
  team-a.yaml: |-
    - list: team_a_binaries
      items: [a, "b c"]

  # Managed by falco-exceptions; do not edit.
  falco-exceptions.yaml: |-
    - macro: stale
      condition: (never_true)
  zz-team-b.yaml: "- list: b"

falco:
  rulesFile: [/etc/falco/falco_rules.yaml, /etc/falco/rules.d]   # flow style kept
"""


def rendered_rules(*args: str | Path) -> str:
    run = cli("render", EXAMPLE, *args)
    assert run.exit_code == 0, run.stderr
    rules: str = YAML(typ="safe").load(run.stdout)["customRules"][KEY]
    return rules


def managed_span(text: str) -> tuple[str, str]:
    """The text before the managed key's value and after it."""
    head, rest = text.split(f"  {KEY}: |-\n", 1)
    tail = rest[rest.index("  zz-team-b.yaml") :]
    return head + f"  {KEY}: |-\n", tail


def test_in_place_keeps_everything_outside_the_managed_key(tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(COMMENTED)
    values.chmod(0o640)
    run = cli("render", EXAMPLE, "--values", values, "--in-place")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == ""
    updated = values.read_text()
    assert managed_span(updated) == managed_span(COMMENTED)
    rules = rendered_rules()
    assert YAML(typ="safe").load(updated)["customRules"][KEY] == rules
    body = updated.split(f"  {KEY}: |-\n", 1)[1]
    assert body.startswith("".join(f"    {line}\n" if line else "\n" for line in rules.split("\n")))
    assert stat.S_IMODE(values.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["values.yaml"]


def test_values_without_in_place_goes_to_stdout_or_output(tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(COMMENTED)
    run = cli("render", EXAMPLE, "--values", values)
    assert run.exit_code == 0, run.stderr
    assert values.read_text() == COMMENTED
    out = tmp_path / "out.yaml"
    written = cli("render", EXAMPLE, "--values", values, "-o", out)
    assert written.exit_code == 0, written.stderr
    assert out.read_text() == run.stdout
    assert managed_span(run.stdout) == managed_span(COMMENTED)


def test_values_file_without_custom_rules_gets_it_at_the_end(tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("image:\n  tag: x  # pinned\n")
    assert cli("render", EXAMPLE, "--values", values, "--in-place").exit_code == 0
    text = values.read_text()
    assert text.startswith(
        "image:\n  tag: x  # pinned\ncustomRules:\n  falco-exceptions.yaml: |-\n"
    )


def test_check_fails_on_a_stale_values_file_and_passes_once_updated(tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(COMMENTED)
    stale = run_entry_point("render", EXAMPLE, "--values", "values.yaml", "--check", cwd=tmp_path)
    assert stale.exit_code == 1
    assert stale.stdout.startswith("--- values.yaml\n+++ values.yaml\n@@ ")
    assert "-    - macro: stale\n" in stale.stdout
    assert "+    - macro: user_known_read_sensitive_files_activities\n" in stale.stdout
    assert "values.yaml is out of date (diff on stdout)" in stale.stderr
    assert values.read_text() == COMMENTED
    args = ("render", EXAMPLE, "--values", "values.yaml")
    assert run_entry_point(*args, "--in-place", cwd=tmp_path).exit_code == 0
    fresh = run_entry_point(*args, "--check", cwd=tmp_path)
    assert (fresh.exit_code, fresh.stdout) == (0, "")
    assert "note: values.yaml is up to date" in fresh.stderr


def test_check_with_output_file(tmp_path: Path) -> None:
    out = tmp_path / "exceptions.values.yaml"
    missing = cli("render", EXAMPLE, "-o", out, "--check")
    assert missing.exit_code == 1
    assert missing.stdout.startswith(f"--- /dev/null\n+++ {out}\n")
    assert f"{out} does not exist" in missing.stderr
    assert not out.exists()
    assert cli("render", EXAMPLE, "-o", out).exit_code == 0
    mtime = out.stat().st_mtime_ns
    ok = cli("render", EXAMPLE, "-o", out, "--check")
    assert (ok.exit_code, ok.stdout) == (0, "")
    assert out.stat().st_mtime_ns == mtime
    drifted = cli("render", EXAMPLE, "-o", out, "--check", "--falco-version", "0.44.1")
    assert drifted.exit_code == 1
    assert "+      override:\n" in drifted.stdout


def test_check_ignores_crlf_from_a_git_autocrlf_checkout(tmp_path: Path) -> None:
    out = tmp_path / "exceptions.values.yaml"
    assert cli("render", EXAMPLE, "-o", out).exit_code == 0
    out.write_bytes(out.read_bytes().replace(b"\n", b"\r\n"))
    assert cli("render", EXAMPLE, "-o", out, "--check").exit_code == 0
    drifted = cli("render", EXAMPLE, "-o", out, "--check", "--falco-version", "0.44.1")
    assert drifted.exit_code == 1


def test_check_with_values_and_output_compares_the_output(tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(COMMENTED)
    out = tmp_path / "out.yaml"
    assert cli("render", EXAMPLE, "--values", values, "-o", out).exit_code == 0
    assert cli("render", EXAMPLE, "--values", values, "-o", out, "--check").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--in-place"], "--in-place needs --values FILE"),
        (["--values", "v.yaml", "--in-place", "-o", "x.yaml"], "--in-place and -o/--output"),
        (["--check"], "--check needs -o FILE or --values FILE"),
        (["--chart", "x", "--chart-version", "1.5.7"], "--chart and --chart-version exclude"),
        (["--values-path", "falco..customRules"], "--values-path 'falco..customRules' must be"),
        (["--values", "nope.yaml"], "values file nope.yaml not found"),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "v.yaml").write_text("a: 1\n")
    run = run_entry_point("render", EXAMPLE, *args, cwd=tmp_path)
    assert run.exit_code == 2, run.stderr
    assert message in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("text", "diagnostic"),
    [
        ("a: [1\nb: 2\n", "values.yaml:2:2: error[FE101]: YAML syntax error"),
        ("- a\n- b\n", "values.yaml:1:1: error[FE401]: the values file must be a mapping"),
        ("customRules: [a]\n", "values.yaml:1:14: error[FE401]: customRules must be a mapping"),
        ("customRules: x\n", "values.yaml:1:14: error[FE401]: customRules must be a mapping"),
        (
            "base: &d\n  customRules:\n    x.yaml: '[]'\n<<: *d\n",
            "values.yaml:4:1: error[FE401]: customRules comes from a merge key (<<) and "
            "cannot be edited in place; write customRules out in this mapping",
        ),
        (
            f"customRules:\n  {KEY}: &x old\nz: *x\n",
            f"values.yaml:2:26: error[FE401]: customRules.{KEY} holds an anchor (&x) that an "
            "alias (*x) repeats elsewhere",
        ),
    ],
)
def test_bad_values_file_is_located_and_untouched(
    tmp_path: Path, text: str, diagnostic: str
) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(text)
    run = run_entry_point("render", EXAMPLE, "--values", "values.yaml", "--in-place", cwd=tmp_path)
    assert run.exit_code == 1
    assert run.stderr.splitlines()[-2].startswith(diagnostic), run.stderr
    assert "nothing was written" in run.stderr
    assert "Traceback" not in run.stderr
    assert values.read_text() == text
    assert [p.name for p in tmp_path.iterdir()] == ["values.yaml"]


def test_invalid_exceptions_leave_the_values_file_alone(tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(COMMENTED)
    src = tmp_path / "exceptions.yaml"
    src.write_text(EXAMPLE.read_text().replace("untrusted", "untrustd"))
    run = cli("render", src, "--values", values, "--in-place")
    assert run.exit_code == 1
    assert values.read_text() == COMMENTED


def test_values_path_with_output_and_values(tmp_path: Path) -> None:
    run = cli("render", EXAMPLE, "--values-path", "falco.customRules")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.startswith("falco:\n  customRules:\n    falco-exceptions.yaml: |-\n")
    values = tmp_path / "values.yaml"
    values.write_text("# umbrella\nfalco:\n  customRules: {}\nother: 1\n")
    edited = cli("render", EXAMPLE, "--values", values, "--values-path", "falco.customRules")
    assert edited.exit_code == 0, edited.stderr
    assert edited.stdout.startswith("# umbrella\nfalco:\n  customRules:\n    falco-exceptions.yaml")
    assert edited.stdout.endswith("      append: true\nother: 1\n")


def test_chart_version_picks_falco_and_explicit_version_wins(tmp_path: Path) -> None:
    src = tmp_path / "exceptions.yaml"
    src.write_text(
        EXAMPLE.read_text().replace("falco:\n  version: 0.26.2          # falco chart 1.5.7\n", "")
    )
    run = cli("render", src, "--chart-version", "1.5.7")
    assert run.exit_code == 0, run.stderr
    assert "note: Falco 0.26.2, from chart falco 1.5.7\n" in run.stderr
    assert "for Falco 0.26.2" in run.stdout
    both = cli("render", src, "--chart-version", "9.1.0", "--falco-version", "0.26.2")
    assert both.exit_code == 0, both.stderr
    assert (
        "warning: --falco-version 0.26.2 differs from Falco 0.44.1 of chart falco 9.1.0; "
        "rendering for 0.26.2, as --falco-version asks" in both.stderr
    )
    assert "for Falco 0.26.2" in both.stdout
    unknown = cli("render", src, "--chart-version", "4.0.0")
    assert unknown.exit_code == 2
    assert "--chart-version 4.0.0 is not a falco chart version this tool knows" in unknown.stderr


def test_chart_directory_and_file_version(tmp_path: Path) -> None:
    """The chart says which Falco runs: a falco.version that differs is an error naming both."""
    run = cli("render", EXAMPLE, "--chart", FIXTURES / "falco-2x")
    assert run.exit_code == 1, run.stderr
    assert (
        "examples/exceptions.yaml:4:12: error[FE110]: falco.version 0.26.2 differs from Falco "
        f"0.44.1 of chart {FIXTURES / 'falco-2x'} (falco 9.1.0), which the deployment runs; "
        "set falco.version: 0.44.1 (or give --falco-version 0.26.2 to render for it all the "
        "same)\n"
    ) in run.stderr
    assert run.stdout == ""
    same = cli("render", EXAMPLE, "--chart", FIXTURES / "falco-1x")
    assert same.exit_code == 0, same.stderr
    assert "differs" not in same.stderr


def test_falcoctl_refs_of_the_values_file_pick_the_ruleset(tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(
        "falcoctl:\n  config:\n    artifact:\n      install:\n        refs: [falco-rules:3]\n"
    )
    run = cli("render", EXAMPLE, "--falco-version", "0.42.1", "--values", values)
    assert run.exit_code == 0, run.stderr
    assert "(rules: falco-rules-3.2.0)" in run.stdout
    assert "note: ruleset falco-rules-3.2.0, the newest bundled for falco-rules:3" in run.stderr
    explicit = cli(
        "render",
        EXAMPLE,
        "--falco-version",
        "0.42.1",
        "--values",
        values,
        "--rules-version",
        "falco-rules-5.1.0",
    )
    assert "(rules: falco-rules-5.1.0)" in explicit.stdout


def test_check_of_an_unreadable_target_is_a_usage_error(tmp_path: Path) -> None:
    run = cli("render", EXAMPLE, "-o", tmp_path, "--check")
    assert run.exit_code == 2
    assert f"cannot read {tmp_path}: Is a directory" in run.stderr


def in_place(values: Path) -> str:
    run = cli("render", EXAMPLE, "--values", values, "--in-place")
    assert run.exit_code == 0, run.stderr
    return values.read_bytes().decode()


def test_in_place_keeps_crlf_line_breaks(tmp_path: Path) -> None:
    lf, crlf = tmp_path / "lf.yaml", tmp_path / "crlf.yaml"
    lf.write_text(COMMENTED)
    crlf.write_bytes(COMMENTED.replace("\n", "\r\n").encode())
    updated = in_place(crlf)
    assert updated.count("\n") == updated.count("\r\n") > COMMENTED.count("\n")
    assert updated.replace("\r\n", "\n") == in_place(lf)  # only the managed key changed
    head, tail = managed_span(COMMENTED)
    assert updated.startswith(head.replace("\n", "\r\n"))
    assert updated.endswith(tail.replace("\n", "\r\n"))
    check = cli("render", EXAMPLE, "--values", crlf, "--check")  # compares the same bytes
    assert (check.exit_code, check.stdout) == (0, ""), check.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("customRules: &b\n  x.yaml: '[]'\n", f"customRules: &b\n  x.yaml: '[]'\n  {KEY}: |-\n"),
        (
            "customRules: !!map\n  x.yaml: '[]'\n",
            f"customRules: !!map\n  x.yaml: '[]'\n  {KEY}: |-\n",
        ),
        ("--- {}\n", f"---\ncustomRules:\n  {KEY}: |-\n"),
        ("--- ~\n", f"---\ncustomRules:\n  {KEY}: |-\n"),
        ("--- !!map\na: 1\n", f"--- !!map\na: 1\ncustomRules:\n  {KEY}: |-\n"),
        (
            "root: &r\n  a: 1\ncustomRules:\n  x.yaml: '[]'\n",
            f"root: &r\n  a: 1\ncustomRules:\n  x.yaml: '[]'\n  {KEY}: |-\n",
        ),
        # a comment after the replaced value stays on its line
        (f'customRules:\n  {KEY}: "old"  # note\n', f"customRules:\n  {KEY}: |-  # note\n"),
        ("{}  # c\n", f"customRules:  # c\n  {KEY}: |-\n"),
    ],
)
def test_in_place_with_anchors_tags_document_start_and_comments(
    tmp_path: Path, text: str, expected: str
) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(text)
    updated = in_place(values)
    rules = rendered_rules()
    assert updated.startswith(expected + indented(rules, 4))
    data, before = YAML(typ="safe").load(updated), YAML(typ="safe").load(text) or {}
    assert data["customRules"] == {**(before.get("customRules") or {}), KEY: rules}
    assert {k: v for k, v in data.items() if k not in ("customRules", "other")} == {
        k: v for k, v in before.items() if k not in ("customRules", "other")
    }


def indented(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line + "\n" if line else "\n" for line in text.split("\n"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("--- {}\n", f"---\ncustomRules:\n  {KEY}: |-\n"),
        ("customRules: &b\n  x.yaml: '[]'\n", f"  x.yaml: '[]'\n  {KEY}: |-\n    #"),
    ],
)
def test_in_place_with_an_anchor_or_document_start_has_no_traceback(
    tmp_path: Path, text: str, expected: str
) -> None:
    (tmp_path / "values.yaml").write_text(text)
    run = run_entry_point("render", EXAMPLE, "--values", "values.yaml", "--in-place", cwd=tmp_path)
    assert run.exit_code == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert expected in (tmp_path / "values.yaml").read_text()


@pytest.mark.parametrize(
    ("text", "where", "anchored"),
    [
        ("customRules: &b\n  x.yaml: '[]'\nother: *b\n", "1:14", "customRules is the anchor &b"),
        (
            "falco: &f\n  customRules:\n    x.yaml: '[]'\nsidecar: *f\n",
            "1:8",
            "falco is the anchor &f, which an alias (*f at line 4) repeats",
        ),
    ],
)
def test_custom_rules_that_an_alias_repeats_are_refused(
    tmp_path: Path, text: str, where: str, anchored: str
) -> None:
    """Adding a key to an anchored mapping would add it wherever an alias repeats it."""
    values = tmp_path / "values.yaml"
    values.write_text(text)
    path = "falco.customRules" if text.startswith("falco") else "customRules"
    run = run_entry_point(
        "render", EXAMPLE, "--values", values, "--in-place", "--values-path", path
    )
    assert run.exit_code == 1, run.stderr
    assert f"values.yaml:{where}: error[FE401]: {anchored}" in run.stderr
    assert "adding falco-exceptions.yaml here would add it there too" in run.stderr
    assert values.read_text() == text


@pytest.mark.parametrize("option", ["--in-place", "-o"])
def test_writing_through_a_symlink_keeps_the_link(tmp_path: Path, option: str) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "values.yaml"
    target.write_text(COMMENTED)
    link = tmp_path / "values.yaml"
    link.symlink_to(Path("real") / "values.yaml")
    args = ["--in-place"] if option == "--in-place" else ["-o", str(link)]
    run = cli("render", EXAMPLE, "--values", link, *args)
    assert run.exit_code == 0, run.stderr
    assert link.is_symlink()
    assert YAML(typ="safe").load(target.read_text())["customRules"][KEY] == rendered_rules()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["real", "values.yaml"]
    assert [p.name for p in target.parent.iterdir()] == ["values.yaml"]
