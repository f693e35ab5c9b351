"""Review cases as files: `cases/review/*.yaml` state their arguments, expected output lines
and exit code in `# args:` / `# expect:` / `# exit:` header comments, like `cases/negative`.
They run `validate` with `--today 2026-03-01`; policy files live in `cases/review/policies/`.
Policy findings never stop `render`: a date passing must not break a deployment."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import cli

REVIEW = Path(__file__).parent / "cases" / "review"
CASES = sorted(REVIEW.glob("*.yaml"))
TODAY = "2026-03-01"


def _header(path: Path, key: str) -> list[str]:
    prefix = f"# {key}: "
    return [
        line[len(prefix) :] for line in path.read_text().splitlines() if line.startswith(prefix)
    ]


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_review_case(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REVIEW)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    args = (_header(case, "args") or [""])[0].split()
    run = cli("validate", "--today", TODAY, *args, case.name)
    assert run.exit_code == int(_header(case, "exit")[0]), run.stdout + run.stderr
    for expected in _header(case, "expect"):
        assert expected in run.stdout.splitlines(), run.stdout
    assert "Traceback" not in run.stdout + run.stderr


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_render_ignores_the_review(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REVIEW)
    run = cli("render", case.name)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.startswith("customRules:\n")
