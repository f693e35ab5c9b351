"""Inputs of negative cases that cannot be committed as files (a case's `# input: KIND`
header): an empty file, UTF-16 text, 10 MB, a symlink loop, a directory, an unreadable
file. Each is made next to nothing else, under the case's own file name."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

ENTRY = """\
  - rule: Read sensitive file untrusted
    proc.name: agent-{0}
    justification: Agent number {0} reads its own state files on start.
"""
HEAD = "apiVersion: falco-exceptions/v1\nfalco:\n  version: 0.44.1\nexceptions:\n"
# Readable by no one, root included (procfs checks the mode bits for root too).
ROOT_UNREADABLE = Path("/proc/sys/vm/drop_caches")


def make(kind: str, case: Path, target: Path) -> None:
    if kind == "empty":
        target.write_bytes(b"")
    elif kind == "utf16":
        target.write_bytes(codecs.BOM_UTF16_LE + case.read_text().encode("utf-16-le"))
    elif kind == "ten-mb":
        entries, size, i = [HEAD], len(HEAD), 0
        while size <= 10 * 2**20:
            entries.append(ENTRY.format(i))
            size, i = size + len(entries[-1]), i + 1
        target.write_text("".join(entries))
    elif kind == "symlink-loop":
        target.symlink_to(target.name)
    elif kind == "directory":
        target.mkdir()
    elif kind == "unreadable":
        if os.geteuid() == 0:
            if not ROOT_UNREADABLE.exists():
                pytest.skip(f"running as root and {ROOT_UNREADABLE} is absent")
            target.symlink_to(ROOT_UNREADABLE)
        else:
            target.write_text(HEAD)
            target.chmod(0)
    else:
        raise AssertionError(f"{case.name}: unknown input kind {kind!r}")
