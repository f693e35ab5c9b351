"""Add entries to an existing exceptions file, changing nothing else in it.

The file is not re-dumped: ruamel composes it only to learn where the `exceptions` list
ends, and the new entries' text is spliced in after its last item (before any comment
that follows the list), at the list's own indentation and with the file's line breaks.
An empty list (`exceptions: []` or `exceptions:`) becomes a block list; a missing key is
added at the end. A non-empty flow list is refused. The result is parsed again and must
equal the old data plus the new entries; anything else is a bug and nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from falco_exceptions.diagnostics import Diagnostic, Position, error
from falco_exceptions.errors import ExitCode, FatalError

if TYPE_CHECKING:
    from falco_exceptions.document import Entry, FalcoSettings

YAML_SYNTAX = "FE101"
SCHEMA = "FE102"
DEFAULT_INDENT = 2

# Writes one entry as lines at the given indentation (of its `-`).
EntryWriter = Callable[[int], list[str]]


def append(text: str, display: str, writers: Sequence[EntryWriter]) -> str:
    """`text` with the entries appended to its `exceptions` list."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        root = YAML(typ="rt").compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Position(display, mark.line + 1, mark.column + 1) if mark else Position(display)
        problem = exc.problem or exc.context
        raise _located(where, YAML_SYNTAX, f"YAML syntax error: {problem}") from None
    except YAMLError as exc:
        raise _located(Position(display), YAML_SYNTAX, f"YAML syntax error: {exc}") from None
    if root is None or root.tag.endswith(":map") is False:
        raise _located(
            Position(display, 1, 1), SCHEMA, "an exceptions file must be a mapping with exceptions:"
        )
    newline = "\r\n" if "\r\n" in text else "\n"
    found = _exceptions_item(root)
    if found is None:
        head = text if text.endswith(("\n", "\r")) or not text else text + newline
        return _checked(text, head + "exceptions:" + newline + _block(writers, 2, newline), display)
    key, value = found
    if value.tag.endswith(":seq") and value.value and not value.flow_style:
        first = value.value[0]
        line_start = text.rfind("\n", 0, first.start_mark.index) + 1
        dash = text.rfind("-", line_start, first.start_mark.index)
        indent = dash - line_start if dash >= 0 else DEFAULT_INDENT
        at = _after_line(text, _end(value.value[-1]))
        new = text[:at] + _lead(text, at, newline) + _block(writers, indent, newline) + text[at:]
        return _checked(text, new, display)
    if (value.tag.endswith(":seq") and not value.value) or value.tag.endswith(":null"):
        # `exceptions: []` or `exceptions:`: the value goes, the entries follow the key's line
        start, end = value.start_mark.index, value.end_mark.index
        text_left = text[:start].rstrip(" ") + text[end:] if end > start else text
        at = _after_line(text_left, key.end_mark.index)
        block = _lead(text_left, at, newline) + _block(writers, DEFAULT_INDENT, newline)
        return _checked(text, text_left[:at] + block + text_left[at:], display)
    mark = value.start_mark
    raise _located(
        Position(display, mark.line + 1, mark.column + 1),
        SCHEMA,
        "exceptions is not a block list (- rule: ...), so entries cannot be added to it; "
        "write it as one",
    )


def _exceptions_item(root: Any) -> tuple[Any, Any] | None:
    for key, value in root.value:
        if getattr(key, "value", None) == "exceptions":
            return key, value
    return None


def _end(node: Any) -> Any:
    """The end mark of the last scalar in `node` (a collection's own end mark lies after
    the comments and blank lines that follow it)."""
    while node.tag.endswith((":map", ":seq", ":omap")) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node.end_mark


def _after_line(text: str, at: Any) -> int:
    """Where the line holding position `at` ends (after its line break)."""
    index = at if isinstance(at, int) else at.index
    if not isinstance(at, int) and at.column == 0:
        return index  # a block scalar ends at the start of the next line
    found = text.find("\n", index)
    return len(text) if found < 0 else found + 1


def _lead(text: str, at: int, newline: str) -> str:
    """A line break when the insertion point is the end of a last line without one."""
    return newline if at == len(text) and text and not text.endswith("\n") else ""


def _block(writers: Sequence[EntryWriter], indent: int, newline: str) -> str:
    return "".join(line + newline for write in writers for line in write(indent))


def _checked(old: str, new: str, display: str) -> str:
    from falco_exceptions.yamlsource import parse, to_plain

    before, after = parse(old, display), parse(new, display)
    if isinstance(before, Diagnostic) or isinstance(after, Diagnostic):
        raise FatalError(f"{display}: appending the entries gave invalid YAML; nothing written")
    old_data, new_data = to_plain(before), to_plain(after)
    kept = list(old_data.get("exceptions") or [])
    added = new_data.get("exceptions") or []
    others_same = {k: v for k, v in old_data.items() if k != "exceptions"} == {
        k: v for k, v in new_data.items() if k != "exceptions"
    }
    if not others_same or added[: len(kept)] != kept:
        raise FatalError(f"{display}: appending the entries would change more; nothing written")
    return new


def _located(at: Position, code: str, message: str) -> FatalError:
    return FatalError(str(error(at, code, message)), ExitCode.FINDINGS, located=True)


_STAND_IN = "A stand-in justification: entries are read here for what they except."


def existing_entries(text: str, display: str) -> tuple[FalcoSettings, tuple[Entry, ...]]:
    """The file's falco: settings and its entries, for what they except.

    Entries whose justification is still a placeholder (an earlier `suggest`) count too:
    they are read as if justified, since their values decide what they except. A file
    that is not valid YAML is refused (nothing could be appended to it).
    """
    from falco_exceptions import document
    from falco_exceptions.yamlsource import parse, to_plain

    doc, problems = document.load_texts([(display, text)])
    for problem in problems:
        if problem.code == YAML_SYNTAX:
            raise FatalError(str(problem), ExitCode.FINDINGS, located=True)
    root = parse(text, display)
    data = to_plain(root) if not isinstance(root, Diagnostic) else None
    if not isinstance(data, dict) or not isinstance(data.get("exceptions"), list):
        return doc.falco, ()
    data["exceptions"] = [
        {**item, "justification": _STAND_IN} if isinstance(item, dict) else item
        for item in data["exceptions"]
    ]
    justified, _ = document.load_texts([(display, json.dumps(data))])
    return doc.falco, justified.entries
