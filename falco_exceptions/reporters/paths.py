"""File names as a repository sees them: relative to the working directory when possible."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import quote


def relative(file: str, base: Path) -> str:
    """`file` relative to `base` (the checkout) when it lies under it, with / separators."""
    path = Path(file)
    if path.is_absolute():
        try:
            path = path.resolve().relative_to(base.resolve())
        except ValueError:
            return path.as_posix()
    return PurePosixPath(path.as_posix()).as_posix()


def uri(file: str, base: Path) -> str:
    """A relative URI reference for SARIF (`file://` only for files outside `base`)."""
    path = relative(file, base)
    if path.startswith("/"):
        return Path(path).as_uri()
    return quote(path, safe="/")
