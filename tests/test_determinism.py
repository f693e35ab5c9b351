"""The same inputs give the same bytes: across runs and across PYTHONHASHSEED values (set
and dict order, hashing), through the installed command, for every golden case (one per
Falco generation) and the outputs a reviewer or a pipeline compares."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, entry_point

GOLDEN = REPO / "tests" / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if (p / "args").is_file())
SEEDS = ("0", "4242", "random")  # 0: no hash randomisation
LAYERED = REPO / "tests" / "cases" / "layered"


def _run(args: list[str], cwd: Path, seed: str) -> bytes:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["PYTHONHASHSEED"] = seed
    proc = subprocess.run(
        [entry_point(), *args], cwd=cwd, env=env, capture_output=True, timeout=120, check=False
    )
    return proc.stdout + b"\0" + proc.stderr + b"\0" + str(proc.returncode).encode()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_render_is_the_same_bytes_for_every_hash_seed(case: Path) -> None:
    args = ["render", *(case / "args").read_text().split()]
    outputs = {seed: _run(args, case, seed) for seed in SEEDS}
    assert len(set(outputs.values())) == 1, {s: o[:200] for s, o in outputs.items()}
    assert outputs["0"].startswith((case / "expected.values.yaml").read_bytes())


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "base.yaml", "cluster-a.yaml", "--format", "json", "--today", "2026-01-01"],
        ["validate", "base.yaml", "cluster-a.yaml", "--format", "sarif", "--today", "2026-01-01"],
        ["report", "base.yaml", "cluster-a.yaml", "--base", "base.yaml", "--today", "2026-01-01"],
        ["render", "base.yaml", "cluster-a.yaml", "--falco-version", "0.26.2"],
    ],
    ids=["json", "sarif", "report", "render-layered"],
)
def test_review_outputs_are_the_same_bytes_for_every_hash_seed(args: list[str]) -> None:
    outputs = {seed: _run(args, LAYERED, seed) for seed in SEEDS}
    assert len(set(outputs.values())) == 1


def test_render_in_place_writes_the_same_bytes_twice(tmp_path: Path) -> None:
    (tmp_path / "exceptions.yaml").write_text((REPO / "examples" / "exceptions.yaml").read_text())
    written = []
    for seed in ("1", "2"):
        values = tmp_path / "values.yaml"
        values.write_text("image:\n  tag: x  # pinned\n")
        _run(["render", "exceptions.yaml", "--values", "values.yaml", "--in-place"], tmp_path, seed)
        written.append(values.read_bytes())
    assert written[0] == written[1] and b"customRules:" in written[0]
