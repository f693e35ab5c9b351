"""Read files, and YAML with ruamel's round-trip loader, keeping where every value stands.

Exceptions and policy files are read by `yamlcompose` (C-backed, plain data); this
round-trip reader is for the files whose comments and layout must survive (values files).
`locate` finds a position in either kind of tree.
"""

from __future__ import annotations

import datetime
import errno
import stat
from pathlib import Path
from typing import Any

from falco_exceptions.diagnostics import Diagnostic, Position, error
from falco_exceptions.yamlerrors import PREFIX, describe

YAML_SYNTAX = "FE101"


def read_text(
    path: Path, display: str, *, newline: str | None = None, limit: int | None = None
) -> str | Diagnostic:
    """The file's UTF-8 text, or what keeps it from being read, said so a person can act.

    `newline=""` keeps its line breaks as they are (CRLF stays CRLF); otherwise they
    become LF. `limit` refuses files larger than that many bytes before reading them.
    A UTF-8 byte order mark is kept: YAML allows it and the parsers skip it.
    """
    problem = _not_a_file(path)
    if problem is not None:
        return error(Position(display), YAML_SYNTAX, problem)
    try:
        with path.open("rb") as handle:
            data = handle.read(-1 if limit is None else limit + 1)
    except OSError as exc:
        return error(Position(display), YAML_SYNTAX, _os_problem(exc))
    if limit is not None and len(data) > limit:
        return error(
            Position(display),
            YAML_SYNTAX,
            f"the file is larger than {limit // 2**20} MiB; split it into several files and "
            "give them in order (their entries combine)",
        )
    text = _decode(data, display)
    if isinstance(text, Diagnostic) or newline == "":
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _not_a_file(path: Path) -> str | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return "file not found" if not path.is_symlink() else "a symbolic link to a missing file"
    except OSError as exc:
        return _os_problem(exc)
    if stat.S_ISDIR(found.st_mode):
        return "is a directory; give a file"
    if not stat.S_ISREG(found.st_mode):
        return "is not a regular file (a device, pipe or socket); give a file"
    return None


def _os_problem(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a symbolic link that leads back to itself (a loop); point it at a file"
    if exc.errno == errno.EACCES:
        return "permission denied: the file cannot be read; give yourself read access"
    if exc.errno == errno.EISDIR:
        return "is a directory; give a file"
    return f"cannot read the file: {exc.strerror or exc}"


_FOREIGN_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _decode(data: bytes, display: str) -> str | Diagnostic:
    for bom, name in _FOREIGN_BOMS:
        if data.startswith(bom):
            return error(
                Position(display, 1, 1),
                YAML_SYNTAX,
                f"the file is {name} text (it starts with a {name} byte order mark); "
                "save it as UTF-8",
            )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[data.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace"))
        return error(
            Position(display, line, col + 1),
            YAML_SYNTAX,
            f"the file is not valid UTF-8 here (byte 0x{data[exc.start]:02x}); save it as UTF-8",
        )


_UNREADABLE = "cannot read this YAML value"
MAX_ALIASED = 100_000  # values aliases may add by repeating what they name (alias bombs)


def parse(text: str, display: str) -> Any | Diagnostic:
    """The round-trip tree of `text` (comments kept), or a diagnostic at the offending line.

    For files whose comments and layout matter (values files); exceptions and policy files
    are read by `yamlcompose`. Beyond syntax errors this catches values that cannot be
    built (an unquoted `2027-02-30`, `!!int abc`), nesting too deep to read, and alias
    bombs.
    """
    found = _load(text, display, every=False)
    return found if isinstance(found, Diagnostic) else found[0]


def parse_documents(text: str, display: str) -> list[Any] | Diagnostic:
    """Every document of a `---` separated stream (a rules file may hold several), as `parse`."""
    return _load(text, display, every=True)


def _load(text: str, display: str, *, every: bool) -> list[Any] | Diagnostic:
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from falco_exceptions.yamlnodes import duplicate_key_problem

    try:
        yaml = _yaml()
        roots = list(yaml.load_all(text)) if every else [yaml.load(text)]
    except MarkedYAMLError as exc:
        problem = describe(exc, text)
        message = problem.message
        if isinstance(exc, DuplicateKeyError) and exc.problem_mark:
            found = duplicate_key_problem(text, exc.problem_mark.index)
            message = PREFIX + found if found else message
        if _UNREADABLE in message:
            message = message.removeprefix(PREFIX)
        return error(Position(display, problem.line, problem.col), YAML_SYNTAX, message)
    except YAMLError as exc:
        problem = describe(exc, text)
        return error(Position(display, problem.line, problem.col), YAML_SYNTAX, problem.message)
    except RecursionError:
        return error(Position(display), YAML_SYNTAX, "the YAML nests too deep to read")
    if _aliased(roots) > MAX_ALIASED:
        return error(
            Position(display),
            YAML_SYNTAX,
            f"the aliases (*name) expand to more than {MAX_ALIASED:,} values (an alias "
            "bomb?); write the values out",
        )
    return roots


def _yaml() -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
    from ruamel.yaml.error import YAMLError

    class Constructor(RoundTripConstructor):
        """Turns a value that cannot be built into an error at that value's position."""

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep)
            except YAMLError:
                raise
            except (ValueError, KeyError, IndexError, TypeError, OverflowError) as exc:
                problem = f"{_UNREADABLE} ({exc}); quote it if it is text"
                raise ConstructorError(None, None, problem, node.start_mark) from None

    yaml = YAML(typ="rt")
    yaml.Constructor = Constructor
    return yaml


def _aliased(root: Any) -> int:
    """How many values aliases add by repeating what they name (stops past MAX_ALIASED).

    Only repeats count: a large file without aliases adds nothing. A collection that
    contains itself counts as too many.
    """
    sizes: dict[int, int] = {}
    seen: set[int] = set()
    extra = 0
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        children = _children(node)
        if children is None:
            continue
        ident = id(node)
        if finished:
            total = 1 + sum(sizes.get(id(child), 1) for child in children)
            sizes[ident] = min(total, MAX_ALIASED + 1)
        elif ident in seen:
            extra += sizes.get(ident, MAX_ALIASED + 1)
            if extra > MAX_ALIASED:
                break
        else:
            seen.add(ident)
            stack.append((node, True))
            stack.extend((child, False) for child in children)
    return extra


def _children(node: Any) -> list[Any] | None:
    if isinstance(node, dict):
        return [*node.keys(), *node.values()]
    if isinstance(node, list | set | tuple):
        return list(node)
    return None


def to_plain(node: Any) -> Any:
    """JSON-like data for the schema check; dates become ISO strings."""
    if isinstance(node, dict):
        return {str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, datetime.date):
        return node.isoformat()
    if isinstance(node, str):
        return str(node)
    return node


def locate(root: Any, path: list[str | int], display: str, *, key: bool = False) -> Position:
    """Position of the node at `path` (of its key when `key`), or of its nearest parent.

    `root` is a round-trip tree (from `parse`) or a `yamlcompose.Source`.
    """
    if hasattr(root, "at") and hasattr(root, "alias_marks"):
        found: Position = root.at(path, key=key)
        return found
    node = root
    line, col = _start(root)
    for i, step in enumerate(path):
        last = i == len(path) - 1
        try:
            if isinstance(node, dict) and step in node:
                # an empty (null) value has no place of its own: point at its key
                on_key = (key and last) or node[step] is None
                lc = node.lc.key(step) if on_key else node.lc.value(step)  # type: ignore[attr-defined]
                node = node[step]
            elif isinstance(node, list) and isinstance(step, int) and step < len(node):
                lc = node.lc.item(step)  # type: ignore[attr-defined]
                node = node[step]
            else:
                break
        except (AttributeError, KeyError, TypeError):
            break
        if not lc or lc[0] is None:  # a node ruamel built without a position
            break
        line, col = lc[0] + 1, lc[1] + 1
    return Position(display, line, col)


def _start(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return (1, 1)
    return (lc.line + 1, lc.col + 1)
