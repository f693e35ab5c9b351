"""Put the rules text into an existing values file, changing nothing else in it.

The file is never re-dumped: ruamel composes it only to learn where each node starts and
ends (its marks), and the new `|-` block is spliced into the original text. So comments,
key order, quoting, blank lines and every other `customRules` key stay byte for byte (a
round-trip dump would re-flow flow lists, spacing and comment placement). Only these bytes
change: the managed key's value (from its first character to the end of its last line),
and, when they are missing, the key and the mappings on the path above it (appended at the
end of their parent mapping). A `customRules: {}` (or empty/null) value loses its `{}`
and gets the key as a block mapping. The result is parsed again and must equal the input
data plus the managed key; anything else is a bug and nothing is written.

Indentation follows the file: the step is the one its first nested block mapping uses
(2 when it has none), and line breaks follow its first line break (LF or CRLF).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from falco_exceptions.diagnostics import Position, error
from falco_exceptions.errors import ExitCode, FatalError
from falco_exceptions.yamltext import scalar

VALUES_SHAPE = "FE401"


class ValuesFileError(FatalError):
    """A located problem in a values file; its message is one diagnostic line."""

    def __init__(self, position: Position, message: str, code: str = VALUES_SHAPE) -> None:
        super().__init__(str(error(position, code, message)), ExitCode.FINDINGS)


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


def set_rules(
    text: str, display: str, rules_text: str, filename: str, path: tuple[str, ...]
) -> str:
    """`text` with `<path>.<filename>` set to `rules_text` as a literal block."""
    from ruamel.yaml import YAML

    root = YAML(typ="rt").compose(text)
    editor = _Editor(text, display, _indent_step(root))
    edit = editor.plan(root, (*path, filename), rules_text)
    result = text[: edit.start] + edit.text + text[edit.end :]
    _verify(text, result, (*path, filename), rules_text, display)
    return result


class _Editor:
    def __init__(self, text: str, display: str, step: int) -> None:
        self.text = text
        self.display = display
        self.step = step
        first_break = text.find("\n")
        self.nl = "\r\n" if first_break > 0 and text[first_break - 1] == "\r" else "\n"

    def plan(self, root: Any, keys: tuple[str, ...], rules: str) -> _Edit:
        if root is None:
            return self._insert(len(self.text), self._block(keys, rules, 0))
        if _is_null(root) or _empty_flow_map(root):  # a document that is `~` or `{}`
            end = self._line_end(root.end_mark.index)
            return _Edit(root.start_mark.index, end, self._block(keys, rules, 0))
        node: Any = root
        walked: tuple[str, ...] = ()
        while True:
            self._require_block_map(node, walked)
            found = _lookup(node, keys[0])
            col: int = node.start_mark.column
            if found is None:
                at = self._content_end(node)
                return self._insert(at, self._block(keys, rules, col))
            key, value = found
            walked = (*walked, keys[0])
            if value.start_mark.index < key.end_mark.index:
                where = ".".join(walked)
                raise self._error(key, f"{where} is an alias (*name); write the mapping out here")
            if len(keys) == 1:
                return self._replace_value(key, value, rules, col + self.step)
            if _is_null(value) or _empty_flow_map(value):
                return self._fill_empty(key, value, self._block(keys[1:], rules, col + self.step))
            node, keys = value, keys[1:]

    def _require_block_map(self, node: Any, walked: tuple[str, ...]) -> None:
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        where = ".".join(walked) if walked else "the values file"
        if not isinstance(node, MappingNode):
            kind = "a list" if isinstance(node, SequenceNode) else f"the scalar {node.value!r}"
            raise self._error(node, f"{where} must be a mapping, but it is {kind}")
        if node.flow_style:
            raise self._error(
                node,
                f"{where} is a flow mapping ({{...}}); write it as a block mapping so "
                "falco-exceptions can add its key",
            )

    def _replace_value(self, key: Any, value: Any, rules: str, indent: int) -> _Edit:
        literal = _literal(rules, indent, self.step)
        if value.end_mark.index == value.start_mark.index:  # `key:` with nothing after it
            colon = self._after_colon(key)
            return _Edit(colon, self._line_end(colon), self._nl(" " + literal))
        return _Edit(value.start_mark.index, self._content_end(value), self._nl(literal))

    def _fill_empty(self, key: Any, value: Any, block: str) -> _Edit:
        """`key:`, `key: ~` or `key: {}` becomes `key:` followed by `block`."""
        colon = self._after_colon(key)
        end = value.end_mark.index if value.end_mark.index > value.start_mark.index else colon
        line_end = self._line_end(end)
        rest = self.text[end:line_end]
        if not rest.endswith("\n"):
            rest += self.nl
        return _Edit(colon, line_end, rest + block)

    def _insert(self, at: int, block: str) -> _Edit:
        prefix = "" if at == 0 or self.text[at - 1] == "\n" else self.nl
        return _Edit(at, at, prefix + block)

    def _block(self, keys: tuple[str, ...], rules: str, indent: int) -> str:
        """`keys` as nested block mappings at `indent`, the last one holding `rules`."""
        lines = []
        for depth, key in enumerate(keys[:-1]):
            lines.append(" " * (indent + depth * self.step) + f"{scalar(key)}:\n")
        last = indent + (len(keys) - 1) * self.step
        literal = _literal(rules, last + self.step, self.step)
        lines.append(" " * last + f"{scalar(keys[-1])}: {literal}")
        return self._nl("".join(lines))

    def _content_end(self, node: Any) -> int:
        """Just past the line holding the last character of `node`'s content."""
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        if isinstance(node, MappingNode) and not node.flow_style and node.value:
            key, value = node.value[-1]
            empty = value.end_mark.index == value.start_mark.index
            if empty or value.start_mark.index < key.end_mark.index:  # `key:` or `key: *alias`
                return self._line_end(key.end_mark.index)
            return self._content_end(value)
        if isinstance(node, SequenceNode) and not node.flow_style and node.value:
            return self._content_end(node.value[-1])
        return self._line_end(self._scalar_end(node))

    def _scalar_end(self, node: Any) -> int:
        """The end of `node` without the blank lines a block scalar swallows."""
        start: int = node.start_mark.index
        end: int = node.end_mark.index
        return start + len(self.text[start:end].rstrip(" \t\r\n"))

    def _line_end(self, index: int) -> int:
        found = self.text.find("\n", index)
        return len(self.text) if found < 0 else found + 1

    def _after_colon(self, key: Any) -> int:
        return self.text.index(":", key.end_mark.index) + 1

    def _nl(self, text: str) -> str:
        return text.replace("\n", self.nl) if self.nl != "\n" else text

    def _error(self, node: Any, message: str) -> ValuesFileError:
        mark = node.start_mark
        return ValuesFileError(Position(self.display, mark.line + 1, mark.column + 1), message)


def _literal(text: str, indent: int, step: int) -> str:
    """A literal block scalar (header line and body, ending in a line break)."""
    # strip (no final line break: what render gives), keep (several), clip (one)
    chomp = "-" if not text.endswith("\n") else "+" if text.endswith("\n\n") else ""
    lines = (text[:-1] if text.endswith("\n") else text).split("\n")
    first = next((line for line in lines if line.strip()), "")
    indicator = str(step) if first.startswith(" ") else ""
    body = "".join((" " * indent + line if line else "") + "\n" for line in lines)
    return f"|{indicator}{chomp}\n{body}"


def _lookup(mapping: Any, key: str) -> tuple[Any, Any] | None:
    for k, v in mapping.value:
        if _is_scalar(k) and k.value == key:
            return k, v
    return None


def _is_scalar(node: Any) -> bool:
    from ruamel.yaml.nodes import ScalarNode

    return isinstance(node, ScalarNode)


def _is_null(node: Any) -> bool:
    return _is_scalar(node) and str(node.tag).endswith(":null")


def _empty_flow_map(node: Any) -> bool:
    from ruamel.yaml.nodes import MappingNode

    return isinstance(node, MappingNode) and bool(node.flow_style) and not node.value


def _indent_step(root: Any) -> int:
    """The indentation the file uses for nested block mappings (2 when it has none)."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    pending = [root]
    while pending:
        node = pending.pop(0)
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if isinstance(value, MappingNode) and not value.flow_style and value.value:
                    step = value.start_mark.column - key.start_mark.column
                    if step > 0:
                        return int(step)
                pending.append(value)
        elif isinstance(node, SequenceNode):
            pending.extend(node.value)
    return 2


def _verify(before: str, after: str, keys: tuple[str, ...], rules: str, display: str) -> None:
    """The edited file must read as the old data plus the managed key, nothing else."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    expected = copy.deepcopy(yaml.load(before)) or {}
    node = expected
    for key in keys[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[keys[-1]] = rules
    if yaml.load(after) != expected:
        raise FatalError(
            f"{display}: could not place the rules under {'.'.join(keys[:-1])} without "
            "changing other values (a bug in falco-exceptions; nothing was written)"
        )
