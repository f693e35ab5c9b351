"""Rules text into falco chart values, and files written atomically."""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

from falco_exceptions.errors import FatalError

DEFAULT_RULES_FILENAME = "falco-exceptions.yaml"
_FILENAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.yaml$")


def check_rules_filename(name: str) -> str:
    """The chart mounts each customRules key as a file in /etc/falco/rules.d; Falco 0.41+
    reads only .yaml/.yml there, and the key must be a plain file name."""
    if not _FILENAME.match(name):
        raise FatalError(
            f"--rules-filename {name!r} must be a plain file name ending in .yaml "
            "(letters, digits, '.', '_' or '-'), e.g. falco-exceptions.yaml"
        )
    return name


def values_document(
    rules_text: str, filename: str, path: tuple[str, ...] = ("customRules",)
) -> str:
    """A values file holding only `path` -> {filename: rules_text} as a `|-` block."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import LiteralScalarString

    data: CommentedMap = CommentedMap({filename: LiteralScalarString(rules_text)})
    for key in reversed(path):
        data = CommentedMap({key: data})
    out = io.StringIO()
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.dump(data, out)
    return out.getvalue()


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same folder, keeping its mode."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else None
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise FatalError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, mode if mode is not None else 0o644 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise FatalError(f"cannot write {path}: {exc.strerror or exc}") from None


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
