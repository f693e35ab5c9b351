"""Rules text into falco chart values: a new document, an edited values file, a drift diff.

Files are written atomically; `values_edit` does the in-place edit of an existing file.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from falco_exceptions.diagnostics import Diagnostic, Position
from falco_exceptions.errors import ExitCode, FatalError

DEFAULT_RULES_FILENAME = "falco-exceptions.yaml"
DEFAULT_VALUES_PATH = ("customRules",)
_FILENAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.yaml$")
_PATH_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")


def check_rules_filename(name: str) -> str:
    """The chart mounts each customRules key as a file in /etc/falco/rules.d; Falco 0.41+
    reads only .yaml/.yml there, and the key must be a plain file name."""
    if not _FILENAME.match(name):
        raise FatalError(
            f"--rules-filename {name!r} must be a plain file name ending in .yaml "
            "(letters, digits, '.', '_' or '-'), e.g. falco-exceptions.yaml"
        )
    return name


def parse_values_path(text: str) -> tuple[str, ...]:
    """`falco.customRules` -> ("falco", "customRules"): where customRules sits in the values."""
    keys = tuple(text.split("."))
    if not all(_PATH_KEY.match(key) for key in keys):
        raise FatalError(
            f"--values-path {text!r} must be dotted keys of letters, digits, '_' or '-', "
            "e.g. customRules or falco.customRules"
        )
    return keys


@dataclass(frozen=True)
class ValuesFile:
    """An existing values file: its exact text and its data."""

    path: Path
    text: str
    data: Any


def load_values(path: Path) -> ValuesFile:
    """Read a values file; a missing file is a usage error, bad YAML a located one."""
    from falco_exceptions.values_edit import ValuesFileError
    from falco_exceptions.yamlsource import parse, read_text, to_plain

    display = str(path)
    text = read_text(path, display, newline="")  # the exact text: CRLF stays CRLF
    if isinstance(text, Diagnostic):
        if text.message == "file not found":
            raise FatalError(f"values file {display} not found", ExitCode.USAGE)
        raise ValuesFileError(text.position, text.message, text.code)
    root = parse(text, display)
    if isinstance(root, Diagnostic):
        raise ValuesFileError(root.position, root.message, root.code)
    if root is not None and not isinstance(root, dict):
        kind = "a list" if isinstance(root, list) else "a scalar"
        raise ValuesFileError(
            Position(display, 1, 1), f"the values file must be a mapping, but it is {kind}"
        )
    return ValuesFile(path, text, to_plain(root) if root is not None else {})


def update_values(
    values: ValuesFile, rules_text: str, filename: str, path: tuple[str, ...] = DEFAULT_VALUES_PATH
) -> str:
    """The values file's text with `<path>.<filename>` set to the rules, nothing else changed."""
    from falco_exceptions.values_edit import set_rules

    return set_rules(values.text, str(values.path), rules_text, filename, path)


def read_current(path: Path) -> str | None:
    """The exact text (line breaks as they are) of a file `--check` compares with; None when
    there is no such file."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise FatalError(f"{path} is a directory; give the file to compare") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FatalError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None


def drift(current: str | None, wanted: str, label: str) -> str:
    """A unified diff from the file as it is (None: missing) to what it should be; "" if equal.

    Labelled with the file name on both sides (`/dev/null` for a missing file), so
    `patch -p0` applies it; a last line without a line break is marked as diff(1) does.
    Line breaks do not count: a file that git checked out with CRLF (core.autocrlf) is
    up to date when its text is.
    """
    if current is not None and current.replace("\r\n", "\n") == wanted.replace("\r\n", "\n"):
        return ""
    lines = difflib.unified_diff(
        (current or "").splitlines(keepends=True),
        wanted.splitlines(keepends=True),
        fromfile=label if current is not None else "/dev/null",
        tofile=label,
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def values_document(
    rules_text: str, filename: str, path: tuple[str, ...] = DEFAULT_VALUES_PATH
) -> str:
    """A values file holding only `path` -> {filename: rules_text} as a `|-` block.

    Written by hand when the text can stand in a `|-` block as it is (what render
    produces), byte for byte what ruamel's emitter writes; ruamel writes any other text.
    ruamel's emitter inspects a long block character by character: seconds for the rules
    of 10,000 entries.
    """
    from falco_exceptions.yamltext import scalar

    keys = (*path, filename)
    if _literal_safe(rules_text) and all(scalar(k) == k for k in keys):
        out = [f"{'  ' * depth}{key}:" for depth, key in enumerate(keys)]
        out[-1] += " |-"
        pad = "  " * len(keys)
        out += [pad + line if line else "" for line in rules_text.split("\n")]
        return "\n".join(out) + "\n"
    return _emitted_document(rules_text, keys)


_LITERAL_LINE = re.compile(  # printable, and no character YAML reads as a line break
    r"[^\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]*"
)


def _literal_safe(text: str) -> bool:
    """Text a `|-` block holds unchanged with no indentation indicator: printable lines
    without trailing blanks, not starting with a blank, no final line break."""
    if not text or text[0] in " \n" or text.endswith("\n"):
        return False
    return all(
        _LITERAL_LINE.fullmatch(line) and not line.endswith(" ") for line in text.split("\n")
    )


def _emitted_document(rules_text: str, keys: tuple[str, ...]) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import LiteralScalarString

    data: Any = LiteralScalarString(rules_text)
    for key in reversed(keys):
        data = CommentedMap({key: data})
    out = io.StringIO()
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.dump(data, out)
    return out.getvalue()


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same folder, keeping its mode
    and, where the process may set it, its owner and group.

    The file is complete and on disk (fsync) before the rename replaces the old one, so
    a kill at any moment leaves either the old bytes or the new. A symlink stays a
    symlink: its target is the file written (the temporary file goes next to the target).
    Whatever goes wrong short of a kill, the temporary file does not stay behind.
    """
    target = Path(os.path.realpath(path))
    try:
        old = target.stat() if target.exists() else None
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise FatalError(_cannot_write(path, exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if old is not None:
            _keep_owner(tmp, old)  # before chmod: a chown clears the set-id bits
        os.chmod(tmp, old.st_mode & 0o7777 if old is not None else 0o644 & ~_umask())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise FatalError(_cannot_write(path, exc)) from None
        if isinstance(exc, UnicodeEncodeError):
            raise FatalError(
                f"cannot write {path}: the text cannot be encoded as UTF-8 ({exc.reason})"
            ) from None
        raise


def _keep_owner(tmp: str, old: os.stat_result) -> None:
    """The old file's owner and group for the new one: root may set both, a member of the
    group the group; otherwise the new file is the writer's, as any editor leaves it."""
    for uid, gid in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
        try:
            os.chown(tmp, uid, gid)
            return
        except PermissionError:
            continue


def _cannot_write(path: Path, exc: OSError) -> str:
    """Why `path` cannot be written, in words (not the system's "Not a directory")."""
    if isinstance(exc, IsADirectoryError) or path.is_dir():
        return f"cannot write {path}: it is a directory; give a file name"
    parent = path.parent
    blocker = next((p for p in (parent, *parent.parents) if p.exists()), None)
    if isinstance(exc, NotADirectoryError) or (blocker is not None and not blocker.is_dir()):
        return f"cannot write {path}: {blocker} is a file, not a directory"
    if isinstance(exc, FileNotFoundError):
        return f"cannot write {path}: directory {parent} does not exist"
    return f"cannot write {path}: {exc.strerror or exc}"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
