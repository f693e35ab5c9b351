"""Writes survive SIGKILL at any moment: a real `render --in-place` (and `-o`) process is
killed at random points, many times; the target must always hold exactly the old or the
new bytes, with its mode and owner.

FALCO_EXCEPTIONS_KILLS sets the number of kills per target kind (default 50). Half of
the kills land uniformly over a whole run, half near its end, where the write happens.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import REPO, entry_point

EXAMPLE = REPO / "examples" / "exceptions.yaml"
KILLS = int(os.environ.get("FALCO_EXCEPTIONS_KILLS", "50"))
OLD_VALUES = (
    "# our values\nimage:\n  tag: 0.26.2  # pinned\ncustomRules:\n  other.yaml: |-\n    []\n"
)


def _run(args: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    out = subprocess.DEVNULL
    return subprocess.Popen([entry_point(), *args], cwd=cwd, env=env, stdout=out, stderr=out)


def _owner_for_the_test() -> tuple[int, int]:
    """Another owner than ours when we may set one (root), else ours."""
    return (4321, 4322) if os.geteuid() == 0 else (os.getuid(), os.getgid())


@pytest.mark.parametrize("target", ["--in-place", "-o"])
def test_a_killed_render_leaves_the_old_or_the_new_file(tmp_path: Path, target: str) -> None:
    (tmp_path / "exceptions.yaml").write_text(EXAMPLE.read_text())
    values = tmp_path / "values.yaml"
    args = ["render", "exceptions.yaml", "--values", "values.yaml"]
    args += ["--in-place"] if target == "--in-place" else ["-o", "values.yaml"]
    uid, gid = _owner_for_the_test()

    def reset() -> None:
        values.write_text(OLD_VALUES)
        os.chown(values, uid, gid)
        os.chmod(values, 0o640)

    reset()
    start = time.monotonic()
    done = _run(args, tmp_path)
    assert done.wait(timeout=120) == 0
    duration = time.monotonic() - start
    new = values.read_bytes()
    assert new != OLD_VALUES.encode() and new.startswith(b"# our values\n")
    old = OLD_VALUES.encode()

    outcomes: Counter[str] = Counter()
    rng = random.Random(20261202)
    for i in range(KILLS):
        reset()
        proc = _run(args, tmp_path)
        late = i % 2 == 1
        time.sleep(rng.uniform(0.8, 1.2) * duration if late else rng.uniform(0, duration))
        proc.send_signal(signal.SIGKILL)
        code = proc.wait(timeout=120)
        content = values.read_bytes()
        assert content in (old, new), f"kill {i}: the target holds neither the old nor the new"
        stat = values.stat()
        assert (stat.st_mode & 0o7777, stat.st_uid, stat.st_gid) == (0o640, uid, gid)
        killed = code == -signal.SIGKILL
        outcomes["killed" if killed else "finished"] += 1
        outcomes["old bytes" if content == old else "new bytes"] += 1
        if killed and content == new:
            outcomes["killed after the rename"] += 1
        if late:  # the machine's load changes how long a run takes: aim at its end
            duration *= 1.05 if killed and content == old else 0.95 if not killed else 1.0
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert all(n.startswith(".values.yaml.") for n in leftovers), leftovers
    print(
        f"\n{target}: {KILLS} kills, run {duration:.2f}s: {dict(outcomes)}; "
        f"temporary files left by kills: {len(leftovers)}"
    )
    assert outcomes["old bytes"] and outcomes["new bytes"], outcomes  # both sides were hit
