"""FE211: container.* and k8s.* on Falco 0.41+ need the container plugin; render --values
refuses them when the values turn it off (the real command line, real chart values)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import cli, run_entry_point

ENTRY = """\
apiVersion: falco-exceptions/v1
falco:
  version: {version}
exceptions:
  - rule: Read sensitive file untrusted
    proc.name: python3
    container.image.repository: registry.example.com/monitoring/probe
    k8s.ns.name: monitoring
    justification: The probe in the monitoring namespace reads the login policy daily.
"""
PLUGIN_OFF = "collectors:\n  containerEngine:\n    enabled: false\ncustomRules: {}\n"


def _files(tmp_path: Path, version: str, values: str) -> tuple[Path, Path]:
    exceptions = tmp_path / "exceptions.yaml"
    exceptions.write_text(ENTRY.format(version=version))
    values_file = tmp_path / "values.yaml"
    values_file.write_text(values)
    return exceptions, values_file


def test_values_that_turn_the_plugin_off_refuse_the_entry(tmp_path: Path) -> None:
    exceptions, values = _files(tmp_path, "0.44.1", PLUGIN_OFF)
    run = run_entry_point("render", exceptions, "--values", values, "--in-place")
    assert run.exit_code == 1
    assert (
        f"{exceptions}:7:33: error[FE211]: container.image.repository and k8s.ns.name need the "
        "container plugin on Falco 0.44.1 (it provides container.* and k8s.* from 0.41), and it "
        f"is off: collectors.containerEngine.enabled is false in {values}; turn it on, or "
        "remove container.image.repository and k8s.ns.name"
    ) in run.stderr.splitlines()
    assert values.read_text() == PLUGIN_OFF  # nothing written


def test_the_plugin_left_on_or_an_older_falco_renders(tmp_path: Path) -> None:
    exceptions, values = _files(tmp_path, "0.44.1", "customRules: {}\n")
    assert cli("render", exceptions, "--values", values).exit_code == 0
    exceptions, values = _files(tmp_path, "0.40.0", PLUGIN_OFF)
    run = cli("render", exceptions, "--values", values)
    assert run.exit_code == 0, run.stderr
    assert "k8s.ns.name" in run.stdout


def test_without_values_nothing_says_the_plugin_is_off(tmp_path: Path) -> None:
    exceptions, _ = _files(tmp_path, "0.44.1", PLUGIN_OFF)
    assert cli("render", exceptions).exit_code == 0


def test_one_field_is_said_in_the_singular(tmp_path: Path) -> None:
    exceptions, values = _files(tmp_path, "0.44.1", PLUGIN_OFF)
    one_field = ENTRY.format(version="0.44.1").replace("    k8s.ns.name: monitoring\n", "")
    exceptions.write_text(one_field)
    run = cli("validate", exceptions, "--values", values)
    assert run.exit_code == 1
    assert "error[FE211]: container.image.repository needs the container plugin" in run.stdout
