#!/usr/bin/env python3
"""Speed and memory figures for falco-exceptions (run: .venv/bin/python benchmarks/bench.py).

Prints, for the installed console script: wall time of `--version`, `versions`, `validate`
and `render` on the bundled example (median of N runs, each a fresh process, as on every
commit in pre-commit), and for a generated file of many entries: render time and peak
memory (max RSS of the child process). Figures only; no pass/fail thresholds here.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).parent / "falco-exceptions")
EXAMPLE = str(ROOT / "examples" / "exceptions.yaml")
RULES = [
    "Read sensitive file untrusted",
    "Run shell untrusted",
    "Launch Package Management Process in Container",
]


def timed(args: list[str], runs: int) -> tuple[float, int]:
    """Median wall seconds over `runs` fresh processes, and the largest child max RSS (KiB)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([CLI, *args], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def big_file(entries: int, folder: Path) -> str:
    lines = [
        "apiVersion: falco-exceptions/v1",
        "falco:",
        "  version: 0.44.1",
        "  rulesFiles: [falco_rules.yaml, falco-incubating_rules.yaml]",
        "exceptions:",
    ]
    for i in range(entries):
        lines += [
            f"  - rule: {RULES[i % len(RULES)]}",
            f"    proc.name: agent-{i}",
            f"    fd.name: [/var/lib/agent-{i}/a, /var/lib/agent-{i}/b]",
            f"    justification: Agent number {i} reads its own state files on start.",
        ]
    path = folder / f"exceptions-{entries}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--entries", type=int, default=2000)
    opts = parser.parse_args()
    print(f"{'command':44} {'median s':>9}")
    for args in (["--version"], ["versions"], ["validate", EXAMPLE], ["render", EXAMPLE]):
        seconds, _ = timed(args, opts.runs)
        label = " ".join(a if a != EXAMPLE else "examples/exceptions.yaml" for a in args)
        print(f"{label:44} {seconds:9.3f}")
    with tempfile.TemporaryDirectory() as tmp:
        path = big_file(opts.entries, Path(tmp))
        seconds, rss = timed(["render", path, "-o", str(Path(tmp) / "out.yaml")], 3)
        size = (Path(tmp) / "out.yaml").stat().st_size
        print(f"{f'render {opts.entries} entries ({size // 1024} KiB out)':44} {seconds:9.3f}")
        print(f"{'peak RSS of any child (MiB)':44} {rss / 1024:9.1f}")


if __name__ == "__main__":
    main()
