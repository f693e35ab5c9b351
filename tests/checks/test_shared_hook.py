"""FE207: said once per hook macro, naming every entry that goes into it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import cli

HEAD = "apiVersion: falco-exceptions/v1\nfalco:\n  version: 0.26.2\nexceptions:\n"


def _entry(rule: str, proc: str, path: str) -> str:
    return (
        f"  - rule: {rule}\n    proc.name: {proc}\n    fd.name: {path}\n"
        f"    justification: {proc} reads {path} as part of its documented job.\n"
    )


def _infos(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "exceptions.yaml"
    path.write_text(HEAD + body)
    run = cli("validate", path)
    assert run.exit_code == 0, run.stdout
    return [line.replace(f"{tmp_path}/", "") for line in run.stdout.splitlines() if "FE207" in line]


def test_one_entry_names_the_other_rules(tmp_path: Path) -> None:
    infos = _infos(tmp_path, _entry("Read sensitive file untrusted", "awsagent", "/etc/pam.d/x"))
    assert infos == [
        "exceptions.yaml:5:11: info[FE207]: on Falco 0.26.2 this goes into hook macro "
        "user_known_read_sensitive_files_activities, which also excepts it from "
        "'Read sensitive file trusted after startup'"
    ]


def test_several_entries_in_one_hook_are_said_once(tmp_path: Path) -> None:
    body = (
        _entry("Read sensitive file untrusted", "awsagent", "/etc/pam.d/x")
        + _entry("Read sensitive file untrusted", "restic", "/etc/shadow")
        + _entry("Read sensitive file trusted after startup", "sshd", "/etc/shadow")
        + _entry("Write below etc", "confd", "/etc/app.conf")
    )
    infos = _infos(tmp_path, body)
    assert infos[0] == (
        "exceptions.yaml:5:11: info[FE207]: on Falco 0.26.2 the 3 entries at "
        "exceptions.yaml:5:11, exceptions.yaml:9:11, exceptions.yaml:13:11 go into hook macro "
        "user_known_read_sensitive_files_activities, so each is excepted from every rule that "
        "uses it: 'Read sensitive file untrusted', 'Read sensitive file trusted after startup'"
    )
    assert len(infos) == len({i.split("hook macro ")[1].split(",")[0] for i in infos})


def test_a_hook_that_serves_one_rule_says_nothing(tmp_path: Path) -> None:
    body = _entry("Read sensitive file untrusted", "awsagent", "/etc/pam.d/x")  # a rule exception
    path = tmp_path / "exceptions.yaml"
    path.write_text(HEAD.replace("0.26.2", "0.44.1") + body)
    assert "FE207" not in cli("validate", path).stdout
