"""Read an exceptions (or policy) file fast, keeping the line and column of every value.

libyaml's C parser and composer (the `ruamel.yaml.clib` package) turn the text into a tree
of nodes that carry their marks; one pass then builds plain data (str, int, float, bool,
None, list, dict) from it. libyaml reads YAML 1.1: text it refuses is read again by
ruamel's YAML 1.2 parser, which accepts what 1.2 allows (`[falco-rules:5]`) and words
what is really wrong. Ten thousand entries compose in well under a second this way,
against several seconds for ruamel's pure-Python round-trip loader, which is still used
where comments must survive (values files). Without the C extension the same tree comes
from ruamel's pure-Python parser and composer: slower, with the same results and messages.

What an exceptions file has no use for is refused at its place, never half-read: tags
other than YAML's own (`!!python/object/apply:...` builds nothing), a key twice in one
mapping, an alias that contains itself, aliases that expand to more than MAX_ALIASED
values (an alias bomb; the entries themselves do not count), and nesting deeper than
MAX_DEPTH. Aliases and merge keys (`<<: *base`) otherwise work as YAML defines them, and
a problem inside an aliased entry is reported where the alias stands.

Timestamps stay text: a date is checked to exist and kept as `YYYY-MM-DD`; anything longer
is kept as written, for the schema to judge.
"""

from __future__ import annotations

import datetime
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ruamel.yaml.nodes import ScalarNode, SequenceNode

from falco_exceptions.diagnostics import Diagnostic, Position, error
from falco_exceptions.yamlerrors import PREFIX, describe

YAML_SYNTAX = "FE101"
MAX_DEPTH = 64  # an exceptions file nests four levels deep
MAX_ALIASED = 100_000  # values that aliases may add by repeating what they name
# libyaml's composer recurses in C: about 50,000 levels crash the process. Text that could
# nest deeper than this is refused before it is composed.
_COMPOSE_GUARD = 1_000

_CORE = "tag:yaml.org,2002:"
STR, NULL, BOOL, INT, FLOAT = (f"{_CORE}{t}" for t in ("str", "null", "bool", "int", "float"))
TIMESTAMP, MERGE, SEQ, MAP = (f"{_CORE}{t}" for t in ("timestamp", "merge", "seq", "map"))
_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
_BRACKETS = re.compile(r"[\[\]{}]")


@dataclass
class Source:
    """A document's plain data, and where each of its values stands in the file."""

    display: str
    data: Any
    root: Any  # the composed node tree (None for an empty file)
    # (id of a collection node, index or key) -> (line, col) of an alias standing there
    alias_marks: dict[tuple[int, Any], tuple[int, int]] = field(default_factory=dict)
    _walks: dict[tuple[str | int, ...], Any] = field(default_factory=dict, repr=False)

    def at(self, path: list[str | int], *, key: bool = False) -> Position:
        """Position of the value at `path` (of its key when `key`), or its nearest parent.

        An empty (null) value has no place of its own: its key stands for it. Below an
        alias (or a key merged in with `<<`), everything is where that alias stands.
        """
        _, spot, _, _ = self._walk(path, key=key)
        return Position(self.display, *spot)

    def positions(
        self, path: list[str | int], only: str | None = None, unwrap: str | None = None
    ) -> dict[str, Position]:
        """Each key's value position in the mapping at `path`, and each item of its list
        values as `key[i]`, in one pass (what an entry needs); with `only`, just that key
        and its items. A value that is a mapping holding `unwrap` stands for that key's
        value (`proc.name: {startswith: [a, b]}`: `proc.name[1]` is `b`)."""
        node, spot, pinned, complete = self._walk(path)
        if not complete:
            return {}
        out: dict[str, Position] = {}
        for knode, vnode, merge in _pairs(node):
            name = str(knode.value)
            if name in out or (only is not None and name != only):
                continue
            owner, value = node, vnode
            inner = _unwrapped(vnode, unwrap)
            if inner is not None:
                owner, knode, value = vnode, inner[0], inner[1]
                name_in_owner = str(knode.value)
            else:
                name_in_owner = name
            here = spot if pinned else self._value_spot(owner, name_in_owner, knode, value, merge)
            out[name] = Position(self.display, *here)
            if type(value) is SequenceNode:
                for j, item in enumerate(value.value):
                    at = here if pinned or merge else self._item_spot(value, j, item)
                    out[f"{name}[{j}]"] = Position(self.display, *at)
            if only is not None:
                break
        return out

    def lazy_positions(
        self, path: list[str | int], unwrap: str | None = None
    ) -> Mapping[str, Position]:
        """`positions(path)`, worked out on first use (most entries never need them)."""
        return _LazyPositions(self, path, unwrap)

    def _walk(
        self, path: list[str | int], *, key: bool = False
    ) -> tuple[Any, tuple[int, int], bool, bool]:
        """(node, its position, whether an alias pinned the position, path found whole)."""
        if not key:
            known = self._walks.get(tuple(path))
            if known is None:
                known = self._walks[tuple(path)] = self._walk_from_root(path)
            return known
        return self._walk_from_root(path, key=True)

    def _walk_from_root(
        self, path: list[str | int], *, key: bool = False
    ) -> tuple[Any, tuple[int, int], bool, bool]:
        node = self.root
        spot = _mark(node) if node is not None else (1, 1)
        pinned = False
        for i, step in enumerate(path):
            found = self._step(node, step, key=key and i == len(path) - 1)
            if found is None:
                return node, spot, pinned, False
            node, here, via_alias = found
            spot = spot if pinned else here
            pinned = pinned or via_alias
        return node, spot, pinned, True

    def _step(
        self, node: Any, step: str | int, *, key: bool = False
    ) -> tuple[Any, tuple[int, int], bool] | None:
        kind = _kind(node)
        if kind == "seq" and isinstance(step, int) and 0 <= step < len(node.value):
            child = node.value[step]
            alias = self.alias_marks.get((id(node), step))
            return child, alias or _mark(child), alias is not None
        if kind == "map":
            for knode, vnode, merge in _pairs(node):
                if str(knode.value) == str(step):
                    if key and merge is None:
                        return vnode, _mark(knode), False
                    spot = self._value_spot(node, str(step), knode, vnode, merge)
                    return (
                        vnode,
                        spot,
                        merge is not None or (id(node), str(step)) in self.alias_marks,
                    )
        return None

    def _value_spot(
        self, node: Any, name: str, knode: Any, vnode: Any, merge: Any
    ) -> tuple[int, int]:
        if merge is not None:  # brought in by `<<: *base`: where that alias stands
            return self.alias_marks.get((id(node), "<<")) or _mark(merge)
        alias = self.alias_marks.get((id(node), name))
        return alias or (_mark(knode) if _is_null(vnode) else _mark(vnode))

    def _item_spot(self, seq: Any, index: int, item: Any) -> tuple[int, int]:
        return self.alias_marks.get((id(seq), index)) or _mark(item)


class _LazyPositions(Mapping[str, Position]):
    """An entry's value positions, looked up when a diagnostic asks (one key at a time);
    all of them only when someone iterates."""

    def __init__(self, source: Source, path: list[str | int], unwrap: str | None) -> None:
        self._source, self._path, self._unwrap = source, path, unwrap
        self._some: dict[str, Position] = {}
        self._all: dict[str, Position] | None = None

    def __getitem__(self, key: str) -> Position:
        if self._all is not None:
            return self._all[key]
        if key not in self._some:
            name = key.split("[", 1)[0] if key.endswith("]") else key
            self._some.update(self._source.positions(self._path, name, self._unwrap))
        return self._some[key]

    def _every(self) -> dict[str, Position]:
        if self._all is None:
            self._all = self._source.positions(self._path, unwrap=self._unwrap)
        return self._all

    def __iter__(self) -> Iterator[str]:
        return iter(self._every())

    def __len__(self) -> int:
        return len(self._every())


def compose(text: str, display: str, *, pure: bool = False) -> Source | Diagnostic:
    """The document in `text` (one; empty is None), or a diagnostic at the offending place.

    `pure` forces ruamel's pure-Python parser (what runs when the C extension is missing).
    """
    deep = _too_deep(text)
    if deep is not None:
        line, col = _line_col(text, deep)
        return error(Position(display, line, col), YAML_SYNTAX, _deep_message())
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    _Resolver._setup()
    c_parser = None if pure else _c_parser()
    try:
        try:
            root = _compose_c(c_parser, text) if c_parser else _compose_pure(text)
        except YAMLError:
            if c_parser is None:
                raise
            # libyaml reads YAML 1.1, which refuses some YAML 1.2 text (`[falco-rules:5]`,
            # a colon in a flow scalar): the pure parser is the judge of what is wrong.
            c_parser = None
            root = _compose_pure(text)
    except (MarkedYAMLError, YAMLError) as exc:
        problem = describe(exc, text)
        return error(Position(display, problem.line, problem.col), YAML_SYNTAX, problem.message)
    except _DuplicateAnchor as exc:
        line, col = exc.where
        message = (
            PREFIX + "this anchor name is already defined above; give each anchor its own name"
        )
        return error(Position(display, line, col), YAML_SYNTAX, message)
    except RecursionError:
        return error(Position(display), YAML_SYNTAX, _deep_message())
    builder = _Builder(text, c_parser, has_aliases="*" in text and "&" in text)
    try:
        data = None if root is None else builder.build(root, 0)
    except _Refused as exc:
        line, col = exc.where
        return error(Position(display, line, col), YAML_SYNTAX, exc.message)
    return Source(display, data, root, builder.alias_marks)


def _deep_message() -> str:
    return (
        f"the YAML nests deeper than {MAX_DEPTH} levels; an exceptions file needs four: "
        "check the indentation and the brackets"
    )


def c_extension() -> str | None:
    """Which C extension composes (`ruamel.yaml.clib`, `ruamel.yaml.clibz`), or None."""
    parser = _c_parser()
    if parser is None:
        return None
    return "ruamel.yaml.clibz" if "clibz" in parser.__module__ else "ruamel.yaml.clib"


def _c_parser() -> Any:
    try:
        from _ruamel_yaml import CParser  # ruamel.yaml.clib

        return CParser
    except ImportError:
        pass
    try:
        from _ruamel_yaml_clibz import CParser  # ruamel.yaml.clibz (ruamel.yaml[libyaml])

        return CParser
    except ImportError:
        return None


# -- composing ---------------------------------------------------------------------------


class _DuplicateAnchor(Exception):
    def __init__(self, where: tuple[int, int]) -> None:
        self.where = where


def _resolvers(tags: dict[str, Any]) -> dict[str, list[tuple[Any, Any]]]:
    """YAML 1.2 implicit types of plain scalars (ruamel's own table), by first character;
    one shared Tag object per tag, added to `tags`."""
    from ruamel.yaml.resolver import implicit_resolvers
    from ruamel.yaml.tag import Tag

    table: dict[str, list[tuple[Any, Any]]] = {}
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            shared = tags.setdefault(tag, Tag(suffix=tag))
            for char in first:
                table.setdefault(char, []).append((shared, regexp))
    return table


class _Resolver:
    """Implicit tags for the composer, without ruamel's per-scalar version lookups.

    Every implicit tag is one shared object, so a node's tag is known by identity
    (`_tag`) instead of by formatting it (ruamel's Tag.__str__ is slow)."""

    _table: ClassVar[dict[str, list[tuple[Any, Any]]] | None] = None
    _tags: ClassVar[dict[str, Any]] = {}
    _names: ClassVar[dict[int, str]] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        table, tags = _Resolver._setup()
        if value is not None and implicit[0]:
            for tag, regexp in table.get(value[:1], ()):
                if regexp.match(value):
                    return tag
        if value is not None:
            return tags[STR]
        return tags[SEQ] if kind is SequenceNode else tags[MAP]

    @staticmethod
    def _setup() -> tuple[dict[str, list[tuple[Any, Any]]], dict[str, Any]]:
        if _Resolver._table is None:
            from ruamel.yaml.tag import Tag

            tags = {t: Tag(suffix=t) for t in (STR, SEQ, MAP)}
            _Resolver._table = _resolvers(tags)
            _Resolver._tags = tags
            _Resolver._names = {id(shared): name for name, shared in tags.items()}
        return _Resolver._table, _Resolver._tags

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


def _compose_c(c_parser: Any, text: str) -> Any:
    class Loader(c_parser, _Resolver):  # type: ignore[misc]
        pass

    return Loader(text).get_single_node()


def _compose_pure(text: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import ReusedAnchorWarning
    from ruamel.yaml.resolver import BaseResolver

    class Resolver(_Resolver, BaseResolver):
        processing_version = (1, 2)

        def __init__(self, version: Any = None, loader: Any = None, loadumper: Any = None):
            BaseResolver.__init__(self, loader or loadumper)

    yaml = YAML(typ="safe", pure=True)
    yaml.Resolver = Resolver
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReusedAnchorWarning)
        root = yaml.compose(text)
    for warned in caught:
        # ruamel warns (libyaml refuses): the second occurrence is the one to fix
        second = re.findall(r"line (\d+), column (\d+)", str(warned.message))
        if second:
            raise _DuplicateAnchor((int(second[-1][0]), int(second[-1][1])))
    return root


def _alias_marks(text: str, c_parser: Any) -> Iterator[tuple[int, int]]:
    """Where each alias stands, in document order (only read when a file has aliases)."""
    if c_parser is not None:

        class Events(c_parser, _Resolver):  # type: ignore[misc]
            pass

        parser = Events(text)
        while True:
            event = parser.get_event()
            name = type(event).__name__
            if name == "AliasEvent":
                yield event.start_mark.line + 1, event.start_mark.column + 1
            elif name == "StreamEndEvent":
                return
    from ruamel.yaml import YAML

    for event in YAML(typ="safe", pure=True).parse(text):
        if type(event).__name__ == "AliasEvent":
            yield event.start_mark.line + 1, event.start_mark.column + 1


def _too_deep(text: str) -> int | None:
    """Index of a place where `text` could nest deeper than the composer can take."""
    block = re.search(rf"^[ ?-]{{{_COMPOSE_GUARD},}}", text, re.M)
    if block:
        return block.start()
    if text.count("[") + text.count("{") <= _COMPOSE_GUARD:
        return None
    depth, first_too_deep = 0, None
    for found in _BRACKETS.finditer(text):
        if found.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH and first_too_deep is None:
                first_too_deep = found.start()  # the place to show
            if depth > _COMPOSE_GUARD:
                return first_too_deep
        elif depth:
            depth -= 1
            if depth <= MAX_DEPTH:
                first_too_deep = None
    return None


def _line_col(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


# -- building plain data -----------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, where: tuple[int, int], message: str) -> None:
        self.where = where
        self.message = message


class _Builder:
    """Plain data from the node tree, in document order (so aliases meet their marks)."""

    def __init__(self, text: str, c_parser: Any, *, has_aliases: bool) -> None:
        self.text = text
        self.c_parser = c_parser
        self.has_aliases = has_aliases
        self.built: dict[int, Any] = {}  # id(node) -> its value (only when there are aliases)
        self.open: set[int] = set()  # collections being built (an alias to one is a loop)
        self.sizes: dict[int, int] = {}
        self.aliased = 0
        self.alias_marks: dict[tuple[int, Any], tuple[int, int]] = {}
        self._marks: Iterator[tuple[int, int]] | None = None

    def build(self, node: Any, depth: int, parent: Any = None, step: Any = None) -> Any:
        if depth > MAX_DEPTH:
            raise _Refused(_mark(node), _deep_message())
        if self.has_aliases:
            ident = id(node)
            if ident in self.built or ident in self.open:
                return self._alias(node, parent, step)
        kind = type(node)
        if kind is ScalarNode:
            value = self._scalar(node)
        elif kind is SequenceNode:
            self._expect_tag(node, SEQ)
            value = []
            self._open(node, value)
            for i, item in enumerate(node.value):
                value.append(self.build(item, depth + 1, node, i))
        else:
            self._expect_tag(node, MAP)
            value = {}
            self._open(node, value)
            self._mapping(node, value, depth)
        if self.has_aliases:
            self.open.discard(id(node))
            self.built[id(node)] = value
        return value

    def _open(self, node: Any, value: Any) -> None:
        if self.has_aliases:
            self.open.add(id(node))

    def _mapping(self, node: Any, value: dict[str, Any], depth: int) -> None:
        merged: list[dict[str, Any]] = []
        first: dict[str, Any] = {}
        for knode, vnode in node.value:
            if _tag(knode) == MERGE:
                merged.extend(self._merge(vnode, node, depth))
                continue
            key = self.build(knode, depth + 1)
            name = key if isinstance(key, str) else _key_text(key)
            if name in first:
                raise _Refused(
                    _mark(knode),
                    PREFIX + f"key {name!r} appears twice in this mapping (first on line "
                    f"{_mark(first[name])[0]}); keep one of them",
                )
            first[name] = knode
            value[name] = self.build(vnode, depth + 1, node, name)
        for source in merged:  # keys written in the mapping win; then the first merged
            for name, item in source.items():
                value.setdefault(name, item)

    def _merge(self, vnode: Any, parent: Any, depth: int) -> list[dict[str, Any]]:
        built = self.build(vnode, depth + 1, parent, "<<")
        sources = built if isinstance(built, list) else [built]
        if not sources or not all(isinstance(s, dict) for s in sources):
            raise _Refused(
                self.alias_marks.get((id(parent), "<<")) or _mark(vnode),
                "a merge key (<<) takes a mapping, or a list of mappings, to merge "
                "into this one (an alias such as *base); write the keys out instead",
            )
        return sources

    def _alias(self, node: Any, parent: Any, step: Any) -> Any:
        if self._marks is None:
            self._marks = _alias_marks(self.text, self.c_parser)
        where = next(self._marks, _mark(node))
        if parent is not None:
            self.alias_marks[(id(parent), step)] = where
        if id(node) in self.open:
            raise _Refused(
                where,
                "this alias stands inside the list or mapping it names, a loop no "
                "file needs; write the value out",
            )
        self.aliased += self._size(node)
        if self.aliased > MAX_ALIASED:
            raise _Refused(
                where,
                f"the aliases (*name) expand to more than {MAX_ALIASED:,} values "
                "(an alias bomb?); write the values out",
            )
        return self.built[id(node)]

    def _size(self, node: Any) -> int:
        """Values a node stands for once aliases inside it are expanded (memoised)."""
        known = self.sizes.get(id(node))
        if known is not None:
            return known
        kind = _kind(node)
        if kind == "scalar":
            total = 1
        elif kind == "seq":
            total = 1 + sum(self._size(item) for item in node.value)
        else:
            total = 1 + sum(self._size(k) + self._size(v) for k, v in node.value)
        self.sizes[id(node)] = min(total, MAX_ALIASED + 1)
        return self.sizes[id(node)]

    def _expect_tag(self, node: Any, tag: str) -> None:
        if _tag(node) != tag:
            raise _Refused(_mark(node), _tag_message(_tag(node)))

    def _scalar(self, node: Any) -> Any:
        tag, text = _tag(node), node.value
        if tag == STR:
            return text
        if tag == NULL:
            return None
        if tag == BOOL:
            return text.lower() == "true"
        if tag == TIMESTAMP:
            return _timestamp(node)
        if tag in (INT, FLOAT):
            return _number(node, tag)
        raise _Refused(_mark(node), _tag_message(tag))


def _timestamp(node: Any) -> str:
    text = node.value
    if not _DATE.fullmatch(text):
        return str(text)
    year, month, day = (int(part) for part in text.split("-"))
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        raise _Refused(
            _mark(node),
            f"{text} is not a real date; write one that exists (YYYY-MM-DD), or quote it "
            "if it is text",
        ) from None


def _number(node: Any, tag: str) -> int | float:
    """A YAML 1.2 int (0b, 0o, 0x, underscores) or float (.inf, .nan)."""
    text = node.value.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    try:
        if tag == INT:
            for prefix, base in (("0b", 2), ("0o", 8), ("0x", 16)):
                if digits.startswith(prefix):
                    return sign * int(digits[2:], base)
            return sign * int(digits)
        if digits.lower() in (".inf", ".nan"):
            return sign * float(digits.lower()[1:])
        return sign * float(digits)
    except ValueError:
        what = "a whole number" if tag == INT else "a number"
        raise _Refused(
            _mark(node), f"{node.value!r} cannot be read as {what}; quote it if it is text"
        ) from None


def _tag_message(tag: str) -> str:
    shown = "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
    return (
        f"the tag {shown} is not allowed here: the file holds text, numbers, lists and "
        "mappings only, and no tag builds anything else; remove the tag (quote the value "
        "if it is text)"
    )


def _key_text(key: Any) -> str:
    if isinstance(key, bool):
        return str(key).lower()
    return "null" if key is None else str(key)


def _kind(node: Any) -> str:
    kind = type(node)
    return "scalar" if kind is ScalarNode else "seq" if kind is SequenceNode else "map"


def _is_null(node: Any) -> bool:
    return type(node) is ScalarNode and _tag(node) == NULL


def _pairs(node: Any) -> Iterator[tuple[Any, Any, Any]]:
    """A mapping node's (key, value) nodes, then those it merges in with `<<`, each with
    the `<<` value that brought it (None for its own keys)."""
    if _kind(node) != "map":
        return
    merges: list[Any] = []
    for knode, vnode in node.value:
        if _tag(knode) == MERGE:
            merges.append(vnode)
        else:
            yield knode, vnode, None
    for merge in merges:
        for source in merge.value if _kind(merge) == "seq" else [merge]:
            for knode, vnode, _ in _pairs(source):
                yield knode, vnode, merge


def _unwrapped(node: Any, key: str | None) -> tuple[Any, Any] | None:
    if key is None or type(node) is ScalarNode or type(node) is SequenceNode:
        return None
    return next(((k, v) for k, v, _ in _pairs(node) if str(k.value) == key), None)


def _tag(node: Any) -> str:
    name = _Resolver._names.get(id(node.ctag))
    return name if name is not None else str(node.tag)


def _mark(node: Any) -> tuple[int, int]:
    mark = node.start_mark
    return mark.line + 1, mark.column + 1
