"""Questions about composed YAML nodes (ruamel's node tree, with marks) that the values
editor asks before it splices text: where a key is, where a node's text ends, whether a
node is shared through an anchor or comes from a merge key, which indentation the file
uses, and how the file spells a node.

`compose` keeps each alias as an `Alias`: where the alias is written, and the node it
repeats. ruamel's composer hands back the repeated node itself, whose marks are those of
its anchor, so an end taken from it would point somewhere else in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

BREAKS = "\r\n\x85\u2028\u2029"  # what ruamel reads as a line break (CR LF counts as one)
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


@dataclass(frozen=True, eq=False)
class Alias:
    """An alias (`*name`) where it is written, and the node it repeats."""

    node: Any
    start_mark: Any
    end_mark: Any


def compose(text: str) -> Any:
    """The node tree of a one-document `text`, aliases kept as `Alias`; None when the text
    holds no document. Raises ruamel's YAMLError on text that is not YAML."""
    from ruamel.yaml import YAML
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.events import AliasEvent

    class AliasKeepingComposer(Composer):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if not self.parser.check_event(AliasEvent):
                return super().compose_node(parent, index)
            event = self.parser.peek_event()
            return Alias(super().compose_node(parent, index), event.start_mark, event.end_mark)

    yaml = YAML(typ="rt")
    yaml.Composer = AliasKeepingComposer
    return yaml.compose(text)


def resolved(node: Any) -> Any:
    """The node an alias repeats; any other node itself."""
    return node.node if isinstance(node, Alias) else node


def lookup(mapping: Any, key: str) -> tuple[Any, Any] | None:
    for k, v in mapping.value:
        if is_scalar(resolved(k)) and resolved(k).value == key:
            return k, v
    return None


def merge_key_holding(mapping: Any, key: str) -> Any | None:
    """The `<<` key of `mapping` whose merged mappings hold `key`, if there is one."""
    from ruamel.yaml.nodes import MappingNode

    for k, v in mapping.value:
        if not (is_scalar(k) and str(k.tag).endswith(":merge")):
            continue
        pending = _merged(v)
        seen: set[int] = set()
        while pending:
            merged = pending.pop()
            if not isinstance(merged, MappingNode) or id(merged) in seen:
                continue
            seen.add(id(merged))
            if lookup(merged, key) is not None:
                return k
            for mk, mv in merged.value:
                if is_scalar(mk) and str(mk.tag).endswith(":merge"):
                    pending.extend(_merged(mv))
    return None


def _merged(value: Any) -> list[Any]:
    from ruamel.yaml.nodes import SequenceNode

    node = resolved(value)
    items = node.value if isinstance(node, SequenceNode) else [node]
    return [resolved(item) for item in items]


def shared_nodes(root: Any) -> set[int]:
    """The ids of the nodes that an alias repeats."""
    shared: set[int] = set()
    pending = [root] if root is not None else []
    while pending:
        node = pending.pop()
        if isinstance(node, Alias):
            shared.add(id(node.node))
        else:
            pending.extend(children(node))
    return shared


def children(node: Any) -> list[Any]:
    """A collection's keys, values and items as written (aliases as `Alias`)."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, MappingNode):
        return [item for pair in node.value for item in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def is_scalar(node: Any) -> bool:
    from ruamel.yaml.nodes import ScalarNode

    return isinstance(node, ScalarNode)


def is_null(node: Any) -> bool:
    return is_scalar(node) and str(node.tag).endswith(":null")


def is_empty(node: Any) -> bool:
    """Nothing is written for the node (`key:` or `-` alone); its marks are those of the
    next token, maybe on a later line."""
    return is_scalar(node) and node.start_mark.index == node.end_mark.index


def empty_flow_map(node: Any) -> bool:
    from ruamel.yaml.nodes import MappingNode

    return isinstance(node, MappingNode) and bool(node.flow_style) and not node.value


def is_block_scalar(node: Any) -> bool:
    """`node` is a `|` or `>` block scalar."""
    return is_scalar(node) and node.style in ("|", ">")


def is_block(node: Any, kind: type[Any]) -> bool:
    """`node` is a block collection of `kind` (MappingNode, SequenceNode) with items."""
    return isinstance(node, kind) and not node.flow_style and bool(node.value)


def key_column(key: Any, text: str) -> int:
    """The indentation of the mapping that `key` starts: its column, or that of the `?`
    before it (a complex key). Marks count columns without a byte order mark."""
    start: int = key.start_mark.index
    line_start = line_begin(text, start)
    before = text[line_start:start].rstrip(" \t")
    if before.endswith("?") and before[:-1].strip(" \t-") == "":
        return int(key.start_mark.column) - (start - (line_start + len(before) - 1))
    return int(key.start_mark.column)


def indent_step(root: Any, text: str) -> int:
    """The indentation the file uses for nested block mappings (2 when it has none)."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    pending = [root]
    while pending:
        node = pending.pop(0)
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if is_block(value, MappingNode):
                    # the first key's column, not the mapping's (that of its `&anchor`)
                    step = key_column(value.value[0][0], text) - key_column(key, text)
                    if step > 0:
                        return step
                pending.append(value)
        elif isinstance(node, SequenceNode):
            pending.extend(node.value)
    return 2


def line_end(text: str, index: int) -> int:
    """Just past the line break of the line holding `index` (the text's end if none)."""
    found = _BREAK.search(text, index)
    return len(text) if found is None else found.end()


def line_begin(text: str, index: int) -> int:
    """The start of the line holding `index`."""
    return max(text.rfind(char, 0, index) for char in BREAKS) + 1


def lines(text: str) -> list[str]:
    """`text` cut after each line break, which stays on its line."""
    found, start = [], 0
    for match in _BREAK.finditer(text):
        found.append(text[start : match.end()])
        start = match.end()
    return found + ([text[start:]] if start < len(text) else [])


def after_colon(key: Any, text: str) -> int:
    """Just past the `:` that follows `key` (across spaces and comments of a `?` key)."""
    index = _skip_space(text, key.end_mark.index)
    if not text.startswith(":", index):  # not reached for a key that composed
        return text.index(":", key.end_mark.index) + 1
    return index + 1


def content_end(node: Any, text: str) -> int:
    """Just past the last line that `node`'s value depends on: the line of its last
    character, or the last line of a block scalar that its value takes text from.

    A block mapping's content ends with its last value's (with its `:` for a `key:` with
    nothing after it); a block sequence's with its last item's (with its `-` for an
    empty one).
    """
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if is_block(node, MappingNode):
        key, value = node.value[-1]
        if is_empty(value):
            return line_end(text, after_colon(key, text) - 1)
        return content_end(value, text)
    if is_block(node, SequenceNode):
        return content_end(node.value[-1], text)
    if is_block_scalar(node):
        return _block_scalar_end(node, text)
    return line_end(text, max(text_end(node, text) - 1, 0))


def text_end(node: Any, text: str) -> int:
    """Just past the last character written for `node` (not for a `|` or `>` block, whose
    end is `content_end`)."""
    if isinstance(node, Alias):
        return int(node.end_mark.index)
    start: int = node.start_mark.index
    end: int = node.end_mark.index
    return start + len(text[start:end].rstrip(" \t" + BREAKS))


def block_header_end(node: Any, text: str) -> int:
    """Just past the `|` or `>` of a block scalar and its indicators (`|-`, `>2+`)."""
    index = _skip_properties(text, node.start_mark.index) + 1
    while index < len(text) and text[index] in "+-123456789":
        index += 1
    return index


def final_node(node: Any) -> Any:
    """The node whose text ends `node`'s: the deepest last value or item of a block
    mapping or sequence, or `node` itself."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    while is_block(node, MappingNode) or is_block(node, SequenceNode):
        node = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
    return node


def chomping(node: Any, text: str) -> str:
    """A block scalar's chomping indicator: "-" (strip), "+" (keep) or "" (clip)."""
    indicators = text[
        _skip_properties(text, node.start_mark.index) + 1 : block_header_end(node, text)
    ]
    return "+" if "+" in indicators else "-" if "-" in indicators else ""


def _block_scalar_end(node: Any, text: str) -> int:
    """Just past the last line of a `|` or `>` block that its value depends on.

    The block's last lines may hold nothing but spaces. Each is text of the value when it
    is deeper than the block's indentation, and an empty line otherwise (an empty line
    counts only with `+`, which keeps every line break up to the end of the block). Which
    ones are text is read off the value rather than the indentation: after the value's
    last line with a non-space character, each line of the block gives one line of the
    value, and an empty line an empty one.
    """
    header = _skip_properties(text, node.start_mark.index)
    end: int = node.end_mark.index
    if chomping(node, text) == "+":
        return end
    body = line_end(text, header)
    source = lines(text[body:end])
    spaces = [line.rstrip(BREAKS).strip(" ") == "" for line in source]
    last_text = max((i for i, blank in enumerate(spaces) if not blank), default=-1)
    # `\a`: ruamel's mark of a fold; a break is `\n` in the value, or one of these two
    value_lines = re.split("[\n\u2028\u2029]", node.value.replace("\a", ""))
    last_value_text = max((i for i, line in enumerate(value_lines) if line.strip(" ")), default=-1)
    if (last_text < 0) != (last_value_text < 0):
        return end  # not reached: the block and its value disagree; keep all of it
    trailing = source[last_text + 1 :]
    taken = [i for i, line in enumerate(value_lines[last_value_text + 1 :]) if line]
    kept = taken[-1] + 1 if taken else 0
    if kept > len(trailing):
        return end  # not reached, as above
    return body + sum(len(line) for line in source[: last_text + 1 + kept])


def _skip_properties(text: str, index: int) -> int:
    """The index of the node's own first character, after its `&anchor` and `!tag`."""
    index = _skip_space(text, index)
    while index < len(text) and text[index] in "&!":
        while index < len(text) and text[index] not in " \t" + BREAKS:
            index += 1
        index = _skip_space(text, index)
    return index


def _skip_space(text: str, index: int) -> int:
    """The index of the next character that is not white space, a line break or part of a
    comment."""
    while index < len(text):
        if text[index] in " \t\ufeff" + BREAKS:
            index += 1
        elif text[index] == "#":
            index = line_end(text, index)
        else:
            break
    return index


def spelled(node: Any, text: str, limit: int = 40) -> str:
    """How the file writes `node`, in backquotes: its first line, shortened to `limit`
    characters (a block scalar by its `|` or `>` header)."""
    start = _skip_properties(text, node.start_mark.index)
    if is_block_scalar(node):
        return f"`{text[start : block_header_end(node, text)]}`"
    written = text[start : max(start, node.end_mark.index)].strip()
    first = lines(written)[0].rstrip(BREAKS) if written else ""
    if len(first) > limit or first != written:
        first = first[: limit - 3].rstrip() + "..."
    return f"`{first}`"


def duplicate_key_problem(text: str, index: int) -> str | None:
    """What is wrong with the key at `index` that repeats an earlier key of its mapping,
    both keys spelled as the file writes them (ruamel's own message spells them as
    Python does: `True` for `true`, `16` for `0x10`). None when it cannot be told."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.nodes import MappingNode

    try:
        pending = [compose(text)]
    except YAMLError:
        return None
    construct = YAML(typ="safe", pure=True).constructor.construct_object
    while pending:
        node = pending.pop()
        if isinstance(node, MappingNode):
            keys = [resolved(k) for k, _ in node.value]
            for at, key in enumerate(keys):
                if key.start_mark.index != index:
                    continue
                try:  # the same key as ruamel reads them: `true` and `True` are one
                    wanted = _hashable(construct(key, deep=True))
                    first = next(
                        k for k in keys[:at] if _hashable(construct(k, deep=True)) == wanted
                    )
                except (YAMLError, ValueError, TypeError, KeyError, OverflowError, StopIteration):
                    return None
                this, that = spelled(key, text), spelled(first, text)
                line = first.start_mark.line + 1
                how = (
                    f"first at line {line}"
                    if this == that
                    else f"the same as {that} at line {line}"
                )
                return f"found duplicate key {this}, {how}; keep one of them"
        pending.extend(child for child in children(node) if not isinstance(child, Alias))
    return None


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((repr(k), _hashable(v)) for k, v in value.items()))
    return value
