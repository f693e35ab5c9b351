"""GitHub workflow commands, escaping, and the automatic choice under GitHub Actions."""

from __future__ import annotations

from pathlib import Path

import pytest

from falco_exceptions.diagnostics import Position, error, info, warning
from falco_exceptions.reporters import github
from tests.conftest import REPO, cli, run_entry_point

EXAMPLE = REPO / "examples" / "exceptions.yaml"


def test_one_command_per_diagnostic_then_the_summary(tmp_path: Path) -> None:
    at = Position("exceptions.yaml", 12, 14)
    out = github.report(
        [
            error(at, "FE301", "expired on 2026-02-01"),
            warning(at, "FE302", "soon"),
            info(Position("exceptions.yaml"), "FE207", "shared"),
        ],
        base=tmp_path,
    )
    assert out.splitlines() == [
        "::error file=exceptions.yaml,line=12,col=14,title=FE301::expired on 2026-02-01",
        "::warning file=exceptions.yaml,line=12,col=14,title=FE302::soon",
        "::notice file=exceptions.yaml,title=FE207::shared",
        "1 error(s), 1 warning(s), 1 info",
    ]


def test_data_and_properties_are_escaped_as_github_requires(tmp_path: Path) -> None:
    at = Position("dir,x/a:b%.yaml", 1, 1)
    line = github.command(error(at, "FE101", "100% bad\r\nnext: line, yes"), tmp_path)
    assert line == (
        "::error file=dir%2Cx/a%3Ab%25.yaml,line=1,col=1,title=FE101::100%25 bad%0D%0Anext: "
        "line, yes"
    )


def test_absolute_paths_under_the_checkout_become_relative(tmp_path: Path) -> None:
    inside = tmp_path / "deploy" / "exceptions.yaml"
    line = github.command(error(Position(str(inside), 3, 5), "FE201", "x"), tmp_path)
    assert line.startswith("::error file=deploy/exceptions.yaml,line=3,col=5,")


def test_chosen_automatically_under_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    run = cli("validate", EXAMPLE, "--today", "2026-01-01")
    assert run.stdout.startswith("::notice file=")
    assert cli("validate", EXAMPLE, "--today", "2026-01-01", "--format", "text").stdout.startswith(
        "examples/exceptions.yaml:6:11: "
    )
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert cli("validate", EXAMPLE, "--today", "2026-01-01").stdout.startswith(
        "examples/exceptions.yaml:6:11: "
    )


def test_real_entry_point_with_github_format(tmp_path: Path) -> None:
    (tmp_path / "exceptions.yaml").write_text(EXAMPLE.read_text())
    run = run_entry_point("validate", "--format", "github", "--today", "2027-07-01", cwd=tmp_path)
    assert run.exit_code == 1
    assert run.stdout.splitlines()[1] == (
        "::error file=exceptions.yaml,line=12,col=14,title=FE301::expired on 2027-06-30 "
        "(1 day(s) ago): review it, then renew expires or delete the exception"
    )
