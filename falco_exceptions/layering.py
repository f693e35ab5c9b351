"""Layered exception files, combined in command-line order like Helm values files.

An entry may carry an `id` (lower-case letters, digits, dashes). Ids name one entry at a
time across all the files: a later file takes an entry of an earlier one out with a
top-level `remove: [id, ...]`, and may then define a new entry under the same id. Nothing
is merged or overridden silently: a redefinition is always a removal plus a new entry,
both visible in the overlay. A removal needs no justification of its own: it only brings
alerts back, and a replacement entry carries its own.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from falco_exceptions.diagnostics import Diagnostic, Position, error

if TYPE_CHECKING:
    from falco_exceptions.document import Entry

DUPLICATE_ID = "FE108"
UNKNOWN_REMOVAL = "FE109"


@dataclass(frozen=True)
class Layer:
    """One file's contribution: its entries and the ids it removes (with where)."""

    display: str
    entries: tuple[Entry, ...]
    removes: tuple[tuple[str, Position], ...] = ()


@dataclass(frozen=True)
class Removal:
    id: str
    position: Position  # the item in `remove:`
    entry: Entry  # the entry it took out


@dataclass
class _State:
    active: dict[str, Entry] = field(default_factory=dict)  # id -> the entry it names now
    removed: dict[str, Removal] = field(default_factory=dict)  # id -> its latest removal
    entries: list[Entry] = field(default_factory=list)
    gone: set[int] = field(default_factory=set)  # id() of removed entries (filtered once)
    removals: list[Removal] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def combine(layers: Sequence[Layer]) -> tuple[list[Entry], list[Removal], list[Diagnostic]]:
    """The entries in effect after every layer, the removals made, and the conflicts."""
    state = _State()
    for index, layer in enumerate(layers):
        for ident, at in layer.removes:
            _remove(state, ident, at, layers, index)
        for entry in layer.entries:
            _add(state, entry)
    entries = [e for e in state.entries if id(e) not in state.gone]
    return entries, state.removals, state.problems


def _remove(state: _State, ident: str, at: Position, layers: Sequence[Layer], index: int) -> None:
    entry = state.active.pop(ident, None)
    if entry is not None:
        removal = Removal(ident, at, entry)
        state.removed[ident] = removal
        state.removals.append(removal)
        state.gone.add(id(entry))
        return
    state.problems.append(error(at, UNKNOWN_REMOVAL, _unknown(state, ident, layers, index)))


def _unknown(state: _State, ident: str, layers: Sequence[Layer], index: int) -> str:
    message = f"remove names id {ident!r}, "
    earlier = state.removed.get(ident)
    if earlier is not None:
        return message + (
            f"whose entry at {earlier.entry.at('id')} was already removed at {earlier.position}"
        )
    for later in layers[index:]:
        for entry in later.entries:
            if entry.id == ident:
                where = "this file" if later is layers[index] else "a later file"
                return message + (
                    f"which {where} defines at {entry.at('id')}; a file can only remove "
                    "entries of files given before it on the command line"
                )
    message += "which no earlier file defines"
    close = difflib.get_close_matches(ident, sorted(state.active), n=1, cutoff=0.6)
    if close:
        message += f"; did you mean {close[0]!r}?"
    elif state.active:
        message += f" (ids defined so far: {', '.join(sorted(state.active))})"
    return message


def _add(state: _State, entry: Entry) -> None:
    state.entries.append(entry)
    if entry.id is None:
        return
    previous = state.active.setdefault(entry.id, entry)
    if previous is entry:
        return
    if previous.position.file == entry.position.file:
        fix = "give one of them another id"
    else:
        fix = (
            f"to redefine it, add {entry.id!r} to `remove:` in {entry.position.file}; "
            "otherwise give this entry another id"
        )
    state.problems.append(
        error(
            entry.at("id"),
            DUPLICATE_ID,
            f"id {entry.id!r} is already used by the entry at {previous.at('id')}; {fix}",
        )
    )
