"""Put the rules text into an existing values file, changing nothing else in it.

The file is never re-dumped: ruamel composes it only to learn where each node starts and
ends (its marks), and the new `|-` block is spliced into the original text. So comments,
key order, quoting, blank lines and every other `customRules` key stay byte for byte (a
round-trip dump would re-flow flow lists, spacing and comment placement). Only these bytes
change: the managed key's value (from its first character to the end of its last line;
a comment after it moves to the `|-` line), and, when they are missing, the key and the
mappings on the path above it (appended at the end of their parent mapping). A
`customRules: {}` (or empty/null) value loses its `{}` and gets the key as a block mapping.
Where that cannot work (a mapping on the path that comes from a merge key `<<`, an anchor
in the replaced text that an alias repeats) the file is refused with a located FE401. The
result is parsed again and must equal the input data plus the managed key; anything else
is a bug and nothing is written.

Indentation follows the file: the step is the one its first nested block mapping uses
(2 when it has none), counted from the first key (not from an `&anchor`, `!tag` or
`---` before it), and line breaks follow its first line break (LF or CRLF); the caller
must read the file with `newline=""` so that CRLF reaches this module.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from falco_exceptions.diagnostics import Position, error
from falco_exceptions.errors import ExitCode, FatalError
from falco_exceptions.yamlnodes import (
    empty_flow_map,
    indent_step,
    is_null,
    lookup,
    merge_key_holding,
    shared_nodes,
)
from falco_exceptions.yamltext import scalar

VALUES_SHAPE = "FE401"


class ValuesFileError(FatalError):
    """A located problem in a values file; its message is one diagnostic line."""

    def __init__(self, position: Position, message: str, code: str = VALUES_SHAPE) -> None:
        super().__init__(str(error(position, code, message)), ExitCode.FINDINGS, located=True)


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
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        root = YAML(typ="rt").compose(text)
    except MarkedYAMLError as exc:  # callers load the file first; this is for direct calls
        mark = exc.problem_mark or exc.context_mark
        at = Position(display, mark.line + 1, mark.column + 1) if mark else Position(display)
        raise ValuesFileError(at, f"YAML syntax error: {exc.problem or exc.context}") from None
    except YAMLError as exc:
        raise ValuesFileError(Position(display), f"YAML syntax error: {exc}") from None
    editor = _Editor(text, display, indent_step(root), shared_nodes(root))
    edit = editor.plan(root, (*path, filename), rules_text)
    result = text[: edit.start] + edit.text + text[edit.end :]
    _verify(text, result, (*path, filename), rules_text, display)
    return result


class _Editor:
    def __init__(self, text: str, display: str, step: int, shared: set[int]) -> None:
        self.text = text
        self.display = display
        self.step = step
        self.shared = shared  # ids of the nodes an alias repeats
        first_break = text.find("\n")
        self.nl = "\r\n" if first_break > 0 and text[first_break - 1] == "\r" else "\n"

    def plan(self, root: Any, keys: tuple[str, ...], rules: str) -> _Edit:
        if root is None:
            return self._insert(len(self.text), self._block(keys, rules, 0))
        if is_null(root) or empty_flow_map(root):  # a document that is `~` or `{}`
            return self._replace_root(root, self._block(keys, rules, 0))
        node: Any = root
        walked: tuple[str, ...] = ()
        while True:
            self._require_block_map(node, walked)
            found = lookup(node, keys[0])
            # the first key's column: the mapping's own mark is at its `&anchor`, `!tag`
            # or `---` when it has one
            col: int = node.value[0][0].start_mark.column
            if found is None:
                merge = merge_key_holding(node, keys[0])
                if merge is not None and len(keys) > 1:
                    where = ".".join((*walked, keys[0]))
                    raise self._error(
                        merge,
                        f"{where} comes from a merge key (<<) and cannot be edited in place; "
                        f"write {scalar(keys[0])} out in this mapping",
                    )
                at = self._content_end(node)
                return self._insert(at, self._block(keys, rules, col))
            key, value = found
            walked = (*walked, keys[0])
            if value.start_mark.index < key.end_mark.index:
                where = ".".join(walked)
                raise self._error(key, f"{where} is an alias (*name); write the mapping out here")
            if len(keys) == 1:
                return self._replace_value(key, value, rules, col + self.step, walked)
            if is_null(value) or empty_flow_map(value):
                self._require_unshared(value, value.start_mark.index, walked)
                return self._fill_empty(key, value, self._block(keys[1:], rules, col + self.step))
            self._require_not_aliased(root, value, walked, keys[-1])
            node, keys = value, keys[1:]

    def _replace_root(self, root: Any, block: str) -> _Edit:
        """A document that is `~` or `{}` (maybe after `---`) becomes `block`."""
        start: int = root.start_mark.index
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end, rest = self._rest_of_line(root.end_mark.index)
        before = self.text[line_start:start]
        if before.strip():  # `--- {}`: the block cannot start on the `---` line
            if not rest.strip():
                start = line_start + len(before.rstrip(" \t"))
            return _Edit(start, line_end, rest + block)
        first, _, others = block.partition(self.nl)
        return _Edit(start, line_end, first + rest + others)

    def _rest_of_line(self, end: int) -> tuple[int, str]:
        """The end of the line holding `end`, and the text from `end` to there (a trailing
        comment and the line break; just the line break when there is no comment)."""
        line_end = self._line_end(end)
        rest = self.text[end:line_end]
        if not rest.strip():
            rest = rest.lstrip(" \t")
        return line_end, rest if rest.endswith("\n") else rest + self.nl

    def _require_unshared(self, value: Any, start: int, walked: tuple[str, ...]) -> None:
        """No node written in `value` (from `start` on) may carry an anchor an alias repeats:
        the alias would lose its anchor."""
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        pending = [value]
        while pending:
            node = pending.pop()
            if node.start_mark.index < start:  # an alias of a node written before
                continue
            if id(node) in self.shared:
                anchor = getattr(node, "anchor", None) or "name"
                raise self._error(
                    node,
                    f"{'.'.join(walked)} holds an anchor (&{anchor}) that an alias "
                    f"(*{anchor}) repeats elsewhere; write the alias's value out so the "
                    "anchor can go",
                )
            if isinstance(node, MappingNode):
                pending.extend(item for pair in node.value for item in pair)
            elif isinstance(node, SequenceNode):
                pending.extend(node.value)

    def _require_not_aliased(
        self, root: Any, node: Any, walked: tuple[str, ...], filename: str
    ) -> None:
        """A mapping the edit adds a key to must not be repeated by an alias: the key would
        appear there too (another chart, another subchart, another release's values)."""
        if id(node) not in self.shared:
            return
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        anchor = getattr(node, "anchor", None) or "name"
        alias_at = ""
        pending = [root]
        while pending and not alias_at:
            current = pending.pop()
            if isinstance(current, MappingNode):
                for k, v in current.value:
                    if v is node and v.start_mark.index < k.end_mark.index:
                        alias_at = f" at line {k.start_mark.line + 1}"
                    elif v.start_mark.index >= k.end_mark.index:
                        pending.append(v)
            elif isinstance(current, SequenceNode):
                pending.extend(current.value)
        raise self._error(
            node,
            f"{'.'.join(walked)} is the anchor &{anchor}, which an alias (*{anchor}{alias_at}) "
            f"repeats: adding {filename} here would add it there too; give that place its "
            "own mapping, or drop the anchor",
        )

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

    def _replace_value(
        self, key: Any, value: Any, rules: str, indent: int, walked: tuple[str, ...]
    ) -> _Edit:
        """The value becomes a literal block; a comment after it moves to the `|-` line."""
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        header, body = _literal(rules, indent, self.step)
        body = self._nl(body)
        if value.end_mark.index == value.start_mark.index:  # `key:` with nothing after it
            colon = self._after_colon(key)
            line_end, rest = self._rest_of_line(colon)
            return _Edit(colon, line_end, " " + header + rest + body)
        self._require_unshared(value, value.start_mark.index, walked)
        if isinstance(value, MappingNode | SequenceNode) and not value.flow_style:
            colon = self._after_colon(key)
            if value.start_mark.index < self._line_end(colon):  # `key: &anchor`, `key: !tag`
                start, rest = value.start_mark.index, self.nl
            else:  # the header goes on the key's line, after a comment there
                start, rest = colon, self._rest_of_line(colon)[1]
                header = " " + header
            return _Edit(start, self._content_end(value), header + rest + body)
        line_end, rest = self._rest_of_line(self._scalar_end(value))
        return _Edit(value.start_mark.index, line_end, header + rest + body)

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
        header, body = _literal(rules, last + self.step, self.step)
        lines.append(" " * last + f"{scalar(keys[-1])}: {header}\n{body}")
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


def _literal(text: str, indent: int, step: int) -> tuple[str, str]:
    """A literal block scalar: its header (`|-`, no line break) and its body lines."""
    # strip (no final line break: what render gives), keep (several), clip (one)
    chomp = "-" if not text.endswith("\n") else "+" if text.endswith("\n\n") else ""
    lines = (text[:-1] if text.endswith("\n") else text).split("\n")
    first = next((line for line in lines if line.strip()), "")
    indicator = str(step) if first.startswith(" ") else ""
    body = "".join((" " * indent + line if line else "") + "\n" for line in lines)
    return f"|{indicator}{chomp}", body


def _verify(before: str, after: str, keys: tuple[str, ...], rules: str, display: str) -> None:
    """The edited file must read as the old data plus the managed key, nothing else."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML(typ="safe", pure=True)
    failed = FatalError(
        f"{display}: could not place the rules under {'.'.join(keys[:-1])} without "
        "changing other values (a bug in falco-exceptions; nothing was written)"
    )
    try:
        expected = copy.deepcopy(yaml.load(before)) or {}
    except YAMLError as exc:  # e.g. a tag only the round-trip loader accepts
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise FatalError(
            f"{display}: cannot check the edited file ({problem}); nothing was written"
        ) from None
    node = expected
    for key in keys[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[keys[-1]] = rules
    try:
        edited = yaml.load(after)
    except YAMLError:
        raise failed from None
    if edited != expected:
        raise failed
