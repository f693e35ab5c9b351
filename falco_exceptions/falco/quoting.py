"""Write a value into a Falco condition so the engine reads back exactly that value.

Falco's loader wraps an exception value in double quotes only when it holds a space and
does not already start with a quote, and escapes nothing; so this module pre-quotes
values in the way the version's parser reads them.

- C++ parser (0.32+): every value in `"..."`, with `\\\\`, `\\"`, `\\n`, `\\t`, `\\r`,
  `\\b`, `\\f` escapes (verified on 0.44.1: a quoted value is never expanded as a list).
- Lua parser (<= 0.31): the raw text between the quotes, no escapes at all; so a plain
  word stays bare and any other value is written in the quote kind it does not contain. A
  value holding both kinds or a control character cannot be written; nor, since that era
  substitutes list names into the condition text before parsing, a value naming a list.
- Every generation: a value that ends in a backslash is refused. The Lua parser reads it
  as escaping the closing quote, and the C++ parser (verified on 0.35.1 and 0.44.1) fails
  to compile `"back\\\\"` while it reads `"a\\\\b"` fine (falco-facts.md section 5).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from falco_exceptions.falco.versions import Parser

_SAFE_WORD = re.compile(r"^[A-Za-z_/][A-Za-z0-9_./-]*$")
_KEYWORDS = frozenset(
    {
        *("and", "or", "not", "in", "intersects", "pmatch", "contains", "icontains"),
        *("bcontains", "startswith", "bstartswith", "endswith", "glob", "iglob"),
        *("exists", "regex", "val"),
    }
)
_CPP_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\b": "\\b",
    "\f": "\\f",
}
_LIST_DELIMITERS = r"[\s(),=]"


class Unrepresentable(ValueError):
    """The value cannot be written for this parser; str() says why."""


def literal(value: str, parser: Parser, names: Collection[str]) -> str:
    """The condition text for `value`; `names` are the ruleset's list names."""
    if not value:
        raise Unrepresentable("an empty value cannot be matched")
    if value.endswith("\\"):
        raise Unrepresentable(
            "it ends in a backslash, which no Falco version can load in a condition "
            "(0.26-0.31 read it as escaping the closing quote, 0.32 and newer fail to "
            "compile it)"
        )
    if parser is Parser.LUA:
        return _lua(value, names)
    return _cpp(value)


def is_bare(value: str, names: Collection[str]) -> bool:
    return bool(_SAFE_WORD.match(value)) and value.lower() not in _KEYWORDS and value not in names


# Printable and free of what _cpp escapes (no quote, no backslash): quoted as it is.
_CPP_AS_IS = re.compile(r'[^\x00-\x1f"\\\x7f-\x9f\ud800-\udfff\ufffe\uffff]*')  # negated: quick


def _cpp(value: str) -> str:
    """Always quoted: a bare word could name a list defined elsewhere (another customRules
    file, a newer release of a floating ruleset), which Falco would then expand."""
    if _CPP_AS_IS.fullmatch(value):
        return f'"{value}"'
    out = []
    for ch in value:
        if ch in _CPP_ESCAPES:
            out.append(_CPP_ESCAPES[ch])
        elif not _printable(ch):
            raise Unrepresentable(f"it holds the unprintable character U+{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _printable(ch: str) -> bool:
    """In YAML's printable set (so the rules file can hold it) and not a control character."""
    o = ord(ch)
    return 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or o >= 0x10000


def _lua(value: str, names: Collection[str]) -> str:
    clash = _first_list_named(value, names)
    if clash is not None:
        raise Unrepresentable(
            f"it names the list {clash!r}, which Falco <= 0.31 substitutes into the condition "
            "text before parsing; Falco 0.32 or newer can express it"
        )
    if is_bare(value, names):
        return value
    bad = next((ch for ch in value if not _printable(ch)), None)
    if bad is not None:
        raise Unrepresentable(f"it holds the unprintable character U+{ord(bad):04X}")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    raise Unrepresentable(
        "it holds both kinds of quote, which the Falco <= 0.31 parser cannot read inside "
        "one string; Falco 0.32 or newer can express it"
    )


def _first_list_named(value: str, names: Collection[str]) -> str | None:
    """The first (sorted) of `names` that `value` names as a whole word, if any.

    Split into words once rather than searched once per name (a ruleset has hundreds of
    lists); a name that holds a delimiter itself is still searched for.
    """
    found = [word for word in set(re.split(_LIST_DELIMITERS, value)) if word in names]
    found += [name for name in _odd_names(names) if _names_list(value, name)]
    return min(found) if found else None


_ODD: dict[int, tuple[Collection[str], list[str]]] = {}


def _odd_names(names: Collection[str]) -> list[str]:
    """Names that are no single word (empty, or holding a delimiter), per collection."""
    known = _ODD.get(id(names))
    if known is None or known[0] is not names:
        odd = [n for n in names if not n or re.search(_LIST_DELIMITERS, n)]
        known = _ODD[id(names)] = (names, odd)
    return known[1]


def _names_list(value: str, name: str) -> bool:
    pattern = rf"(?:^|{_LIST_DELIMITERS}){re.escape(name)}(?:$|{_LIST_DELIMITERS})"
    return re.search(pattern, value) is not None
