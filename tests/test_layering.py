"""Layered files: ids, `remove:`, and the conflicts between layers."""

from __future__ import annotations

from pathlib import Path

import pytest

from falco_exceptions import document
from tests.conftest import cli, run_entry_point

LAYERED = Path(__file__).parent / "cases" / "layered"
BASE, CLUSTER_A = LAYERED / "base.yaml", LAYERED / "cluster-a.yaml"
HEAD = "apiVersion: falco-exceptions/v1\n"


@pytest.fixture(autouse=True)
def _text_format_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under GitHub Actions validate prints workflow commands; these tests read text."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def _entry(ident: str, proc: str = "awsagent") -> str:
    return (
        f"  - id: {ident}\n    rule: Read sensitive file untrusted\n    proc.name: {proc}\n"
        "    justification: AWS Systems Manager agent reads PAM config during inventory.\n"
    )


def _load(*texts: str) -> tuple[document.Document, list[str]]:
    doc, problems = document.load_texts([(f"f{i}.yaml", t) for i, t in enumerate(texts)])
    return doc, [str(p) for p in problems]


def test_an_overlay_removes_and_redefines_entries_of_the_base() -> None:
    doc, problems = document.load([BASE, CLUSTER_A], ["base.yaml", "cluster-a.yaml"])
    assert problems == []
    assert [(e.id, e.values("fd.name"), e.position.file) for e in doc.entries] == [
        ("awsagent-pam", ("/etc/pam.d/config-util", "/etc/shadow"), "cluster-a.yaml")
    ]
    assert [(r.id, str(r.position), str(r.entry.position)) for r in doc.removed] == [
        ("backup-shadow", "cluster-a.yaml:4:5", "base.yaml:12:5"),
        ("awsagent-pam", "cluster-a.yaml:5:5", "base.yaml:6:5"),
    ]
    assert doc.falco.version == "0.44.1"  # from the base


def test_render_uses_the_layers_in_order() -> None:
    run = run_entry_point("render", BASE, CLUSTER_A)
    assert run.exit_code == 0, run.stderr
    assert "restic" not in run.stdout
    assert """comps: ['=', in]""" in run.stdout
    assert """- ['"awsagent"', ['"/etc/pam.d/config-util"', '"/etc/shadow"']]""" in run.stdout
    assert cli("validate", BASE, CLUSTER_A, "--today", "2026-03-01").exit_code == 0


def test_the_overlay_alone_cannot_remove_what_it_does_not_see() -> None:
    run = cli("validate", CLUSTER_A)
    assert run.exit_code == 1
    assert "error[FE109]: remove names id 'backup-shadow', which no earlier file defines" in (
        run.stdout
    )


def test_a_removed_id_cannot_be_removed_again() -> None:
    _, problems = _load(
        HEAD + "exceptions:\n" + _entry("a"),
        HEAD + "remove: [a]\nexceptions: []\n",
        HEAD + "remove: [a]\nexceptions: []\n",
    )
    assert problems == [
        "f2.yaml:2:10: error[FE109]: remove names id 'a', whose entry at f0.yaml:3:9 was "
        "already removed at f1.yaml:2:10"
    ]


def test_removing_an_id_of_a_later_file_says_to_reorder() -> None:
    _, problems = _load(
        HEAD + "remove: [a]\nexceptions: []\n", HEAD + "exceptions:\n" + _entry("a")
    )
    assert problems == [
        "f0.yaml:2:10: error[FE109]: remove names id 'a', which a later file defines at "
        "f1.yaml:3:9; a file can only remove entries of files given before it on the command line"
    ]


def test_a_redefinition_must_itself_be_removed_before_the_next_one() -> None:
    doc, problems = _load(
        HEAD + "exceptions:\n" + _entry("a"),
        HEAD + "remove: [a]\nexceptions:\n" + _entry("a", "ssm-agent"),
        HEAD + "exceptions:\n" + _entry("a", "inventory"),
    )
    assert problems == [
        "f2.yaml:3:9: error[FE108]: id 'a' is already used by the entry at f1.yaml:4:9; to "
        "redefine it, add 'a' to `remove:` in f2.yaml; otherwise give this entry another id"
    ]
    assert [e.values("proc.name") for e in doc.entries] == [("ssm-agent",), ("inventory",)]


def test_an_identical_redefinition_is_no_duplicate() -> None:
    doc, problems = _load(
        HEAD + "exceptions:\n" + _entry("a"), HEAD + "remove: [a]\nexceptions:\n" + _entry("a")
    )
    assert problems == []
    assert [e.position.file for e in doc.entries] == ["f1.yaml"]


def test_entries_without_ids_simply_add_up() -> None:
    doc, problems = _load(
        HEAD + "exceptions:\n" + _entry("a").replace("  - id: a\n    ", "  - "),
        HEAD + "exceptions:\n" + _entry("b", "ssm-agent"),
    )
    assert problems == []
    assert [e.id for e in doc.entries] == [None, "b"]


def test_the_report_lists_what_later_files_removed() -> None:
    run = cli("report", BASE, CLUSTER_A, "--today", "2026-03-01")
    assert run.exit_code == 0, run.stderr
    assert "#### Removed by a later file" in run.stdout
    assert (
        "| backup-shadow | Read sensitive file untrusted | proc.name: restic<br>fd.name: "
        "/etc/shadow | " in run.stdout
    )
