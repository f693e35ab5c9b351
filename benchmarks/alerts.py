#!/usr/bin/env python3
"""Speed and memory of `suggest` on many alerts (run: .venv/bin/python benchmarks/alerts.py).

Generates N Falco JSON lines (Falco 0.44.1, falco-rules 5.1.0 outputs with output_fields)
and N text lines of the same alerts, then prints for each: the wall time of
`falco-exceptions suggest FILE --falco-version 0.44.1` (a fresh process, as a user runs
it), beside the floor of reading the same JSON lines with `json.loads` in a bare Python
process, measured in the same run; the ratio; and the peak memory (max RSS) of the
suggest process; CPU seconds (user + system) are given too, as they depend less on what
else the machine runs. Peak memory is also given for a tenth of the lines: it should not grow
with the number of lines. The alerts mix several rules, processes and files (a few
hundred distinct entries), with a unique time on every line. Figures only, no thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = str(Path(sys.executable).parent / "falco-exceptions")
FALCO = "0.44.1"
FLOOR = "import json, sys\nfor line in open(sys.argv[1], encoding='utf-8'):\n    json.loads(line)\n"

UNTRUSTED = "Sensitive file opened for reading by non-trusted program"
SHELL = "Shell spawned by untrusted binary"
TAIL = (
    "evt_type={evt} user=root user_uid=0 user_loginuid=-1 process={proc} "
    "proc_exepath=/usr/bin/{proc} parent={parent} command={cmd} terminal=0"
)
CONTAINER = " container_id={cid} container_name={cname}"  # the container plugin's suffix


def alert(i: int) -> tuple[str, dict[str, object]]:
    """One alert as a text line and as Falco's JSON object."""
    proc = f"agent-{i % 37}"
    path = f"/etc/agent-{i % 37}/secret-{i % 11}.conf"
    cid, cname = ("host", "host") if i % 3 else (f"{i % 500:012x}", f"app-{i % 50}")
    stamp = f"{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d}.{i:09d}"
    cmd = f"{proc} --collect --interval={i % 60}"
    fields: dict[str, object] = {
        "container.id": cid,
        "container.name": cname,
        "evt.type": "openat",
        "proc.cmdline": cmd,
        "proc.exepath": f"/usr/bin/{proc}",
        "proc.name": proc,
        "proc.pname": "systemd",
        "proc.tty": 0,
        "user.loginuid": -1,
        "user.name": "root",
        "user.uid": 0,
    }
    if i % 5:
        rule = "Read sensitive file untrusted"
        fields.update({"fd.name": path, "proc.aname[2]": "init", "proc.aname[3]": None})
        rest = TAIL.format(evt="openat", proc=proc, parent="systemd", cmd=cmd)
        output = (
            f"{stamp}: Warning {UNTRUSTED} | file={path} gparent=init ggparent=<NA> "
            f"gggparent=<NA> {rest}" + CONTAINER.format(cid=cid, cname=cname)
        )
    else:
        rule = "Run shell untrusted"
        fields.update({"proc.pcmdline": "systemd", "proc.aname[2]": "init"})
        rest = TAIL.format(evt="execve", proc=proc, parent="systemd", cmd=cmd)
        output = (
            f"{stamp}: Notice {SHELL} | parent_exe=systemd parent_exepath=/usr/lib/systemd/"
            f"systemd pcmdline=systemd gparent=init ggparent=<NA> aname[4]=<NA> aname[5]=<NA> "
            f"aname[6]=<NA> aname[7]=<NA> {rest} exe_flags=EXE_WRITABLE"
            + CONTAINER.format(cid=cid, cname=cname)
        )
    return output, {
        "hostname": "ip-10-0-1-23",
        "output": output,
        "priority": "Warning",
        "rule": rule,
        "source": "syscall",
        "tags": ["filesystem", "host", "maturity_stable"],
        "time": f"2025-11-20T{stamp}Z",
        "output_fields": fields,
    }


def write_inputs(count: int, folder: Path) -> tuple[Path, Path]:
    text_path, json_path = folder / f"alerts-{count}.txt", folder / f"alerts-{count}.jsonl"
    with text_path.open("w") as text, json_path.open("w") as jsonl:
        for i in range(count):
            line, obj = alert(i)
            text.write(line + "\n")
            jsonl.write(json.dumps(obj) + "\n")
    return text_path, json_path


def run(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{stderr}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def median_run(args: list[str], runs: int) -> tuple[float, float, float]:
    results = [run(args) for _ in range(runs)]
    return (
        statistics.median(r[0] for r in results),
        statistics.median(r[1] for r in results),
        max(r[2] for r in results),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        text_path, json_path = write_inputs(opts.lines, folder)
        small_text, small_json = write_inputs(opts.lines // 10, folder)
        floor, floor_cpu, floor_rss = median_run(
            [sys.executable, "-c", FLOOR, str(json_path)], opts.runs
        )
        print(f"{opts.lines} alerts per input, Falco {FALCO}, median of {opts.runs} runs")
        print(
            f"{'input':28} {'suggest s':>10} {'floor s':>9} {'ratio':>7} "
            f"{'cpu s':>7} {'floor cpu':>9} {'ratio':>7} {'peak MiB':>9}"
        )
        print(
            f"{'json.loads floor (bare)':28} {'':>10} {floor:9.3f} {'':>7} {'':>7} "
            f"{floor_cpu:9.3f} {'':>7} {floor_rss:9.1f}"
        )
        for label, path, small in (
            ("Falco JSON lines", json_path, small_json),
            ("Falco text lines", text_path, small_text),
        ):
            out = str(folder / "out.yaml")
            args = [CLI, "suggest", str(path), "--falco-version", FALCO, "-o", out]
            seconds, cpu, rss = median_run(args, opts.runs)
            _, _, small_rss = median_run([*args[:2], str(small), *args[3:]], 1)
            print(
                f"{label:28} {seconds:10.3f} {floor:9.3f} {seconds / floor:7.2f} "
                f"{cpu:7.3f} {floor_cpu:9.3f} {cpu / floor_cpu:7.2f} {rss:9.1f}"
            )
            blank = f"{'':>10} {'':>9} {'':>7} {'':>7} {'':>9} {'':>7}"
            print(f"{'  same, a tenth of the lines':28} {blank} {small_rss:9.1f}")


if __name__ == "__main__":
    main()
