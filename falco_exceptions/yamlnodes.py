"""Questions about composed YAML nodes (ruamel's node tree, with marks) that the values
editor asks before it splices text: where a key is, whether a node is shared through an
anchor or comes from a merge key, and which indentation step the file uses.
"""

from __future__ import annotations

from typing import Any


def lookup(mapping: Any, key: str) -> tuple[Any, Any] | None:
    for k, v in mapping.value:
        if is_scalar(k) and k.value == key:
            return k, v
    return None


def merge_key_holding(mapping: Any, key: str) -> Any | None:
    """The `<<` key of `mapping` whose merged mappings hold `key`, if there is one."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    for k, v in mapping.value:
        if not (is_scalar(k) and str(k.tag).endswith(":merge")):
            continue
        pending = list(v.value) if isinstance(v, SequenceNode) else [v]
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
                    pending.extend(mv.value if isinstance(mv, SequenceNode) else [mv])
    return None


def shared_nodes(root: Any) -> set[int]:
    """The ids of the nodes that appear more than once (an anchor and its aliases)."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    seen: set[int] = set()
    shared: set[int] = set()
    pending = [root] if root is not None else []
    while pending:
        node = pending.pop()
        if id(node) in seen:
            shared.add(id(node))
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            pending.extend(item for pair in node.value for item in pair)
        elif isinstance(node, SequenceNode):
            pending.extend(node.value)
    return shared


def is_scalar(node: Any) -> bool:
    from ruamel.yaml.nodes import ScalarNode

    return isinstance(node, ScalarNode)


def is_null(node: Any) -> bool:
    return is_scalar(node) and str(node.tag).endswith(":null")


def empty_flow_map(node: Any) -> bool:
    from ruamel.yaml.nodes import MappingNode

    return isinstance(node, MappingNode) and bool(node.flow_style) and not node.value


def indent_step(root: Any) -> int:
    """The indentation the file uses for nested block mappings (2 when it has none)."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    pending = [root]
    while pending:
        node = pending.pop(0)
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if value.start_mark.index < key.end_mark.index:  # an alias
                    continue
                if isinstance(value, MappingNode) and not value.flow_style and value.value:
                    # the first key's column, not the mapping's (that of its `&anchor`)
                    step = value.value[0][0].start_mark.column - key.start_mark.column
                    if step > 0:
                        return int(step)
                pending.append(value)
        elif isinstance(node, SequenceNode):
            pending.extend(node.value)
    return 2
