"""`upgrade` and `template` with a recording stand-in for helm (no cluster, no real helm)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import REPO, cli, run_entry_point
from tests.test_helm import recorder, records

EXAMPLE = REPO / "examples" / "exceptions.yaml"  # falco.version 0.26.2
CHART_1 = "apiVersion: v2\nname: falco\nversion: 1.5.7\nappVersion: 0.26.2\n"
CHART_4 = "apiVersion: v2\nname: falco\nversion: 4.22.0\nappVersion: 0.41.0\n"
CHART_9 = "apiVersion: v2\nname: falco\nversion: 9.1.0\nappVersion: 0.44.1\n"
GLOBAL_ENV = ("HELM_NAMESPACE", "HELM_KUBECONTEXT", "KUBECONFIG", "HELM_DEBUG")


@pytest.fixture
def fake_helm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HELM_BIN is the recorder; `show chart` answers falco chart 1.5.7 (Falco 0.26.2, as
    EXAMPLE says), `show values` nothing."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("HELM_BIN", str(recorder(folder)))
    monkeypatch.setenv("FAKE_CHART_YAML", CHART_1)
    monkeypatch.delenv("FAKE_VALUES_YAML", raising=False)
    for name in GLOBAL_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return folder


def without_version(tmp_path: Path) -> Path:
    src = tmp_path / "exceptions.yaml"
    src.write_text(
        EXAMPLE.read_text().replace("falco:\n  version: 0.26.2          # falco chart 1.5.7\n", "")
    )
    return src


def load(text: str) -> Any:
    return YAML(typ="safe").load(text)


def test_upgrade_passes_flags_through_and_puts_the_rendered_file_last(
    fake_helm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HELM_NAMESPACE", "from-env")  # -n on the command line wins
    monkeypatch.setenv("HELM_KUBECONTEXT", "prod")
    monkeypatch.setenv("KUBECONFIG", "/k/config")
    monkeypatch.setenv("HELM_DEBUG", "true")
    args = ["-f", "mine.yaml", "--install", "--set", "a=b", "--version", "1.5.7", "-n", "sec"]
    run = cli("upgrade", "falco", "falcosecurity/falco", "--exceptions", EXAMPLE, *args)
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "helm says hi\n"
    assert run.stderr == "helm warns\n"
    show, values, upgrade = records(fake_helm)
    assert show["argv"] == ["show", "chart", "falcosecurity/falco", "--version", "1.5.7"]
    assert values["argv"] == ["show", "values", "falcosecurity/falco", "--version", "1.5.7"]
    assert upgrade["argv"] == [
        "upgrade", "falco", "falcosecurity/falco", *args,
        "--kube-context", "prod", "--kubeconfig", "/k/config", "--debug", "-f", upgrade["file"],
    ]  # fmt: skip
    assert upgrade["text"] == cli("render", EXAMPLE).stdout
    assert (upgrade["mode"], upgrade["folder_mode"]) == (0o600, 0o700)
    assert not Path(upgrade["file"]).exists()


def test_a_falco_version_the_chart_does_not_run_is_an_error_naming_both(
    fake_helm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stale falco.version would render rules Falco 0.41 refuses; nothing runs."""
    monkeypatch.setenv("FAKE_CHART_YAML", CHART_4)
    run = cli("upgrade", "falco", "falcosecurity/falco", "--exceptions", EXAMPLE, "--install")
    assert run.exit_code == 1
    assert (
        "exceptions.yaml:4:12: error[FE110]: falco.version 0.26.2 differs from Falco 0.41.0 of "
        "chart falcosecurity/falco (falco 4.22.0), which the deployment runs; set "
        "falco.version: 0.41.0 (or give --falco-version 0.26.2 to render for it all the same)"
    ) in run.stderr
    assert run.stderr.endswith("falco-exceptions: error: 1 error(s); helm upgrade was not run\n")
    assert "upgrade" not in [r["argv"][0] for r in records(fake_helm)]
    forced = cli(
        "upgrade", "falco", "x/falco", "--exceptions", EXAMPLE, "--falco-version", "0.26.2"
    )
    assert forced.exit_code == 0, forced.stderr
    assert (
        "warning: --falco-version 0.26.2 differs from Falco 0.41.0 of chart x/falco "
        "(falco 4.22.0); rendering for 0.26.2, as --falco-version asks"
    ) in forced.stderr
    assert "for Falco 0.26.2" in records(fake_helm)[-1]["text"]


def test_falco_version_comes_from_the_chart_by_default(
    fake_helm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_CHART_YAML", CHART_4)
    run = cli("template", "falco", "falcosecurity/falco", "--exceptions", without_version(tmp_path))
    assert run.exit_code == 0, run.stderr
    assert "note: Falco 0.41.0, from chart falcosecurity/falco (falco 4.22.0)" in run.stderr
    [_, _, template] = records(fake_helm)
    assert template["argv"][:3] == ["template", "falco", "falcosecurity/falco"]
    assert "for Falco 0.41.0 (rules: falco-rules-4.0.0)" in template["text"]


def test_chart_version_must_be_the_chart_deployed(fake_helm: Path, tmp_path: Path) -> None:
    src = without_version(tmp_path)
    run = cli("upgrade", "falco", "x/falco", "--exceptions", src, "--chart-version", "1.5.7")
    assert run.exit_code == 0, run.stderr
    assert "for Falco 0.26.2" in records(fake_helm)[-1]["text"]
    other = cli("upgrade", "falco", "x/falco", "--exceptions", src, "--chart-version", "9.1.0")
    assert other.exit_code == 2
    assert other.stderr == (
        "falco-exceptions: error: --chart-version 9.1.0 differs from chart x/falco, which is "
        "falco 1.5.7 (Falco 0.26.2); leave --chart-version out, or deploy that version\n"
    )
    assert [r["argv"][0] for r in records(fake_helm)][-1] == "show"


def test_unreadable_chart_without_any_version_runs_nothing(
    fake_helm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FAKE_CHART_YAML")  # `show chart` fails
    run = cli("upgrade", "falco", "nope/falco", "--exceptions", without_version(tmp_path))
    assert run.exit_code == 2
    assert "`helm show chart nope/falco` failed" in run.stderr
    assert "give the Falco version with --falco-version, --chart-version or falco.version" in (
        run.stderr
    )
    assert [r["argv"][0] for r in records(fake_helm)] == ["show"]


def test_unreadable_chart_is_only_a_note_when_the_file_has_a_version(
    fake_helm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FAKE_CHART_YAML")
    run = cli("upgrade", "falco", "nope/falco", "--exceptions", EXAMPLE)
    assert run.exit_code == 0, run.stderr
    assert "Falco 0.26.2 not compared with the chart" in run.stderr
    assert [r["argv"][0] for r in records(fake_helm)] == ["show", "upgrade"]
    pinned = cli(
        "upgrade", "falco", "nope/falco", "--exceptions", EXAMPLE, "--chart-version", "1.5.7"
    )
    assert pinned.exit_code == 0, pinned.stderr


def test_invalid_exceptions_run_nothing(fake_helm: Path, tmp_path: Path) -> None:
    src = tmp_path / "exceptions.yaml"
    src.write_text(EXAMPLE.read_text().replace("untrusted", "untrustd"))
    run = cli("upgrade", "falco", "x/falco", "--exceptions", src, "--install")
    assert run.exit_code == 1
    assert "error[FE201]" in run.stderr
    assert "1 error(s); helm upgrade was not run" in run.stderr
    assert "upgrade" not in [r["argv"][0] for r in records(fake_helm)]


def test_helm_exit_code_passes_through(fake_helm: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_HELM_EXIT", "7")
    run = run_entry_point("upgrade", "falco", "x/falco", "--exceptions", EXAMPLE)
    assert run.exit_code == 7
    assert run.stdout == "helm says hi\n"
    assert "helm warns" in run.stderr
    assert not Path(records(fake_helm)[-1]["file"]).exists()


def test_entry_point_restores_global_flags(
    fake_helm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in [("HELM_NAMESPACE", "sec"), ("HELM_KUBECONTEXT", "ctx")]:
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HELM_DEBUG", "false")
    run = run_entry_point("template", "falco", "x/falco", "--exceptions", EXAMPLE, "--set", "x=1")
    assert run.exit_code == 0, run.stderr
    argv = records(fake_helm)[-1]["argv"]
    assert argv[3:-2] == ["--set", "x=1", "--namespace", "sec", "--kube-context", "ctx"]


def test_values_path_and_rules_filename(fake_helm: Path) -> None:
    run = cli(
        "template",
        "stack",
        "./umbrella",
        "--exceptions",
        EXAMPLE,
        "--values-path",
        "falco.customRules",
        "--rules-filename",
        "zz.yaml",
    )
    assert run.exit_code == 0, run.stderr
    text = records(fake_helm)[-1]["text"]
    assert list(load(text)["falco"]["customRules"]) == ["zz.yaml"]


def test_falcoctl_refs_of_the_values_files_pick_the_ruleset(
    fake_helm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_CHART_YAML", CHART_9)
    refs = "falcoctl:\n  config:\n    artifact:\n      follow:\n        refs: [falco-rules:{}]\n"
    (tmp_path / "a.yaml").write_text(refs.format(3))
    (tmp_path / "b.yaml").write_text(refs.format(5))
    src = without_version(tmp_path)
    run = cli("template", "f", "x/falco", "--exceptions", src, "-f", "a.yaml", "--values=b.yaml")
    assert run.exit_code == 0, run.stderr
    assert "ruleset falco-rules-5.1.0, the newest bundled for falco-rules:5" in run.stderr
    assert "(rules: falco-rules-5.1.0)" in records(fake_helm)[-1]["text"]


def test_release_and_chart_come_first(fake_helm: Path) -> None:
    run = cli("upgrade", "--install", "falco", "x/falco", "--exceptions", EXAMPLE)
    assert run.exit_code == 2
    assert "RELEASE and CHART come first: falco-exceptions upgrade RELEASE CHART" in run.stderr
    assert not (fake_helm / "helm.log").exists()


def test_ctrl_c_exits_130(fake_helm: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from falco_exceptions import helm

    def interrupted(*args: object, **kwargs: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(helm, "run_with_values", interrupted)
    run = cli("upgrade", "falco", "x/falco", "--exceptions", EXAMPLE)
    assert run.exit_code == 130


def test_missing_helm(fake_helm: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HELM_BIN")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    run = cli("upgrade", "falco", "x/falco", "--exceptions", EXAMPLE)
    assert run.exit_code == 2
    assert "helm not found: put it on PATH or set HELM_BIN" in run.stderr


@pytest.mark.parametrize("command", ["upgrade", "template"])
def test_help_names_the_pass_through(command: str) -> None:
    run = cli(command, "--help")
    assert run.exit_code == 0
    assert "Other options go to helm as given" in run.stdout


def test_short_flag_clusters_with_h_go_to_helm(fake_helm: Path) -> None:
    run = cli(
        "upgrade", "falco", "falcosecurity/falco", "--exceptions", EXAMPLE, "-nhub", "-fhelm.yaml"
    )
    assert run.exit_code == 0, run.stdout + run.stderr
    upgrade = records(fake_helm)[-1]
    assert upgrade["argv"][:5] == [
        "upgrade",
        "falco",
        "falcosecurity/falco",
        "-nhub",
        "-fhelm.yaml",
    ]


DEFAULTS_9 = """\
falcoctl:
  artifact: {install: {enabled: true}, follow: {enabled: true}}
  config:
    artifact:
      install: {refs: [falco-rules:5]}
      follow: {refs: [falco-rules:5]}
falco:
  rules_files: [/etc/falco/falco_rules.yaml, /etc/falco/falco_rules.local.yaml, /etc/falco/rules.d]
customRules: {}
"""
INCUBATING = """\
falcoctl:
  config:
    artifact:
      install: {refs: [falco-rules:5, falco-incubating-rules:5]}
      follow: {refs: [falco-rules:5, falco-incubating-rules:5]}
falco:
  rules_files:
    - /etc/falco/falco_rules.yaml
    - /etc/falco/falco-incubating_rules.yaml
    - /etc/falco/rules.d
"""


def test_the_values_files_merge_over_the_charts_own_defaults(
    fake_helm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the deployment loads is the chart's defaults with the -f files over them, in
    order: an incubating rule is an error until a -f file loads that file."""
    monkeypatch.setenv("FAKE_CHART_YAML", CHART_9)
    monkeypatch.setenv("FAKE_VALUES_YAML", DEFAULTS_9)
    src = tmp_path / "ssh.yaml"
    src.write_text(
        "apiVersion: falco-exceptions/v1\nexceptions:\n  - rule: Read ssh information\n"
        "    proc.name: backup-agent\n"
        "    justification: The backup agent copies the host keys into the vault.\n"
    )
    plain = cli("template", "falco", "x/falco", "--exceptions", src)
    assert plain.exit_code == 1
    assert "ssh.yaml:3:11: error[FE202]: rule 'Read ssh information' is in " in plain.stderr
    (tmp_path / "inc.yaml").write_text(INCUBATING)
    loaded = cli("template", "falco", "x/falco", "--exceptions", src, "-f", "inc.yaml")
    assert loaded.exit_code == 0, loaded.stderr
    assert "- rule: Read ssh information" in records(fake_helm)[-1]["text"]
    # a later -f file that drops the incubating path wins, as in helm
    (tmp_path / "back.yaml").write_text("falco:\n  rules_files: [/etc/falco/rules.d]\n")
    dropped = cli(
        "template", "falco", "x/falco", "--exceptions", src, "-f", "inc.yaml", "-f", "back.yaml"
    )
    assert dropped.exit_code == 1
    assert "error[FE202]" in dropped.stderr


def test_set_flags_that_touch_what_is_loaded_get_a_note(
    fake_helm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = cli(
        "template", "falco", "x/falco", "--exceptions", EXAMPLE,
        "--set", "falco.rules_files[0]=/etc/falco/x.yaml,image.tag=1", "--set-string=falcoctl.a=b",
        "--set", "customRules.z\\.yaml=-",
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    keys = ("--set falco.rules_files[0]", "--set-string falcoctl.a", "--set customRules.z\\.yaml")
    for key in keys:
        assert f"note: {key} is not read (only -f/--values files are)" in run.stderr
    assert "image.tag" not in run.stderr
