#!/usr/bin/env python3
"""Speed and memory goals of falco-exceptions, side by side with check-jsonschema.

Run: .venv/bin/python benchmarks/bench.py   (about two minutes on two cores)

check-jsonschema validates a YAML file against a JSON schema and nothing else, so it is the
floor a tool that also checks rules and renders should stay near. The script installs it
into its own virtualenv (.cache/bench-venv, from the package index, once) and measures
both tools in one run, on the same machine and the same files: the bundled example and
generated files of 1,000 and 10,000 entries. Every figure is the median of fresh
processes (as in pre-commit, each commit starts the tool anew), after one untimed run
that leaves Python's bytecode cache behind (as `pip install` does; the environment's
PYTHONDONTWRITEBYTECODE is dropped for the children). Wall time is what a user waits;
CPU time (user + system) is steadier on a machine shared with other work. Peak memory
is the child's own maximum resident set. It prints figures and their goals; it never
fails on them (speed is not a test).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).parent / "falco-exceptions")
SCHEMA = str(ROOT / "schemas" / "exceptions.schema.json")
EXAMPLE = str(ROOT / "examples" / "exceptions.yaml")
PEER_VENV = ROOT / ".cache" / "bench-venv"
PEER = str(PEER_VENV / "bin" / "check-jsonschema")
RULES = [
    "Read sensitive file untrusted",
    "Run shell untrusted",
    "Launch Package Management Process in Container",
]


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass
class Measure:
    seconds: float  # median wall time
    cpu: float  # median user + system time
    max_rss_kib: int  # the largest child's own peak RSS
    exit_codes: set[int]


def run(args: list[str], runs: int) -> Measure:
    return runs_of([args], runs)[0]


def runs_of(commands: list[list[str]], runs: int) -> list[Measure]:
    """Each command `runs` times, taking turns (a b a b ...), so that both sides of a
    ratio meet the same load on a shared machine."""
    for args in commands:  # bytecode cache, as after `pip install`
        subprocess.run(args, capture_output=True, env=ENV, check=False)
    times: list[list[float]] = [[] for _ in commands]
    cpus: list[list[float]] = [[] for _ in commands]
    rss = [0] * len(commands)
    codes: list[set[int]] = [set() for _ in commands]
    for _ in range(runs):
        for i, args in enumerate(commands):
            start = time.perf_counter()
            proc = subprocess.Popen(
                args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV
            )
            _, status, usage = os.wait4(proc.pid, 0)
            times[i].append(time.perf_counter() - start)
            cpus[i].append(usage.ru_utime + usage.ru_stime)
            proc.returncode = os.waitstatus_to_exitcode(status)
            rss[i] = max(rss[i], usage.ru_maxrss)
            codes[i].add(proc.returncode)
    return [
        Measure(statistics.median(t), statistics.median(c), r, e)
        for t, c, r, e in zip(times, cpus, rss, codes, strict=True)
    ]


def ensure_peer() -> None:
    if Path(PEER).exists():
        return
    print(f"installing check-jsonschema into {PEER_VENV} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    pip = [str(PEER_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "check-jsonschema"], check=True)


def peer_version() -> str:
    out = subprocess.run([PEER, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.strip() or out.stderr.strip()


def big_file(entries: int, folder: Path) -> str:
    lines = [
        "apiVersion: falco-exceptions/v1",
        "falco:",
        "  version: 0.44.1",
        "  rulesFiles: [falco_rules.yaml, falco-incubating_rules.yaml]",
        "exceptions:",
    ]
    for i in range(entries):
        rule = RULES[i % len(RULES)]
        # file rules narrow by file; spawn rules (no file descriptor) by the image
        narrow = (
            f"    fd.name: [/var/lib/agent-{i}/a, /var/lib/agent-{i}/b]"
            if rule == RULES[0]
            else f"    container.image.repository: [registry.example/agent-{i}, mirror/agent-{i}]\n"
            "    k8s.ns.name: agents"
        )
        lines += [
            f"  - rule: {rule}",
            f"    proc.name: agent-{i}",
            narrow,
            f"    justification: Agent number {i} reads its own state files on start.",
            "    owner: platform-team",
            f"    expires: 2027-{1 + i % 12:02d}-{1 + i % 28:02d}",
        ]
    path = folder / f"exceptions-{entries}.yaml"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each small command")
    parser.add_argument("--big-runs", type=int, default=3, help="runs of each 10,000-entry one")
    opts = parser.parse_args()
    ensure_peer()
    cj = [PEER, "--schemafile", SCHEMA]
    n, big = opts.runs, opts.big_runs
    with tempfile.TemporaryDirectory() as tmp:
        k1, k10 = big_file(1_000, Path(tmp)), big_file(10_000, Path(tmp))
        out = str(Path(tmp) / "out.yaml")
        m: dict[str, Measure] = {}
        m["pass"], m["version"] = runs_of([[sys.executable, "-c", "pass"], [CLI, "--version"]], n)
        m["help"], m["cj help"] = runs_of([[CLI, "--help"], [PEER, "--help"]], n)
        m["render ex"], m["cj ex"] = runs_of([[CLI, "render", EXAMPLE], [*cj, EXAMPLE]], n)
        m["render 1k"] = run([CLI, "render", k1, "-o", out], n)
        m["render 10k"], m["validate 10k"], m["cj 10k"] = runs_of(
            [[CLI, "render", k10, "-o", out], [CLI, "validate", k10], [*cj, k10]], big
        )
    rows = [
        ("`render` of the example / check-jsonschema on it", "render ex", "cj ex", "<= 0.5"),
        ("`--help` / `check-jsonschema --help`", "help", "cj help", "<= 0.5"),
        ("`render` of 10,000 entries / check-jsonschema on it", "render 10k", "cj 10k", "<= 0.15"),
        ("`render` 10,000 / `render` 1,000", "render 10k", "render 1k", "<= 12 (linear)"),
        ("`validate` of 10,000 entries / check-jsonschema", "validate 10k", "cj 10k", "<= 0.2"),
        ("`--version` / `python -c pass`", "version", "pass", "(start-up)"),
    ]
    print(f"falco-exceptions vs {peer_version()}; Python {sys.version.split()[0]}; {n} runs")
    print()
    print(
        "| figure | falco-exceptions s | other s | ratio | CPU s | other CPU s | CPU ratio | goal |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, mine, other, goal in rows:
        a, b = m[mine], m[other]
        print(
            f"| {label} | {a.seconds:.3f} | {b.seconds:.3f} | {a.seconds / b.seconds:.2f} "
            f"| {a.cpu:.3f} | {b.cpu:.3f} | {a.cpu / b.cpu:.2f} | {goal} |"
        )
    rss = m["render 10k"].max_rss_kib / 1024
    print(f"| peak memory, `render` of 10,000 entries | {rss:.0f} MiB | | | | | | < 150 MB |")
    odd = {k: sorted(v.exit_codes) for k, v in m.items() if v.exit_codes - {0}}
    if odd:
        print(f"\nnon-zero exit codes: {odd}")


if __name__ == "__main__":
    main()
