"""Cases as files: every `cases/negative/*.yaml` states its expected diagnostics and exit
code in `# expect:` / `# exit:` header comments; every `cases/positive/*.yaml` must validate
and render cleanly. Adding a case needs no code.

A case whose input cannot be a committed file (empty, UTF-16, 10 MB, a symlink loop, a
directory, unreadable) says `# input: KIND`: the input is made at test time under the
case's name (see `case_inputs`) and run through the installed console script."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import case_inputs
from tests.conftest import cli, run_entry_point

CASES = Path(__file__).parent / "cases"
POSITIVE = sorted((CASES / "positive").glob("*.yaml"))


def _header(path: Path, key: str) -> list[str]:
    prefix = f"# {key}: "
    text = path.read_bytes().decode("utf-8", "replace")  # a case may hold invalid UTF-8
    return [line[len(prefix) :] for line in text.splitlines() if line.startswith(prefix)]


ALL_NEGATIVE = sorted((CASES / "negative").glob("*.yaml"))
NEGATIVE = [p for p in ALL_NEGATIVE if not _header(p, "input")]
MADE = [p for p in ALL_NEGATIVE if _header(p, "input")]


@pytest.mark.parametrize("case", NEGATIVE, ids=[p.stem for p in NEGATIVE])
def test_negative(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case.parent)
    args = (_header(case, "args") or [case.name])[0].split()
    if not any(a.endswith(".yaml") and not a.startswith("-") and "rules" not in a for a in args):
        args.append(case.name)
    run = cli("validate", *args)
    assert run.exit_code == int(_header(case, "exit")[0]), run.stdout + run.stderr
    for expected in _header(case, "expect"):
        assert expected in run.stdout.splitlines(), run.stdout
    for expected in _header(case, "expect-stderr"):
        assert expected in run.stderr.splitlines(), run.stderr
    assert "Traceback" not in run.stdout + run.stderr


@pytest.mark.parametrize("case", NEGATIVE, ids=[p.stem for p in NEGATIVE])
def test_negative_render_writes_nothing(
    case: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if _header(case, "exit") == ["0"]:
        pytest.skip("warnings only: render goes ahead")
    monkeypatch.chdir(case.parent)
    args = (_header(case, "args") or [case.name])[0].split()
    if case.name not in args and not any(a.startswith("does-not") for a in args):
        args.append(case.name)
    out = tmp_path / "values.yaml"
    run = cli("render", *args, "-o", out)
    assert run.exit_code != 0
    assert not out.exists()
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("case", MADE, ids=[p.stem for p in MADE])
def test_negative_input_made_at_test_time(case: Path, tmp_path: Path) -> None:
    case_inputs.make(_header(case, "input")[0], case, tmp_path / case.name)
    run = run_entry_point("validate", case.name, cwd=tmp_path)
    assert run.exit_code == int(_header(case, "exit")[0]), run.stdout + run.stderr
    for expected in _header(case, "expect"):
        assert expected in run.stdout.splitlines(), run.stdout
    out = tmp_path / "out.yaml"
    rendered = run_entry_point("render", case.name, "-o", out, cwd=tmp_path)
    assert rendered.exit_code != 0
    assert not out.exists()
    assert "Traceback" not in run.stdout + run.stderr + rendered.stderr


@pytest.mark.parametrize("case", POSITIVE, ids=[p.stem for p in POSITIVE])
def test_positive(case: Path) -> None:
    validated = cli("validate", case, "--falco-version", "0.44.1")
    assert validated.exit_code == 0, validated.stdout
    rendered = cli("render", case)
    assert rendered.exit_code == 0, rendered.stderr
    assert rendered.stdout.startswith("customRules:\n")
