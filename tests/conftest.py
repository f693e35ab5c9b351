"""Shared test helpers: run the CLI through typer's runner and through the real entry point."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from falco_exceptions.cli import load_all

app = load_all()

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FALCO_RULES = SHARED / "falco-rules"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


def cli(*args: str | os.PathLike[str]) -> Run:
    """Run the app in-process (typer's runner), stdout and stderr kept apart."""
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def entry_point() -> str:
    script = Path(sys.executable).parent / "falco-exceptions"
    found = str(script) if script.exists() else shutil.which("falco-exceptions")
    assert found, "the falco-exceptions console script is not installed (run scripts/bootstrap)"
    return found


def run_entry_point(*args: str | os.PathLike[str], cwd: Path | None = None) -> Run:
    """Run the installed console script as a user would."""
    proc = subprocess.run(
        [entry_point(), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=120,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(autouse=True)
def _not_under_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """`validate` picks the github format under GitHub Actions; tests pin formats themselves."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def falco_rules() -> Path:
    if not FALCO_RULES.is_dir():
        pytest.skip(f"{FALCO_RULES} is absent")
    return FALCO_RULES
