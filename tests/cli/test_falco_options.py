"""The Falco-selection options, the same for every command, and what they read: the chart,
the values (real falco chart values from ../shared/charts), the user's own rules files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SHARED, cli, run_entry_point

CHART_4 = SHARED / "charts" / "falco-4.22.0"
VALUES_9 = SHARED / "charts" / "falco-9.1.0" / "values.yaml"
STALE = """\
apiVersion: falco-exceptions/v1
falco:
  version: 0.26.2
exceptions:
  - rule: Write below etc
    proc.name: confd
    fd.name: /etc/nginx/nginx.conf
    justification: confd renders /etc/nginx/nginx.conf from the service catalog.
"""
SSH = """\
apiVersion: falco-exceptions/v1
falco:
  version: 0.44.1
  rulesFiles: [falco_rules.yaml, falco-incubating_rules.yaml]
exceptions:
  - rule: Read ssh information
    proc.name: backup-agent
    fd.name: /etc/ssh/ssh_host_ed25519_key
    justification: The backup agent copies the host keys into the encrypted vault.
"""
MY_RULES = """\
- macro: my_service_writes
  condition: (proc.name = my-service)
- rule: My custom rule
  desc: Writes below /srv/data by anything but my-service
  condition: open_write and fd.name startswith /srv/data and not my_service_writes
  output: Write below /srv/data (file=%fd.name command=%proc.cmdline)
  priority: WARNING
"""
BOTH = """\
apiVersion: falco-exceptions/v1
falco:
  version: 0.44.1
exceptions:
  - rule: Read sensitive file untrusted
    proc.name: awsagent
    fd.name: /etc/pam.d/config-util
    justification: AWS Systems Manager agent reads PAM config during inventory.
  - rule: My custom rule
    proc.name: rsync
    fd.name: /srv/data/restore.tar
    justification: Nightly rsync restores /srv/data from the backup host.
"""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if not CHART_4.is_dir():
        pytest.skip(f"{CHART_4} is absent")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "ex.yaml"],
        ["report", "ex.yaml"],
        ["render", "ex.yaml"],
        ["rules", "show", "Write below etc"],
        ["rules", "list"],
    ],
)
@pytest.mark.parametrize("chart", [["--chart", str(CHART_4)], ["--chart-version", "4.22.0"]])
def test_every_command_takes_the_chart_and_refuses_a_stale_falco_version(
    here: Path, command: list[str], chart: list[str]
) -> None:
    (here / "ex.yaml").write_text(STALE)
    (here / "exceptions.yaml").write_text(STALE)  # what `rules` reads
    run = run_entry_point(*command, *chart, cwd=here)
    assert run.exit_code == 1, run.stderr
    source = f"chart {CHART_4} (falco 4.22.0)" if chart[0] == "--chart" else "chart falco 4.22.0"
    file = "exceptions.yaml" if command[0] == "rules" else "ex.yaml"
    assert (
        f"{file}:3:12: error[FE110]: falco.version 0.26.2 differs from Falco 0.41.0 of "
        f"{source}, which the deployment runs; set falco.version: 0.41.0"
    ) in run.stderr


def test_an_explicit_falco_version_overrides_the_chart_with_a_warning(here: Path) -> None:
    (here / "ex.yaml").write_text(STALE.replace("Write below etc", "Read sensitive file untrusted"))
    run = cli("render", "ex.yaml", "--chart", CHART_4, "--falco-version", "0.26.2")
    assert run.exit_code == 0, run.stderr
    assert run.stderr == (
        f"warning: --falco-version 0.26.2 differs from Falco 0.41.0 of chart {CHART_4} "
        "(falco 4.22.0); rendering for 0.26.2, as --falco-version asks\n"
    )


def test_rules_show_reads_the_falco_block_of_exceptions_yaml_and_says_what_it_used(
    here: Path,
) -> None:
    (here / "exceptions.yaml").write_text(STALE)
    run = cli("rules", "show", "Write below etc")
    assert run.exit_code == 0, run.stderr
    assert run.stderr == (
        "note: using Falco 0.26.2 (falco.version in exceptions.yaml); ruleset falco-0.26.2 "
        "(the one Falco 0.26.2 runs); loaded: falco_rules.yaml, k8s_audit_rules.yaml\n"
    )
    assert "falco:         0.26.2 (< 0.28, append syntax)" in run.stdout
    assert "ruleset:       falco-0.26.2 (falco_rules.yaml, loaded)" in run.stdout
    (here / "exceptions.yaml").unlink()
    newest = cli("rules", "show", "Write below etc")
    assert "note: no Falco version given" in newest.stderr
    assert "(falco-sandbox_rules.yaml, not loaded by default)" in newest.stdout


def test_a_file_claiming_more_rules_files_than_the_values_load_writes_nothing(
    here: Path,
) -> None:
    values = here / "values.yaml"
    shutil.copyfile(VALUES_9, values)
    (here / "ex.yaml").write_text(SSH)
    run = run_entry_point("render", "ex.yaml", "--values", "values.yaml", "--in-place", cwd=here)
    assert run.exit_code == 1
    assert (
        "ex.yaml:4:15: error[FE110]: falco.rulesFiles names falco-incubating_rules.yaml, which "
        "the deployment does not load (it loads falco_rules.yaml: falco.rules_files in "
        "values.yaml, falcoctl refs falco-rules:5); load it there"
    ) in run.stderr
    assert values.read_bytes() == VALUES_9.read_bytes()
    validated = run_entry_point("validate", "ex.yaml", "--values", VALUES_9, cwd=here)
    assert validated.exit_code == 1
    assert "error[FE110]: falco.rulesFiles names falco-incubating_rules.yaml" in validated.stderr


def test_values_that_load_more_than_the_file_lists_are_what_counts(here: Path) -> None:
    values = here / "values.yaml"
    values.write_text(
        VALUES_9.read_text()
        .replace("refs: [falco-rules:5]", "refs: [falco-rules:5, falco-incubating-rules:5]")
        .replace(
            "  rules_files:\n    - /etc/falco/falco_rules.yaml\n",
            "  rules_files:\n    - /etc/falco/falco_rules.yaml\n"
            "    - /etc/falco/falco-incubating_rules.yaml\n",
        )
    )
    (here / "ex.yaml").write_text(SSH.replace(", falco-incubating_rules.yaml", ""))
    run = cli("render", "ex.yaml", "--values", values, "--in-place")
    assert run.exit_code == 0, run.stderr
    assert "the deployment also loads falco-incubating_rules.yaml" in run.stderr
    assert "- rule: Read ssh information" in values.read_text()


def test_rules_files_add_to_the_ruleset_unless_only_they_are_loaded(here: Path) -> None:
    (here / "my_rules.yaml").write_text(MY_RULES)
    (here / "ex.yaml").write_text(BOTH)
    run = cli("validate", "ex.yaml", "--rules-file", "my_rules.yaml")
    assert run.exit_code == 0, run.stdout + run.stderr
    rendered = cli("render", "ex.yaml", "--rules-file", "my_rules.yaml")
    assert "- rule: Read sensitive file untrusted" in rendered.stdout
    assert "- rule: My custom rule" in rendered.stdout
    assert "(rules: falco-rules-5.1.0)" in rendered.stdout
    alone = cli("validate", "ex.yaml", "--rules-file", "my_rules.yaml", "--only-rules-files")
    assert alone.exit_code == 1
    assert (
        "ex.yaml:5:11: error[FE201]: rule 'Read sensitive file untrusted' does not exist in "
        "rules files: my_rules.yaml"
    ) in alone.stdout
    usage = cli("validate", "ex.yaml", "--only-rules-files")
    assert usage.exit_code == 2
    assert "--only-rules-files needs the files: give them with --rule-file" not in usage.stderr
    assert "--only-rules-files needs the files: give them with --rules-file" in usage.stderr


def test_the_values_own_custom_rules_are_read_as_rules_files(here: Path) -> None:
    values = here / "values.yaml"
    values.write_text(
        "customRules:\n  my_rules.yaml: |-\n"
        + "".join(f"    {line}\n" for line in MY_RULES.splitlines())
    )
    (here / "ex.yaml").write_text(BOTH)
    first = cli("render", "ex.yaml", "--values", values, "--in-place")
    assert first.exit_code == 1
    assert "ex.yaml:9:11: error[FE212]: rule 'My custom rule' is defined in my_rules.yaml" in (
        first.stderr
    )
    named = cli(
        "render", "ex.yaml", "--values", values, "--in-place",
        "--rules-filename", "zz-falco-exceptions.yaml",
    )  # fmt: skip
    assert named.exit_code == 0, named.stderr
    text = values.read_text()
    assert text.index("my_rules.yaml") < text.index("zz-falco-exceptions.yaml")


def test_umbrella_values_get_the_rules_under_falco(here: Path) -> None:
    values = here / "values.yaml"
    values.write_text(
        "falco:\n  falcoctl:\n    config:\n      artifact:\n        install:\n"
        "          refs: [falco-rules:5]\n"
    )
    (here / "ex.yaml").write_text(BOTH.split("  - rule: My custom rule")[0])
    run = cli("render", "ex.yaml", "--values", "values.yaml", "--in-place")
    assert run.exit_code == 0, run.stderr
    assert (
        "note: values.yaml sets falco.falcoctl: falco is a subchart here, so the rules go under "
        "falco.customRules (--values-path to change)"
    ) in run.stderr
    assert values.read_text().startswith(
        "falco:\n  falcoctl:\n    config:\n      artifact:\n        install:\n"
        "          refs: [falco-rules:5]\n  customRules:\n    falco-exceptions.yaml: |-\n"
    )
    values.write_text(values.read_text() + "customRules: {}\n")
    both = cli("render", "ex.yaml", "--values", values, "--in-place")
    assert both.exit_code == 2
    assert "say where the chart reads the rules with --values-path customRules or " in (both.stderr)


def test_the_container_plugin_check_reads_the_same_values_on_every_command(here: Path) -> None:
    """FE211 (issue 10) reads the deployment's merged values: the chart's defaults with the
    values files over them, for validate as for render."""
    chart_9 = SHARED / "charts" / "falco-9.1.0"
    (here / "off.yaml").write_text("collectors:\n  containerEngine:\n    enabled: false\n")
    (here / "ex.yaml").write_text(
        "apiVersion: falco-exceptions/v1\nexceptions:\n  - rule: Read sensitive file untrusted\n"
        "    proc.name: awsagent\n    container.name: ssm-agent\n"
        "    justification: AWS Systems Manager agent reads PAM config during inventory.\n"
    )
    for command in ("validate", "render"):
        run = cli(command, "ex.yaml", "--chart", chart_9, "--values", "off.yaml")
        assert run.exit_code == 1
        assert "error[FE211]" in run.stdout + run.stderr
        assert "collectors.containerEngine.enabled is false in " in run.stdout + run.stderr
    on = cli("validate", "ex.yaml", "--chart", chart_9, "--values", VALUES_9)
    assert "FE211" not in on.stdout
