"""`render` through typer's runner and through the installed console script."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from tests.conftest import REPO, cli, run_entry_point

EXAMPLE = REPO / "examples" / "exceptions.yaml"


def test_seed_case_renders_the_hook_macro_for_falco_0_26(tmp_path: Path) -> None:
    run = run_entry_point("render", EXAMPLE)
    assert run.exit_code == 0, run.stderr
    rules = YAML(typ="safe").load(run.stdout)["customRules"]["falco-exceptions.yaml"]
    items = YAML(typ="safe").load(rules)
    assert items == [
        {
            "macro": "user_known_read_sensitive_files_activities",
            "condition": "or (proc.name = awsagent and fd.name = /etc/pam.d/config-util)",
            "append": True,
        }
    ]


def test_seed_without_fd_name_excepts_the_process_only(tmp_path: Path) -> None:
    src = tmp_path / "exceptions.yaml"
    src.write_text(EXAMPLE.read_text().replace("    fd.name: /etc/pam.d/config-util\n", ""))
    run = cli("render", src)
    assert run.exit_code == 0, run.stderr
    assert "condition: or (proc.name = awsagent)\n" in run.stdout


def test_same_entry_per_falco_version() -> None:
    expected = {
        "0.44.1": (
            "override:\n        exceptions: append",
            "- rule: Read sensitive file untrusted",
        ),
        "0.31.1": ("append: true", "- name: falco_exceptions_proc_name_fd_name"),
        "0.28.0": ("append: true", "- macro: user_known_read_sensitive_files_activities"),
        "0.29.1": ("append: true", "- macro: user_known_read_sensitive_files_activities"),
    }
    for version, fragments in expected.items():
        run = cli("render", EXAMPLE, "--falco-version", version)
        assert run.exit_code == 0, run.stderr
        for fragment in fragments:
            assert fragment in run.stdout, (version, run.stdout)


def test_output_file_is_written_atomically_with_its_mode_kept(tmp_path: Path) -> None:
    out = tmp_path / "exceptions.values.yaml"
    out.write_text("old\n")
    out.chmod(0o600)
    run = cli("render", EXAMPLE, "-o", out)
    assert run.exit_code == 0, run.stderr
    assert run.stdout == ""
    assert out.read_text().startswith("customRules:\n  falco-exceptions.yaml: |-\n")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_output_is_deterministic() -> None:
    first = run_entry_point("render", EXAMPLE).stdout
    assert first == cli("render", EXAMPLE).stdout


def test_rules_filename_changes_the_key_and_is_checked() -> None:
    run = cli("render", EXAMPLE, "--rules-filename", "zz-exceptions.yaml")
    assert "  zz-exceptions.yaml: |-\n" in run.stdout
    bad = cli("render", EXAMPLE, "--rules-filename", "../evil.yml")
    assert bad.exit_code == 2
    assert "must be a plain file name ending in .yaml" in bad.stderr


def test_default_file_is_exceptions_yaml_in_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / "exceptions.yaml").write_text(EXAMPLE.read_text())
    run = run_entry_point("render", cwd=tmp_path)
    assert run.exit_code == 0, run.stderr
    assert "user_known_read_sensitive_files_activities" in run.stdout


def test_no_version_uses_the_newest_with_a_note(tmp_path: Path) -> None:
    src = tmp_path / "exceptions.yaml"
    src.write_text(
        EXAMPLE.read_text().replace("falco:\n  version: 0.26.2          # falco chart 1.5.7\n", "")
    )
    run = cli("render", src)
    assert run.exit_code == 0
    assert "note: no Falco version given" in run.stderr
    assert "for Falco 0.44.1" in run.stdout


def test_misspelled_rule_exits_1_with_position_and_did_you_mean(tmp_path: Path) -> None:
    src = tmp_path / "exceptions.yaml"
    src.write_text(
        EXAMPLE.read_text().replace("Read sensitive file untrusted", "Read sensitive file untrustd")
    )
    run = run_entry_point("render", "exceptions.yaml", cwd=tmp_path)
    assert run.exit_code == 1
    assert run.stdout == ""
    assert (
        "exceptions.yaml:6:11: error[FE201]: rule 'Read sensitive file untrustd' does not exist in "
        "falco-0.26.2; did you mean 'Read sensitive file untrusted'?" in run.stderr
    )
    assert "Traceback" not in run.stderr


def test_unknown_ruleset_is_a_usage_error() -> None:
    run = cli("render", EXAMPLE, "--rules-version", "falco-rules-9.9.9")
    assert run.exit_code == 2
    assert "unknown ruleset 'falco-rules-9.9.9'; bundled rulesets: falco-0.26.2" in run.stderr


def test_python_dash_m_works() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "falco_exceptions", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("falco-exceptions ")


def test_render_keeps_infos_for_the_review_and_shows_warnings() -> None:
    run = cli("render", EXAMPLE)
    assert run.exit_code == 0
    assert run.stderr == ""  # FE207 (info) is validate's business
    assert "info[FE207]" in cli("validate", EXAMPLE, "--today", "2026-01-01").stdout


NARROW = """\
apiVersion: falco-exceptions/v1
exceptions:
  - rule: Read sensitive file untrusted
    proc.name: python3
    container.image.repository: registry.example.com/monitoring/node-probe
    k8s.ns.name: monitoring
    fd.name: {startswith: /etc/pam.d/}
    justification: The node probe in the monitoring namespace reports the login policy.
"""


def test_one_entry_narrowed_by_workload_and_prefix_in_every_generation(tmp_path: Path) -> None:
    src = tmp_path / "exceptions.yaml"
    src.write_text(NARROW)
    image = "registry.example.com/monitoring/node-probe"
    test = (
        f"proc.name = python3 and container.image.repository = {image} and "
        "k8s.ns.name = monitoring and fd.name startswith /etc/pam.d/"
    )
    bare = ["python3", image, "monitoring", "/etc/pam.d/"]  # the Lua era keeps plain words bare
    quoted = [f'"{v}"' for v in bare]
    for version, row in (("0.31.1", bare), ("0.35.1", quoted), ("0.44.1", quoted)):
        item = _only_item(src, version)
        assert item["exceptions"] == [
            {
                "name": "falco_exceptions_proc_name_container_image_repository_k8s_ns_name"
                "_fd_name_startswith",
                "fields": ["proc.name", "container.image.repository", "k8s.ns.name", "fd.name"],
                "comps": ["=", "=", "=", "startswith"],
                "values": [row],
            }
        ]
        assert ("override" in item) == (version == "0.44.1")
    assert _only_item(src, "0.26.2") == {
        "macro": "user_known_read_sensitive_files_activities",
        "condition": f"or ({test})",
        "append": True,
    }


def _only_item(src: Path, version: str) -> dict[str, Any]:
    run = run_entry_point("render", src, "--falco-version", version)
    assert run.exit_code == 0, run.stderr
    rules = YAML(typ="safe").load(run.stdout)["customRules"]["falco-exceptions.yaml"]
    (item,) = YAML(typ="safe").load(rules)
    assert isinstance(item, dict)
    return item
