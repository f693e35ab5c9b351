"""Read YAML with ruamel's round-trip loader, keeping where every key and value stands."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from falco_exceptions.diagnostics import Diagnostic, Position, error

YAML_SYNTAX = "FE101"


def read_text(path: Path, display: str, *, newline: str | None = None) -> str | Diagnostic:
    """The file's text; `newline=""` keeps its line breaks as they are (CRLF stays CRLF)."""
    try:
        with path.open(encoding="utf-8", newline=newline) as handle:
            return handle.read()
    except FileNotFoundError:
        return error(Position(display), YAML_SYNTAX, "file not found")
    except (OSError, UnicodeDecodeError) as exc:
        return error(Position(display), YAML_SYNTAX, f"cannot read the file: {exc}")


_UNREADABLE = "cannot read this YAML value"
MAX_NODES = 100_000  # after alias expansion: a few aliases can stand for billions of values


def parse(text: str, display: str) -> Any | Diagnostic:
    """The round-trip tree of `text`, or a diagnostic at the offending line.

    Beyond syntax errors this catches values that cannot be built (an unquoted
    `2027-02-30`, `!!int abc`), nesting too deep to read, and alias bombs.
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
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        if isinstance(exc, DuplicateKeyError) and mark:
            problem = duplicate_key_problem(text, mark.index) or problem
        if not problem.startswith(_UNREADABLE):
            problem = f"YAML syntax error: {problem}"
        return error(Position(display, line, col), YAML_SYNTAX, problem)
    except YAMLError as exc:
        return error(Position(display), YAML_SYNTAX, f"YAML syntax error: {exc}")
    except RecursionError:
        return error(Position(display), YAML_SYNTAX, "YAML nesting is too deep to read")
    if _expanded_size(roots) > MAX_NODES:
        return error(
            Position(display),
            YAML_SYNTAX,
            f"the YAML expands to more than {MAX_NODES} values (through aliases); write it out",
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


def _expanded_size(root: Any) -> int:
    """How many values the tree holds once aliases are expanded (stops past MAX_NODES)."""
    count, stack = 0, [root]
    while stack and count <= MAX_NODES:
        node = stack.pop()
        count += 1
        if isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list | set | tuple):
            stack.extend(node)
    return count


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
    """Position of the node at `path` (of its key when `key`), or of its nearest parent."""
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
        line, col = lc[0] + 1, lc[1] + 1
    return Position(display, line, col)


def _start(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return (1, 1)
    return (lc.line + 1, lc.col + 1)
