"""The JSON schemas this tool ships, and their errors turned into positioned diagnostics.

`exceptions` is the schema of exceptions.yaml; `policy` the one of the review policy file
(.falco-exceptions.yaml). Both are Draft 2020-12, package data under `schemas/`.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from typing import Any

from falco_exceptions.diagnostics import Diagnostic, Position, error
from falco_exceptions.yamlsource import locate

SCHEMA_ERROR = "FE102"
UNKNOWN_KEY = "FE103"
PLACEHOLDER = "FE104"

_TYPE_NAMES = {
    bool: "a boolean",
    str: "a string",
    int: "a number",
    float: "a number",
    dict: "a mapping",
    list: "a list",
    type(None): "empty (null)",
}


EXCEPTIONS = "exceptions"
POLICY = "policy"
PREFIX_REF = "#/$defs/prefix"  # the {startswith: ...} form of exceptions.yaml values


def schema_text(name: str = EXCEPTIONS) -> str:
    return (
        resources.files("falco_exceptions.schemas")
        .joinpath(f"{name}.schema.json")
        .read_text(encoding="utf-8")
    )


@cache
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(schema_text(name)))


@cache
def _gate(name: str) -> Any:
    from falco_exceptions.schemagate import compile_schema

    return compile_schema(json.loads(schema_text(name)))


def check(
    data: Any, root: Any, display: str, name: str = EXCEPTIONS, source: str | None = None
) -> list[Diagnostic]:
    """Every violation of schema `name` by `data` (plain), located in `root` (the ruamel tree).

    `source`, the file's text, lets a message quote a value as it was written (`0.30`, not
    the number 0.3 YAML read from it).
    """
    return check_paths(data, root, display, name, source)[0]


def check_paths(
    data: Any, root: Any, display: str, name: str = EXCEPTIONS, source: str | None = None
) -> tuple[list[Diagnostic], list[tuple[str | int, ...]]]:
    """`check`, plus the path of every violation (to keep the entries that have none).

    A prepared gate answers first (see `schemagate`); only a document it refuses is
    walked by jsonschema, to word and locate each error.
    """
    gate = _gate(name)
    if gate is not None and gate(data):
        return [], []
    found: list[Diagnostic] = []
    paths: list[tuple[str | int, ...]] = []
    for err in _strictest(_validator(name).iter_errors(data)):
        problems = _describe(err, root, display, source)
        found.extend(problems)
        if problems:
            paths.append(tuple(err.absolute_path))
    return found, paths


def _strictest(errors: Iterable[Any]) -> Iterator[Any]:
    """The errors, an anyOf replaced by what its matching branch says; of several
    maxLength limits on one value (the shared one, the field's own) only the smallest; and
    a value holding a refused character is not also said to miss its pattern."""
    found = list(_branches(errors))
    limits: dict[tuple[str | int, ...], int] = {}
    hidden = set()
    for err in found:
        path = tuple(err.absolute_path)
        if err.validator == "maxLength":
            limits[path] = min(limits.get(path, err.validator_value), err.validator_value)
        if _hidden_character(err):
            hidden.add(path)
    for err in found:
        path = tuple(err.absolute_path)
        if err.validator == "maxLength" and limits[path] != err.validator_value:
            continue
        if err.validator == "pattern" and path in hidden:
            continue  # the character is what is wrong: say only that
        yield err


def _branches(errors: Iterable[Any]) -> Iterator[Any]:
    """A value that matches no branch of an anyOf (a field value: a string, a list of
    strings, or {startswith: ...}) gets the errors of the branch of its own shape, located
    at the value, the list item or the prefix at fault. A value no branch takes (a number,
    a mapping of another shape) keeps the anyOf error, which says what may be written."""
    for err in errors:
        if err.validator != "anyOf":
            yield err
            continue
        by_branch: dict[Any, list[Any]] = {}
        for sub in err.context:
            by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
        if isinstance(err.instance, dict):  # only what is inside a well-formed mapping
            fits = [subs for subs in by_branch.values() if all(s.relative_path for s in subs)]
        else:
            fits = [
                subs
                for subs in by_branch.values()
                if not any(s.validator == "type" and not s.relative_path for s in subs)
            ]
        own = [sub for subs in fits for sub in subs]
        yield from _branches(own) if own else [err]


def _describe(err: Any, root: Any, display: str, source: str | None) -> list[Diagnostic]:
    path: list[str | int] = list(err.absolute_path)
    where = _name(path)
    kind = err.validator
    if kind == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        return [
            error(
                locate(root, [*path, k], display, key=True),
                UNKNOWN_KEY,
                f"unknown key {k!r} in {where or 'the file'}{_did_you_mean(k, allowed)}",
            )
            for k in err.instance
            if k not in allowed
        ]
    if kind == "anyOf" and isinstance(err.instance, dict):
        return [_mapping_value(err, path, root, display, source)]
    at = locate(root, path, display)
    if kind == "required":
        missing = [k for k in err.validator_value if k not in err.instance]
        return [
            error(at, SCHEMA_ERROR, f"{where or 'the file'} is missing required key {k!r}")
            for k in missing
        ]
    hidden = _hidden_character(err)
    if hidden is not None:
        return [error(at, SCHEMA_ERROR, f"{where} {hidden}")]
    if kind == "not" and path and path[-1] == "justification":
        if not isinstance(err.instance, str):
            return []  # the type error says it
        return [
            error(
                at,
                PLACEHOLDER,
                f"justification {err.instance.strip()!r} is a placeholder: "
                "say why this exception is safe, so a reviewer can check it",
            )
        ]
    return [error(at, SCHEMA_ERROR, _message(err, where, _written(source, at)))]


def _hidden_character(err: Any) -> str | None:
    """What to say when a string fails a `not: {pattern: [...]}` of refused characters
    (schemas: $defs visible and prose): the first such character, by its code point."""
    refused = err.validator_value.get("pattern") if err.validator == "not" else None
    if not (isinstance(err.instance, str) and isinstance(refused, str)):
        return None
    if not (refused.startswith("[") and refused.endswith("]")):
        return None  # not a character class (the justification's placeholder words)
    found = re.search(refused, err.instance)
    if found is None:
        return None
    ch = found.group()
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ord(ch), "")
    category = unicodedata.category(ch)
    if category == "Cn" and (ord(ch) & 0xFFFE) != 0xFFFE:
        category = "unassigned"
    kind = _CHARACTER_KINDS.get(category, "an invisible character")
    label = f"U+{ord(ch):04X}" + (f" ({name})" if name else "")
    return (
        f"holds {label}, {kind}: a reviewer cannot see it, so what is reviewed would differ "
        "from what is rendered for Falco; remove it"
    )


_CONTROL_NAMES = {  # Unicode gives control characters no name, only these aliases
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x09: "TAB",
    0x0A: "LINE FEED",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}


_CHARACTER_KINDS = {
    "Cc": "a control character",
    "Cf": "an invisible format character",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
    "Cs": "half of a surrogate pair, which is no character",
    "Cn": "a noncharacter",
    "unassigned": "an unassigned code point that Unicode reserves as invisible",
}


def _written(source: str | None, at: Position) -> str | None:
    """The scalar as written at `at` in `source` (up to a comment, comma or bracket)."""
    if source is None or not at.line:
        return None
    lines = source.splitlines()
    if at.line > len(lines):
        return None
    token = re.split(r"\s#|[,\]}]", lines[at.line - 1][at.col - 1 :], maxsplit=1)[0].strip()
    return token or None


def _type_name(value: Any) -> str:
    for kind, name in _TYPE_NAMES.items():
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return name
    return type(value).__name__


def _message(err: Any, where: str, written: str | None = None) -> str:
    kind, value = err.validator, err.instance
    got = _type_name(value)
    if kind == "const":
        return f"{where} must be {err.validator_value!r}"
    if kind == "enum":
        choices = [str(v) for v in err.validator_value]
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"{where} must be one of {', '.join(choices)}, not {value!r}{hint}"
    if kind == "minimum":
        return f"{where} must be at least {err.validator_value}, not {value!r}"
    if kind == "maximum":
        return f"{where} must be at most {err.validator_value}, not {value!r}"
    if kind == "anyOf":
        hint = _quote_hint(value, written)
        prefix = ", or {startswith: PREFIX}" if _takes_prefix(err) else ""
        return f"{where} must be a string or a list of strings{prefix}, not {got}" + hint
    if kind in ("pattern", "minLength") and isinstance(value, str):
        if not value.strip():
            return f"{where} must not be empty"
        if value != value.strip() and kind == "pattern" and "\\S(" in err.validator_value:
            return (
                f"{where} {value!r} starts or ends with white space, which a reviewer cannot "
                "see; remove it"
            )
        if where.endswith("expires"):
            return f"{where} must be a date written YYYY-MM-DD, not {value!r}"
        if where.endswith("version"):
            return f"{where} must be a Falco version such as 0.26.2, not {value!r}"
        if where.endswith("rulesFiles") or "rulesFiles[" in where:
            return f"{where} must be a rules file name ending in .yaml, not {value!r}"
        if where.endswith(".id") or where.startswith("remove["):
            return (
                f"{where} must be an id of lower-case letters, digits and dashes that starts "
                f"with a letter or digit, such as awsagent-pam, not {value!r}"
            )
        return f"{where} has an invalid value {value!r}"
    if kind == "type":
        expected = err.validator_value
        hint = _quote_hint(value, written) if "string" in str(expected) else ""
        if value is None and expected == "array":
            hint = "; write [] for none"
        return f"{where or 'the file'} must be {_article(expected)}, not {got}" + hint
    if kind == "maxLength":
        why = err.schema.get("$comment")
        return (
            f"{where} is {len(value)} characters long, more than the {err.validator_value} "
            f"allowed{f' ({why})' if why else ''}; shorten it"
        )
    if kind == "minItems":
        return f"{where} must not be an empty list"
    if kind == "uniqueItems":
        return f"{where} lists the same value twice"
    return f"{where}: {err.message}"


def _takes_prefix(err: Any) -> bool:
    return any(alt.get("$ref") == PREFIX_REF for alt in err.schema.get("anyOf", ()))


def _mapping_value(
    err: Any, path: list[str | int], root: Any, display: str, source: str | None
) -> Diagnostic:
    """A field value written as a mapping: only `{startswith: PREFIX | [PREFIXES]}`, and
    only for the fields that take a prefix."""
    where, value = _name(path), err.instance
    if not _takes_prefix(err):
        *most, last = _prefixed_fields()
        fields = f"{', '.join(most)} and {last}"
        return error(
            locate(root, path, display),
            SCHEMA_ERROR,
            f"{where} must be a string or a list of strings, not a mapping; only {fields} "
            "take {startswith: PREFIX}",
        )
    unknown = [str(k) for k in value if k != "startswith"]
    if unknown:
        return error(
            locate(root, [*path, unknown[0]], display, key=True),
            SCHEMA_ERROR,
            f"{where} has the unknown comparison {unknown[0]!r}; write a value or a list "
            "(compared with =) or {startswith: PREFIX} (or a list of prefixes): there is no "
            "other comparison (no contains, no globs)",
        )
    if "startswith" not in value:
        return error(
            locate(root, path, display),
            SCHEMA_ERROR,
            f"{where} is an empty mapping; write {{startswith: PREFIX}}",
        )
    prefixes = value["startswith"]
    inner = f"{where}.startswith"
    at = locate(root, [*path, "startswith"], display)
    if isinstance(prefixes, list):
        return error(at, SCHEMA_ERROR, _list_problem(prefixes, inner))
    if isinstance(prefixes, str):
        return error(at, SCHEMA_ERROR, f"{inner} must not be empty")
    got = _type_name(prefixes)
    return error(
        at,
        SCHEMA_ERROR,
        f"{inner} must be a string or a list of strings, not {got}"
        + _quote_hint(prefixes, _written(source, at)),
    )


@cache
def _prefixed_fields() -> tuple[str, ...]:
    entry = json.loads(schema_text(EXCEPTIONS))["$defs"]["exception"]["properties"]
    refs = {k: v.get("$ref") for k, v in entry.items()}
    return tuple(k for k, ref in refs.items() if ref == "#/$defs/values-or-prefix")


def _list_problem(items: list[Any], where: str) -> str:
    if not items:
        return f"{where} must not be an empty list"
    for i, item in enumerate(items):
        if not isinstance(item, str):
            return f"{where}[{i}] must be a string, not {_type_name(item)}" + _quote_hint(item)
        if not item.strip():
            return f"{where}[{i}] must not be empty"
    return f"{where} lists the same value twice"


def _quote_hint(value: Any, written: str | None = None) -> str:
    if isinstance(value, bool | int | float):
        text = written if written and not written.startswith(("'", '"')) else str(value)
        return f"; quote it if you mean the text ('{text}')"
    return ""


def _article(expected: Any) -> str:
    names = {
        "object": "a mapping",
        "array": "a list",
        "string": "a string",
        "integer": "a whole number",
    }
    if isinstance(expected, str):
        return names.get(expected, expected)
    return " or ".join(names.get(e, e) for e in expected)


def _name(path: list[str | int]) -> str:
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += ("." if out else "") + step
    return out


def _did_you_mean(key: str, allowed: list[str]) -> str:
    """A hint for an unknown key: only keys of the schema, and a Falco field name is never
    turned into a different field without saying so (proc_name is proc.name written
    another way; proc.sname is another field)."""
    if re.fullmatch(r"FE\d{3}", key):  # a code is not a typo of a near code
        return f"; the codes that can be set here: {', '.join(allowed)}"
    normal = {a.replace(".", "_").lower(): a for a in allowed}
    match = normal.get(key.replace(".", "_").replace("-", "_").lower())
    if match:
        return f'; did you mean "{match}"?'
    from falco_exceptions.falco.fields import NAMES, OTHER_FIELDS

    fields = [a for a in allowed if a in NAMES]
    if fields and key in OTHER_FIELDS:
        return f"; {key} is a Falco field this file does not take: it {OTHER_FIELDS[key]}"
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close and fields and _FIELD_SHAPE.fullmatch(key):
        return (
            f'; did you mean "{close[0]}"? (if {key} is the Falco field you meant, it is a '
            f"different one, which this file does not take)"
        )
    if close:
        return f'; did you mean "{close[0]}"?'
    return f"; allowed keys: {', '.join(allowed)}"


_FIELD_SHAPE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_\[\]]+)+")
