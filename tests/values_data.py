"""The check shared by the values-editor tests: two values files hold the same data but
for the managed key."""

from __future__ import annotations

import copy
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.nodes import MappingNode, SequenceNode

KEY = "falco-exceptions.yaml"
_MISSING = object()


class _Constructor(SafeConstructor):
    """A value under a tag that the safe loader does not know reads as (tag, value)."""

    def construct_undefined(self, node: Any) -> Any:
        if isinstance(node, MappingNode):
            return (str(node.tag), self.construct_mapping(node, deep=True))
        if isinstance(node, SequenceNode):
            return (str(node.tag), self.construct_sequence(node, deep=True))
        return (str(node.tag), self.construct_scalar(node))


_Constructor.add_constructor(None, _Constructor.construct_undefined)


def load(text: str) -> Any:
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = _Constructor
    return yaml.load(text)


def managed(data: Any, path: tuple[str, ...]) -> Any:
    """The managed key's value in `data`."""
    for key in path:
        data = data[key]
    return data[KEY]


def without_managed_key(before: Any, after: Any, path: tuple[str, ...]) -> tuple[Any, Any]:
    """The data of a values file before and after its edit, each without the managed key;
    a mapping on the path that the edit created or filled (missing, null or `{}` before)
    is put back as it was."""
    before = copy.deepcopy(before) if isinstance(before, dict) else {}
    after = copy.deepcopy(after)
    node, old = before, before
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(KEY, None)
    node, old = after, before
    trail = []
    for key in path:
        old = old.get(key, _MISSING) if isinstance(old, dict) else _MISSING
        trail.append((node, key, old))
        node = node[key]
    del node[KEY]
    for parent, key, was in reversed(trail):
        if parent[key] == {} and was is _MISSING:
            del parent[key]
        elif parent[key] == {} and was is None:
            parent[key] = None
    return before, after
