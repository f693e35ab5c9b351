"""A prepared yes/no validator for the shipped JSON schemas, so a valid file costs little.

`jsonschema` walks the schema anew for every value (10,000 entries take seconds) because
it must explain each failure. Most files are valid, so `schema.check` first asks this
gate, built once per schema: the schema's keywords compiled into nested Python closures
that answer only "valid or not". Only a file the gate refuses goes through `jsonschema`,
which finds, words and locates every error.

The gate knows the keywords our schemas use. A schema with any other keyword gets no
gate (`compile_schema` returns None) and every file goes through `jsonschema`, so the
gate can make a check faster, never weaker. Its semantics follow JSON Schema: booleans
are not numbers, 1 equals 1.0, `pattern` searches, `items` is one schema for all items.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples"}
)
_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
}


class _Unsupported(Exception):
    pass


def compile_schema(schema: dict[str, Any]) -> Check | None:
    """A function telling whether an instance is valid; None when the schema uses a
    keyword this gate does not know (then there is no shortcut)."""
    refs: dict[str, Check] = {}
    try:
        return _compile(schema, schema, refs)
    except _Unsupported:
        return None


def _compile(node: Any, root: dict[str, Any], refs: dict[str, Check]) -> Check:
    if node is True:
        return lambda v: True
    if node is False:
        return lambda v: False
    if not isinstance(node, dict):
        raise _Unsupported(str(node))
    checks: list[Check] = []
    if {"properties", "additionalProperties", "required"} & node.keys():
        checks.append(_object(node, root, refs))
    for keyword, value in node.items():
        if keyword in _ANNOTATIONS or keyword in _OBJECT:
            continue
        checks.append(_keyword(keyword, value, root, refs))
    if len(checks) == 1:
        return checks[0]

    def every(v: Any) -> bool:
        for check in checks:  # noqa: SIM110 (a loop: no generator per value on the hot path)
            if not check(v):
                return False
        return True

    return every


_OBJECT = frozenset({"properties", "additionalProperties", "required"})


def _object(node: dict[str, Any], root: dict[str, Any], refs: dict[str, Check]) -> Check:
    """properties, additionalProperties and required in one pass over a mapping."""
    if node.get("patternProperties"):
        raise _Unsupported("patternProperties")
    props = {k: _compile(s, root, refs) for k, s in node.get("properties", {}).items()}
    extra = None
    if "additionalProperties" in node:
        extra = _compile(node["additionalProperties"], root, refs)
    required = tuple(node.get("required", ()))

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        for k in required:
            if k not in v:
                return False
        for k, item in v.items():
            prop = props.get(k)
            if prop is not None:
                if not prop(item):
                    return False
            elif extra is not None and not extra(item):
                return False
        return True

    return check


def _keyword(keyword: str, value: Any, root: dict[str, Any], refs: dict[str, Check]) -> Check:
    def sub(schema: Any) -> Check:
        return _compile(schema, root, refs)

    if keyword == "type":
        names = [value] if isinstance(value, str) else list(value)
        tests = [_TYPES[n] for n in names]
        if len(tests) == 1:
            return tests[0]
        return lambda v: any(t(v) for t in tests)
    if keyword == "const":
        return lambda v: _equal(v, value)
    if keyword == "enum":
        return lambda v: any(_equal(v, option) for option in value)
    if keyword == "pattern":
        search = re.compile(value).search
        return lambda v: not isinstance(v, str) or search(v) is not None
    if keyword in ("minLength", "maxLength", "minItems", "maxItems"):
        kind = str if keyword.endswith("Length") else list
        at_least = keyword.startswith("min")
        return lambda v: (
            not isinstance(v, kind) or (len(v) >= value if at_least else len(v) <= value)
        )
    if keyword in ("minimum", "maximum"):
        low = keyword == "minimum"
        number = _TYPES["number"]
        return lambda v: not number(v) or (v >= value if low else v <= value)
    if keyword == "uniqueItems":
        return lambda v: not value or not isinstance(v, list) or _unique(v)
    if keyword == "items" and isinstance(value, dict | bool):
        each = sub(value)
        return lambda v: not isinstance(v, list) or all(each(item) for item in v)
    if keyword in ("anyOf", "oneOf", "allOf"):
        options = [sub(s) for s in value]
        if keyword == "anyOf":
            return lambda v: any(o(v) for o in options)
        if keyword == "allOf":
            return lambda v: all(o(v) for o in options)
        return lambda v: sum(1 for o in options if o(v)) == 1
    if keyword == "not":
        inner = sub(value)
        return lambda v: not inner(v)
    if keyword == "$ref" and isinstance(value, str) and value.startswith("#/"):
        return _ref(value, root, refs)
    raise _Unsupported(keyword)


def _ref(pointer: str, root: dict[str, Any], refs: dict[str, Check]) -> Check:
    if pointer not in refs:
        target: Any = root
        for part in pointer[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        refs[pointer] = lambda v: compiled(v)  # a recursive schema finds itself here
        compiled = _compile(target, root, refs)
        refs[pointer] = compiled
    found = refs[pointer]
    return lambda v: found(v)


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1, 1 is 1.0, containers compare item by item."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list | dict | str) or isinstance(b, list | dict | str):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _unique(items: list[Any]) -> bool:
    if all(isinstance(i, str) for i in items):
        return len(set(items)) == len(items)
    return not any(_equal(x, y) for i, x in enumerate(items) for y in items[i + 1 :])
