"""`report`: Markdown for a pull request, against a git revision or a file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import cli, run_entry_point

BEFORE = """\
apiVersion: falco-exceptions/v1
falco:
  version: 0.26.2
exceptions:
  - rule: Read sensitive file untrusted
    proc.name: awsagent
    fd.name: /etc/pam.d/config-util
    justification: AWS Systems Manager agent reads PAM config during inventory.
    owner: platform-team
    ticket: SEC-1234
    expires: 2026-06-30
  - rule: Launch Package Management Process in Container
    proc.name: apt-get
    justification: The image build step installs packages in the builder container.
    owner: build-team
"""
AFTER = """\
apiVersion: falco-exceptions/v1
falco:
  version: 0.26.2
exceptions:
  - rule: Read sensitive file untrusted
    proc.name: awsagent
    fd.name: [/etc/pam.d/config-util, /etc/shadow]
    justification: AWS Systems Manager agent reads PAM config during inventory.
    owner: platform-team
    ticket: SEC-1234
    expires: 2026-03-10
  - rule: Write below etc
    proc.name: bash
    justification: Provisioning scripts write the node's resolver | config.
    owner: node-team
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    _git(tmp_path, "init", "-q")
    (tmp_path / "exceptions.yaml").write_text(BEFORE)
    _git(tmp_path, "add", "exceptions.yaml")
    _git(tmp_path, "commit", "-q", "-m", "base")
    (tmp_path / "exceptions.yaml").write_text(AFTER)
    return tmp_path


def test_report_against_a_git_revision(repo: Path) -> None:
    run = run_entry_point("report", "--base", "HEAD", "--today", "2026-03-01", cwd=repo)
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[:3] == [
        "<!-- falco-exceptions report -->",
        "### Falco exceptions: 2 exceptions in exceptions.yaml for Falco 0.26.2 (rules "
        "falco-0.26.2)",
        "",
    ]
    assert "#### Changes compared with HEAD" in lines
    assert "1 added, 1 changed, 1 removed." in lines
    changed = next(line for line in lines if line.startswith("| changed |"))
    assert "fd.name: /etc/pam.d/config-util → /etc/pam.d/config-util, /etc/shadow<br>" in changed
    assert "expires: 2026-06-30 → 2026-03-10" in changed
    assert "**warning** FE302: expires on 2026-03-10, in 9 day(s)" in changed
    added = next(line for line in lines if line.startswith("| added |"))
    assert "| Provisioning scripts write the node's resolver \\| config. |" in added
    assert "**warning** FE303: broad exception" in added
    removed = next(line for line in lines if line.startswith("| removed |"))
    assert removed.startswith(
        "| removed | HEAD:exceptions.yaml:12 | Launch Package Management Process in Container |"
    )
    assert "| hook macro user\\_known\\_read\\_sensitive\\_files\\_activities |" in run.stdout
    assert "<details><summary>Exceptions in effect (2)</summary>" in lines


def test_report_is_deterministic_and_the_same_through_the_runner(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run_entry_point("report", "--base", "HEAD", "--today", "2026-03-01", cwd=repo)
    monkeypatch.chdir(repo)
    second = cli("report", "--base", "HEAD", "--today", "2026-03-01")
    assert first.stdout == second.stdout


def test_report_against_a_file(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "old.yaml").write_text(BEFORE)
    monkeypatch.chdir(repo)
    run = cli("report", "exceptions.yaml", "--base", "old.yaml", "--today", "2026-03-01")
    assert run.exit_code == 0
    assert "#### Changes compared with old.yaml" in run.stdout
    assert "| removed | old.yaml:12 |" in run.stdout


def test_a_file_new_in_the_change_has_everything_added(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "cluster-a.exceptions.yaml").write_text(
        AFTER.replace("falco:\n  version: 0.26.2\n", "")
    )
    monkeypatch.chdir(repo)
    run = cli("report", "cluster-a.exceptions.yaml", "--base", "HEAD", "--today", "2026-03-01")
    assert run.exit_code == 0, run.stderr
    assert "2 added, 0 changed, 0 removed." in run.stdout


def test_without_base_there_is_no_change_section(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    run = cli("report", "--today", "2026-03-01")
    assert run.exit_code == 0
    assert "Changes compared" not in run.stdout
    assert "#### Exceptions in effect (2)" in run.stdout


def test_an_unknown_base_is_a_usage_error(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    run = cli("report", "--base", "no-such-branch")
    assert run.exit_code == 2
    assert run.stderr.startswith(
        "falco-exceptions: error: --base 'no-such-branch' is neither a file nor a git revision"
    )
    assert cli("report", "--base", "--upload-pack=evil").exit_code == 2


def test_a_falco_upgrade_is_shown_above_the_changes(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "exceptions.yaml").write_text(BEFORE.replace("version: 0.26.2", "version: 0.44.1"))
    monkeypatch.chdir(repo)
    run = cli("report", "--base", "HEAD", "--today", "2026-03-01")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    at = lines.index("The `falco:` settings changed, so every exception may render differently:")
    assert lines[at + 2] == "- falco.version: 0.26.2 → 0.44.1"
    assert "No exception was added, removed or changed." in lines


def test_a_broken_base_is_an_error_not_everything_added(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "old.yaml").write_text("apiVersion: falco-exceptions/v1\nexceptions: [\n")
    monkeypatch.chdir(repo)
    run = cli("report", "exceptions.yaml", "--base", "old.yaml", "--today", "2026-03-01")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "old.yaml:3:1: error[FE101]: YAML syntax error" in run.stderr
    assert "the base 'old.yaml' cannot be read as exceptions files; nothing compared" in run.stderr


def test_a_broken_file_still_gets_a_report(tmp_path: Path) -> None:
    (tmp_path / "exceptions.yaml").write_text("apiVersion: falco-exceptions/v1\nexceptions: [\n")
    run = run_entry_point("report", cwd=tmp_path)
    assert run.exit_code == 0
    assert "No exceptions are in effect." in run.stdout
    assert "- exceptions.yaml:3:1: **error** FE101: YAML syntax error" in run.stdout
    assert "Traceback" not in run.stderr
