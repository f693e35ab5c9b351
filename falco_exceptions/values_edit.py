"""Put the rules text into an existing values file, changing nothing else in it.

The file is never re-dumped: ruamel composes it only to learn where each node starts and
ends (its marks), and the new `|-` block is spliced into the original text. So comments,
key order, quoting, blank lines and every other `customRules` key stay byte for byte (a
round-trip dump would re-flow flow lists, spacing and comment placement). Only these bytes
change: the managed key's value (from its first character to the end of its last line;
a comment after it, or on its old `|` header line, moves to the `|-` line), and, when they
are missing, the key and the mappings on the path above it (appended at the end of their
parent mapping). A `customRules: {}` (or empty/null) value loses its `{}` and gets the key
as a block mapping. Where that cannot work (a mapping on the path that comes from a merge
key `<<` or is an alias, an anchor in the replaced text that an alias repeats) the file is
refused with a located FE401. The result is parsed again and must equal the input data
plus the managed key; anything else is a bug and nothing is written.

Where a value's text ends is YAML's answer, not the last non-blank character: a `|` or
`>` block takes its last lines of spaces as text when they are deeper than its
indentation, and `|+` keeps every line up to its end (yamlnodes.content_end); an alias
ends where it is written, not where its anchor is. The lines right after the new block
must not read as its text either: blank lines holding more spaces than its indentation,
or comments as deep as it. An appended key goes after them; a replaced value, whose place
is fixed, gets its text indented deeper than they are. And a `|` or `|+` block that ends
the file without a line break cannot be followed by anything without its value gaining
that line break, so a key appended to its mapping goes before its key instead.

Indentation follows the file: the step is the one its first nested block mapping uses
(2 when it has none), counted from the first key (not from an `&anchor`, `!tag` or
`---` before it), and line breaks follow its first line break (LF or CRLF); the caller
must read the file with `newline=""` so that CRLF reaches this module.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from falco_exceptions.diagnostics import Position, error
from falco_exceptions.errors import ExitCode, FatalError
from falco_exceptions.yamlnodes import (
    BREAKS,
    Alias,
    after_colon,
    block_header_end,
    children,
    chomping,
    compose,
    content_end,
    empty_flow_map,
    final_node,
    indent_step,
    is_block,
    is_block_scalar,
    is_empty,
    is_null,
    key_column,
    line_begin,
    line_end,
    lookup,
    merge_key_holding,
    shared_nodes,
    spelled,
    text_end,
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
    """`text` with `<path>.<filename>` set to `rules_text` as a literal block.

    `rules_text` ends in at most one line break (render's has none).
    """
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        root = compose(text)
    except MarkedYAMLError as exc:  # callers load the file first; this is for direct calls
        mark = exc.problem_mark or exc.context_mark
        at = Position(display, mark.line + 1, mark.column + 1) if mark else Position(display)
        raise ValuesFileError(at, f"YAML syntax error: {exc.problem or exc.context}") from None
    except YAMLError as exc:
        raise ValuesFileError(Position(display), f"YAML syntax error: {exc}") from None
    editor = _Editor(text, display, indent_step(root, text), shared_nodes(root))
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
        first_break = re.search("\r\n|\r|\n", text)
        self.nl = first_break[0] if first_break else "\n"

    def plan(self, root: Any, keys: tuple[str, ...], rules: str) -> _Edit:
        if root is None:
            return self._append(len(self.text), keys, rules, 0)
        if is_null(root) or empty_flow_map(root):  # a document that is `~` or `{}`
            return self._replace_root(root, keys, rules)
        node: Any = root
        walked: tuple[str, ...] = ()
        while True:
            self._require_block_map(node, walked)
            found = lookup(node, keys[0])
            col = key_column(node.value[0][0], self.text)
            if found is None:
                merge = merge_key_holding(node, keys[0])
                if merge is not None and len(keys) > 1:
                    where = ".".join((*walked, keys[0]))
                    raise self._error(
                        merge,
                        f"{where} comes from a merge key (<<) and cannot be edited in place; "
                        f"write {scalar(keys[0])} out in this mapping",
                    )
                return self._append(self._mapping_end(node), keys, rules, col)
            key, value = found
            walked = (*walked, keys[0])
            if len(keys) == 1:
                return self._replace_value(key, value, rules, col, walked)
            if isinstance(value, Alias):
                where = ".".join(walked)
                raise self._error(key, f"{where} is an alias (*name); write the mapping out here")
            if is_null(value) or empty_flow_map(value):
                self._require_unshared(value, walked)
                return self._fill_empty(key, value, keys[1:], rules, col + self.step)
            self._require_not_aliased(root, value, walked, keys[-1])
            node, keys = value, keys[1:]

    def _append(self, at: int, keys: tuple[str, ...], rules: str, col: int) -> _Edit:
        """`keys` as new block mappings at column `col`, put at `at` or after the comments
        and blank lines that follow it and that the new block would read as its text."""
        body = col + len(keys) * self.step
        for stop, width, blank in self._followers(at):
            if width > body or (width == body and not blank):
                at = stop
        prefix = "" if at == 0 or self.text[at - 1] in BREAKS else self.nl
        return _Edit(at, at, prefix + self._block(keys, rules, col, body))

    def _mapping_end(self, node: Any) -> int:
        """Where a key appended to a block mapping goes: after its content, or before its
        last key when a `|` or `|+` block ends the file without a line break (one put
        after it would add that line break to the block's text)."""
        end = content_end(node, self.text)
        last = final_node(node)
        if end < len(self.text) or self.text[-1] in BREAKS or not is_block_scalar(last):
            return end
        if chomping(last, self.text) == "-":
            return end
        return line_begin(self.text, node.value[-1][0].start_mark.index)

    def _replace_root(self, root: Any, keys: tuple[str, ...], rules: str) -> _Edit:
        """A document that is `~` or `{}` (maybe after `---`) becomes the block."""
        start: int = root.start_mark.index
        line_start = line_begin(self.text, start)
        end, rest = self._rest_of_line(root.end_mark.index)
        block = self._block(keys, rules, 0, self._clear_of_followers(end, len(keys) * self.step))
        before = self.text[line_start:start]
        if before.strip():  # `--- {}`: the block cannot start on the `---` line
            if not rest.strip():
                start = line_start + len(before.rstrip(" \t"))
            return _Edit(start, end, rest + block)
        first, _, others = block.partition(self.nl)
        return _Edit(line_start, end, first + rest + others)  # from the line's start

    def _fill_empty(
        self, key: Any, value: Any, keys: tuple[str, ...], rules: str, col: int
    ) -> _Edit:
        """`key:`, `key: ~` or `key: {}` becomes `key:` followed by the block."""
        colon = after_colon(key, self.text)
        end = colon if is_empty(value) else value.end_mark.index
        stop = line_end(self.text, end)
        rest = self.text[end:stop]
        if not rest or rest[-1] not in BREAKS:
            rest += self.nl
        body = self._clear_of_followers(stop, col + len(keys) * self.step)
        return _Edit(colon, stop, rest + self._block(keys, rules, col, body))

    def _replace_value(
        self, key: Any, value: Any, rules: str, col: int, walked: tuple[str, ...]
    ) -> _Edit:
        """The value becomes a literal block; a comment after it moves to the `|-` line."""
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        colon = after_colon(key, self.text)
        if is_empty(value):  # `key:` with nothing after it
            start, end, rest = colon, *self._rest_of_line(colon)
            space = " "
        elif isinstance(value, Alias):
            start, space = value.start_mark.index, ""
            end, rest = self._rest_of_line(text_end(value, self.text))
        else:
            self._require_unshared(value, walked)
            start, space = value.start_mark.index, ""
            if is_block(value, MappingNode) or is_block(value, SequenceNode):
                end = content_end(value, self.text)
                if start < line_end(self.text, colon):  # `key: &anchor`, `key: !tag`
                    rest = self.nl
                else:  # the header goes on the key's line, after a comment there
                    start, space, rest = colon, " ", self._rest_of_line(colon)[1]
            elif is_block_scalar(value):  # the comment on its header line stays
                end = content_end(value, self.text)
                rest = self._rest_of_line(block_header_end(value, self.text))[1]
            else:
                end, rest = self._rest_of_line(text_end(value, self.text))
        body = self._clear_of_followers(end, col + self.step)
        header, text = _literal(rules, body, col)
        return _Edit(start, end, space + header + rest + self._nl(text))

    def _followers(self, at: int) -> list[tuple[int, int, bool]]:
        """The blank and comment lines from `at` on, up to the next other line: where each
        ends, how far it is indented (a blank line: its length) and whether it is blank."""
        found = []
        while at < len(self.text):
            stop = line_end(self.text, at)
            line = self.text[at:stop].rstrip(BREAKS)
            content = line.lstrip(" \t")
            if content and not content.startswith("#"):
                break
            found.append((stop, len(line) - len(content) if content else len(line), not content))
            at = stop
        return found

    def _clear_of_followers(self, at: int, body: int) -> int:
        """The indentation, at least `body`, for a block's text written just before `at` so
        that the blank and comment lines after it are not read as its text."""
        for _, width, blank in self._followers(at):
            body = max(body, width if blank else width + 1)
        return body

    def _rest_of_line(self, end: int) -> tuple[int, str]:
        """The end of the line holding `end`, and the text from `end` to there (a trailing
        comment and the line break; just the line break when there is no comment)."""
        stop = line_end(self.text, end)
        rest = self.text[end:stop]
        if not rest.strip():
            rest = rest.lstrip(" \t")
        return stop, rest if rest and rest[-1] in BREAKS else rest + self.nl

    def _require_unshared(self, value: Any, walked: tuple[str, ...]) -> None:
        """No node written in `value` may carry an anchor that an alias repeats: the alias
        would lose its anchor."""
        pending = [value]
        while pending:
            node = pending.pop()
            if isinstance(node, Alias):  # its anchor is elsewhere; dropping it is fine
                continue
            if id(node) in self.shared:
                anchor = getattr(node, "anchor", None) or "name"
                raise self._error(
                    node,
                    f"{'.'.join(walked)} holds an anchor (&{anchor}) that an alias "
                    f"(*{anchor}) repeats elsewhere; write the alias's value out so the "
                    "anchor can go",
                )
            pending.extend(children(node))

    def _require_not_aliased(
        self, root: Any, node: Any, walked: tuple[str, ...], filename: str
    ) -> None:
        """A mapping the edit adds a key to must not be repeated by an alias: the key would
        appear there too (another chart, another subchart, another release's values)."""
        if id(node) not in self.shared:
            return
        anchor = getattr(node, "anchor", None) or "name"
        alias_at = ""
        pending = [root]
        while pending and not alias_at:
            current = pending.pop()
            if isinstance(current, Alias):
                if current.node is node:
                    alias_at = f" at line {current.start_mark.line + 1}"
            else:
                pending.extend(children(current))
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
            kind = (
                "a list"
                if isinstance(node, SequenceNode)
                else f"the scalar {spelled(node, self.text)}"
            )
            raise self._error(node, f"{where} must be a mapping, but it is {kind}")
        if node.flow_style:
            raise self._error(
                node,
                f"{where} is a flow mapping ({{...}}); write it as a block mapping so "
                "falco-exceptions can add its key",
            )

    def _block(self, keys: tuple[str, ...], rules: str, indent: int, body: int) -> str:
        """`keys` as nested block mappings at `indent`, the last one holding `rules` as a
        literal block whose text is indented to `body`."""
        lines = []
        for depth, key in enumerate(keys[:-1]):
            lines.append(" " * (indent + depth * self.step) + f"{scalar(key)}:\n")
        last = indent + (len(keys) - 1) * self.step
        header, text = _literal(rules, body, last)
        lines.append(" " * last + f"{scalar(keys[-1])}: {header}\n{text}")
        return self._nl("".join(lines))

    def _nl(self, text: str) -> str:
        return text.replace("\n", self.nl) if self.nl != "\n" else text

    def _error(self, node: Any, message: str) -> ValuesFileError:
        mark = node.start_mark
        return ValuesFileError(Position(self.display, mark.line + 1, mark.column + 1), message)


def _literal(text: str, indent: int, parent: int) -> tuple[str, str]:
    """A literal block scalar under a key at column `parent`: its header (`|-`, no line
    break) and its body lines, indented to `indent`."""
    if text.endswith("\n\n"):
        # `|+` would also keep the blank lines that follow the block in the file
        raise ValueError("the rules text ends in more than one line break")
    chomp = "" if text.endswith("\n") else "-"  # clip (one final line break) or strip
    lines = text.removesuffix("\n").split("\n")
    first = next((line for line in lines if line), "")
    # a first line that starts with a space (or holds only spaces) would be read as the
    # indentation: say it explicitly
    indicator = str(indent - parent) if first.startswith(" ") else ""
    if len(indicator) > 1:  # render's first line is a comment, so this is not reached
        raise ValueError(f"a block indented {indicator} columns cannot start with a space")
    body = "".join((" " * indent + line if line else "") + "\n" for line in lines)
    return f"|{indicator}{chomp}", body


def _verify(before: str, after: str, keys: tuple[str, ...], rules: str, display: str) -> None:
    """The edited file must read as the old data plus the managed key, nothing else."""
    from ruamel.yaml.error import YAMLError

    yaml = _data_loader()
    failed = FatalError(
        f"{display}: could not place the rules under {'.'.join(keys[:-1])} without "
        "changing other values (a bug in falco-exceptions; nothing was written)"
    )
    try:
        expected = copy.deepcopy(yaml.load(before)) or {}
    except YAMLError as exc:  # not reached: the file was read before it was edited
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


class _TaggedMapping(dict[Any, Any]):
    """A mapping under a tag that the safe loader does not know; equal to another only
    under the same tag."""

    def __init__(self, tag: str = "", items: Any = ()) -> None:
        super().__init__(items)
        self.tag = tag

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _TaggedMapping) and self.tag == other.tag and super().__eq__(other)


def _data_loader() -> Any:
    """ruamel's safe loader, except that a value under a tag it does not know (`!foo`)
    reads as that tag and the value, as the round-trip loader that read the file takes
    it, instead of failing."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import SafeConstructor
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    class Constructor(SafeConstructor):
        def construct_undefined(self, node: Any) -> Any:
            if isinstance(node, MappingNode):
                return _TaggedMapping(str(node.tag), self.construct_mapping(node, deep=True))
            if isinstance(node, SequenceNode):
                return (str(node.tag), self.construct_sequence(node, deep=True))
            return (str(node.tag), self.construct_scalar(node))

    Constructor.add_constructor(None, Constructor.construct_undefined)
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = Constructor
    return yaml
