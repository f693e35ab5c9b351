"""Which kinds of events a rule fires on, from its condition with the macros expanded.

Falco itself indexes each rule by the event types its condition can match; this module
does the same on the condition text, closely enough to answer one question for the
checks: can an event of this rule carry a file descriptor (`fd.*`)? The event types
found are grouped into kinds:

| kind      | event types                                                  | fd.* |
|-----------|--------------------------------------------------------------|------|
| spawn     | execve, execveat, clone, clone3, fork, vfork (a new process) | no   |
| container | container (a container started)                              | no   |
| file      | open, openat, openat2, creat, open_by_handle_at              | yes  |
| network   | connect, accept, accept4, listen, bind, sendto, sendmsg, ... | yes  |
| other     | any other event type (ptrace, mkdir, dup, setuid, ...)       | may  |
| any       | the condition does not restrict the event type               | may  |

An `evt.type` comparison gives its types; `and` intersects, `or` unites, and `not`
inverts only a pure `evt.type` test (like Falco's own resolver, anything else under a
`not` leaves every type possible). Conditions this reading does not understand give
`any`, which no check treats as a reason to refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from falco_exceptions.falco.condition import Token, tokenize

SPAWN, CONTAINER, FILE, NETWORK = "spawn", "container", "file", "network"
OTHER, ANY = "other", "any"
KIND_ORDER = (SPAWN, CONTAINER, FILE, NETWORK, OTHER, ANY)
WITHOUT_FD = frozenset({SPAWN, CONTAINER})
DESCRIPTIONS = {
    SPAWN: "process spawn",
    CONTAINER: "container start",
    FILE: "file open",
    NETWORK: "network",
    OTHER: "other syscalls",
    ANY: "any event",
}
_TYPES = {
    SPAWN: "execve execveat clone clone3 fork vfork",
    CONTAINER: "container",
    FILE: "open openat openat2 creat open_by_handle_at",
    NETWORK: (
        "connect accept accept4 listen bind socket socketpair sendto sendmsg sendmmsg "
        "recvfrom recvmsg recvmmsg shutdown"
    ),
}
_KIND_OF_TYPE = {t: kind for kind, types in _TYPES.items() for t in types.split()}
_EVT_TYPE = "evt.type"
_MAX_DEPTH = 64  # macro nesting; upstream rules stay far below


@dataclass(frozen=True)
class _Types:
    """A set of event types, or (`inverted`) every type except them; `exact` when the
    condition it came from tests nothing but the event type."""

    names: frozenset[str]
    inverted: bool
    exact: bool

    def __and__(self, other: _Types) -> _Types:
        exact = self.exact and other.exact
        if self.inverted and other.inverted:
            return _Types(self.names | other.names, True, exact)
        if self.inverted:
            return _Types(other.names - self.names, False, exact)
        if other.inverted:
            return _Types(self.names - other.names, False, exact)
        return _Types(self.names & other.names, False, exact)

    def __or__(self, other: _Types) -> _Types:
        exact = self.exact and other.exact
        if self.inverted and other.inverted:
            return _Types(self.names & other.names, True, exact)
        if self.inverted:
            return _Types(self.names - other.names, True, exact)
        if other.inverted:
            return _Types(other.names - self.names, True, exact)
        return _Types(self.names | other.names, False, exact)

    def negated(self) -> _Types:
        if not self.exact:
            return _EVERY
        return _Types(self.names, not self.inverted, True)


_EVERY = _Types(frozenset(), True, False)


def event_kinds(
    condition: str, macros: Mapping[str, str], lists: Mapping[str, Sequence[str]]
) -> tuple[str, ...]:
    """The kinds of events `condition` can fire on, in KIND_ORDER (`any` when unknown).

    `macros` maps names to conditions, `lists` names to items, as the loaded files
    leave them (appends applied).
    """
    return reader(macros, lists)(condition)


def reader(
    macros: Mapping[str, str], lists: Mapping[str, Sequence[str]]
) -> Callable[[str], tuple[str, ...]]:
    """`event_kinds` for many conditions over the same macros (each macro is read once)."""
    shared = _Reader(macros, lists)
    return lambda condition: _kinds(shared, condition)


def _kinds(shared: _Reader, condition: str) -> tuple[str, ...]:
    try:
        types = shared.read(condition, 0)
    except _Unreadable:
        return (ANY,)
    if types.inverted or not types.names:
        return (ANY,)
    kinds = {_KIND_OF_TYPE.get(name, OTHER) for name in types.names}
    return tuple(k for k in KIND_ORDER if k in kinds)


def carries_fd(kinds: Sequence[str]) -> bool:
    """Whether some event of these kinds may have a file descriptor."""
    return not kinds or any(k not in WITHOUT_FD for k in kinds)


def describe(kinds: Sequence[str]) -> str:
    return ", ".join(DESCRIPTIONS.get(k, k) for k in kinds) or DESCRIPTIONS[ANY]


class _Unreadable(Exception):
    pass


class _Reader:
    """A recursive-descent reading of a condition: or > and > not > comparison/group."""

    def __init__(self, macros: Mapping[str, str], lists: Mapping[str, Sequence[str]]) -> None:
        self.macros = macros
        self.lists = lists
        self.read_macros: dict[str, _Types] = {}

    def read(self, condition: str, depth: int) -> _Types:
        if depth > _MAX_DEPTH:
            raise _Unreadable("macros nest too deep")
        parser = _Parser(tokenize(condition), self, depth)
        result = parser.expression()
        if not parser.done():
            raise _Unreadable(f"unexpected {parser.peek()}")
        return result

    def macro(self, name: str, depth: int) -> _Types:
        if name not in self.macros:
            return _EVERY
        if name not in self.read_macros:
            self.read_macros[name] = self.read(self.macros[name], depth + 1)
        return self.read_macros[name]

    def items(self, names: Sequence[str]) -> frozenset[str]:
        """Values of a list operand; list names expand (recursively) to their items."""
        found: set[str] = set()
        pending = list(names)
        seen: set[str] = set()
        while pending:
            name = pending.pop()
            if name in self.lists and name not in seen:
                seen.add(name)
                pending.extend(self.lists[name])
            else:
                found.add(name.strip("\"'"))
        return frozenset(found)


class _Parser:
    def __init__(self, tokens: list[Token], reader: _Reader, depth: int) -> None:
        self.tokens = tokens
        self.i = 0
        self.reader = reader
        self.depth = depth

    def done(self) -> bool:
        return self.i >= len(self.tokens)

    def peek(self) -> Token | None:
        return None if self.done() else self.tokens[self.i]

    def take(self) -> Token:
        if self.done():
            raise _Unreadable("unexpected end")
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at_keyword(self, word: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "keyword" and tok.text == word

    def expression(self) -> _Types:
        result = self.conjunction()
        while self.at_keyword("or"):
            self.take()
            result = result | self.conjunction()
        return result

    def conjunction(self) -> _Types:
        result = self.negation()
        while self.at_keyword("and"):
            self.take()
            result = result & self.negation()
        return result

    def negation(self) -> _Types:
        if self.at_keyword("not"):
            self.take()
            return self.negation().negated()
        return self.primary()

    def primary(self) -> _Types:
        tok = self.take()
        if tok.kind == "lparen":
            inner = self.expression()
            if self.take().kind != "rparen":
                raise _Unreadable("unbalanced parenthesis")
            return inner
        if tok.kind != "word":
            raise _Unreadable(f"unexpected {tok.text!r}")
        following = self.peek()
        if following is None or following.kind != "op":
            return self.reader.macro(tok.text, self.depth)
        op = self.take().text
        if op == "exists":
            return _EVERY
        values = self.operand()
        if tok.text != _EVT_TYPE:
            return _EVERY
        if op in ("=", "==", "in"):
            return _Types(self.reader.items(values), False, True)
        if op == "!=":
            return _Types(self.reader.items(values), True, True)
        return _EVERY

    def operand(self) -> list[str]:
        tok = self.take()
        if tok.kind != "lparen":
            if tok.kind not in ("word", "string"):
                raise _Unreadable(f"unexpected {tok.text!r}")
            return [tok.text]
        values: list[str] = []
        while True:
            tok = self.take()
            if tok.kind == "rparen":
                return values
            if tok.kind == "comma":
                continue
            if tok.kind not in ("word", "string"):
                raise _Unreadable(f"unexpected {tok.text!r} in a list")
            values.append(tok.text)
