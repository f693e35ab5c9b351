"""The version of the exceptions files that a change is compared with (`report --base`).

`--base` is a file, when one by that name exists, or else a git revision (a branch, a tag,
`origin/main`, `HEAD~1`): each file is then read with `git show REV:./NAME` from its own
folder. A file that the revision does not have is new, so it has no base text.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from falco_exceptions.diagnostics import Diagnostic
from falco_exceptions.errors import ExitCode, FatalError
from falco_exceptions.yamlsource import read_text

Texts = list[tuple[str, str | Diagnostic]]  # (display name, text or the reading problem)


def base_texts(base: str, paths: Sequence[Path]) -> Texts:
    """The base version of `paths` (in order), as `document.load_texts` takes them."""
    as_file = Path(base)
    if as_file.is_file():
        return [(base, read_text(as_file, base))]
    texts: Texts = []
    verified: set[Path] = set()
    for path in paths:
        folder = path.resolve().parent
        if not folder.is_dir():
            continue
        if folder not in verified:
            _verify(base, folder)
            verified.add(folder)
        text = _git(["show", f"{base}:./{path.name}"], folder)
        if text is not None:
            texts.append((f"{base}:{path}", text))
    return texts


def _verify(revision: str, folder: Path) -> None:
    query = ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"]
    if revision.startswith("-") or _git(query, folder) is None:
        raise FatalError(
            f"--base {revision!r} is neither a file nor a git revision of the repository "
            f"at {folder}",
            ExitCode.USAGE,
        )


def _git(args: list[str], folder: Path) -> str | None:
    """git's output, or None when git says no."""
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=folder,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
            timeout=60,
        )
    except FileNotFoundError:
        raise FatalError(
            "--base REV needs git, which is not on PATH (or give --base FILE)"
        ) from None
    except subprocess.TimeoutExpired:
        raise FatalError(f"git {' '.join(args)} did not finish within 60 s") from None
    return proc.stdout if proc.returncode == 0 else None
