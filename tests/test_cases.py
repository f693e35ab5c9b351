"""Cases as files: every `cases/negative/*.yaml` states its expected diagnostics and exit
code in header comments; every `cases/positive/*.yaml` must validate and render cleanly.
Adding a case needs no code.

Headers of a negative case (each optional but `exit`):

- `# command: render` runs `render` instead of `validate`;
- `# args: ...` the command's arguments, relative to the case's folder (the case file is
  appended unless the arguments name an exceptions file); render targets (`-o`) and values
  files (`--values`, kept under `negative/values/`) go here;
- `# expect: LINE` a line of stdout, `# expect-stderr: LINE` a line of stderr;
- `# exit: N`;
- `# input: KIND` for an input that cannot be a committed file (empty, UTF-16, 10 MB, a
  symlink loop, a directory, unreadable): it is made at test time under the case's name
  (see `case_inputs`) and run through the installed console script.

Every other negative case runs in a copy of its folder, which must be byte for byte the
same afterwards (nothing created, changed or removed), and once more through the installed
console script with a memory limit and a time limit, which must end in its exit code
without a traceback.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import case_inputs
from tests.conftest import SHARED, cli, entry_point, run_entry_point

CASES = Path(__file__).parent / "cases"
POSITIVE = sorted((CASES / "positive").glob("*.yaml"))
MEMORY_LIMIT = 1 << 30  # bytes of address space for one run of a broken input
TIME_LIMIT = 60  # seconds


def _header(path: Path, key: str) -> list[str]:
    prefix = f"# {key}: "
    text = path.read_bytes().decode("utf-8", "replace")  # a case may hold invalid UTF-8
    return [line[len(prefix) :] for line in text.splitlines() if line.startswith(prefix)]


ALL_NEGATIVE = sorted((CASES / "negative").glob("*.yaml"))
NEGATIVE = [p for p in ALL_NEGATIVE if not _header(p, "input")]
MADE = [p for p in ALL_NEGATIVE if _header(p, "input")]


def _command(case: Path) -> list[str]:
    command = (_header(case, "command") or ["validate"])[0]
    args = (_header(case, "args") or [case.name])[0].split()
    names_exceptions = any(
        a.endswith(".yaml") and not a.startswith("-") and "rules" not in a and "values/" not in a
        for i, a in enumerate(args)
        if i == 0 or args[i - 1] not in ("-o", "--output", "--values")
    )
    if not names_exceptions:
        args.append(case.name)
    return [command, *args]


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes | str]]:
    found: dict[str, tuple[int, bytes | str]] = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        content: bytes | str = ""
        if path.is_symlink():
            content = os.readlink(path)
        elif path.is_file():
            content = path.read_bytes()
        found[str(path.relative_to(folder))] = (mode, content)
    return found


@pytest.fixture
def copy_of_cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The case folder copied to where its relative paths still lead: the golden rules
    beside it (`../../golden`) and `shared/` beside the checkout (`../../../../shared`)."""
    work = tmp_path / "repo" / "tests" / "cases" / "negative"
    shutil.copytree(CASES / "negative", work, symlinks=True)
    (tmp_path / "repo" / "tests" / "golden").symlink_to(CASES.parent / "golden")
    (tmp_path / "shared").symlink_to(SHARED)
    monkeypatch.chdir(work)
    return work


@pytest.mark.parametrize("case", NEGATIVE, ids=[p.stem for p in NEGATIVE])
def test_negative(case: Path, copy_of_cases: Path) -> None:
    before = _snapshot(copy_of_cases)
    run = cli(*_command(case))
    assert run.exit_code == int(_header(case, "exit")[0]), run.stdout + run.stderr
    for expected in _header(case, "expect"):
        assert expected in run.stdout.splitlines(), run.stdout
    for expected in _header(case, "expect-stderr"):
        assert expected in run.stderr.splitlines(), run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert _snapshot(copy_of_cases) == before, "the case created, changed or removed a file"


@pytest.mark.parametrize("case", NEGATIVE, ids=[p.stem for p in NEGATIVE])
def test_negative_render_writes_nothing(case: Path, copy_of_cases: Path, tmp_path: Path) -> None:
    if _header(case, "exit") == ["0"] or _header(case, "command"):
        pytest.skip("warnings only (render goes ahead), or a render case already")
    args = (_header(case, "args") or [case.name])[0].split()
    if case.name not in args and not any(a.startswith("does-not") for a in args):
        args.append(case.name)
    out = tmp_path / "values.yaml"
    run = cli("render", *args, "-o", out)
    assert run.exit_code != 0
    assert not out.exists()
    assert "Traceback" not in run.stderr


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.parametrize("case", NEGATIVE, ids=[p.stem for p in NEGATIVE])
def test_negative_is_bounded_through_the_entry_point(case: Path, copy_of_cases: Path) -> None:
    """The installed command, within 1 GiB of memory and a minute."""
    proc = subprocess.run(
        [entry_point(), *_command(case)],
        cwd=copy_of_cases,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limits,
        env={k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"},
        check=False,
    )
    expected = int(_header(case, "exit")[0])
    assert proc.returncode == expected, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_every_negative_case_fails_or_only_warns() -> None:
    exits = {case.name: _header(case, "exit") for case in NEGATIVE}
    assert {name: e for name, e in exits.items() if e not in (["0"], ["1"], ["2"])} == {}
    warnings_only = [n for n, e in exits.items() if e == ["0"]]
    for name in warnings_only:
        assert any("warning[" in line for line in _header(CASES / "negative" / name, "expect"))


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
