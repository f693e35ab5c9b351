"""Warn when another exception already covers this one, so this one has no effect.

Entry A covers entry B when, on the selected Falco, both land in the same place (the same
rule; or the same hook macro, since exceptions to different rules that share a hook macro
are appended to that one macro) and every field A names accepts all B accepts: B names
the field too, with values A lists, or with values or longer prefixes that start with a
prefix of A (`{startswith: /etc/}` covers `/etc/pam.d/x` and `{startswith: /etc/pam.d/}`).
A field A does not name narrows nothing, so B's extra fields do not matter. B's `fd.name`
values also tell their `fd.directory`, and B's `fd.directory` the start of its `fd.name`.
The message names both locations: delete the covered entry, or narrow the one that
covers it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from falco_exceptions.diagnostics import Diagnostic, warning
from falco_exceptions.document import Comparison, Entry, FieldTest
from falco_exceptions.falco.fields import directory_of
from falco_exceptions.mechanism import Kind, Mechanism, choose
from falco_exceptions.policy import Context

CODE = "FE304"


def check(entries: Sequence[Entry], context: Context) -> Iterator[Diagnostic]:
    places = [_place(entry, context) for entry in entries]
    candidates = _Candidates(entries, places)
    for j, covered in enumerate(entries):
        for i in candidates.of(j):
            cover = entries[i]
            if i == j or places[i] != places[j] or not covers(cover, covered):
                continue
            if covers(covered, cover) and i > j:
                continue  # the same scope both ways: reported once, on the later entry
            if cover.identity == covered.identity:
                continue  # an identical entry: already an error (FE105)
            yield warning(covered.position, CODE, _message(cover, covered, places[j], context))
            break


class _Candidates:
    """The entries that can cover an entry, in file order, without comparing every pair:
    those in the same place that hold its first proc.name value, or none at all (a
    cover's proc.name values include all of the covered one's)."""

    def __init__(self, entries: Sequence[Entry], places: list[tuple[str, str]]) -> None:
        self.entries = entries
        self.by_value: dict[tuple[tuple[str, str], str], list[int]] = {}
        self.unnamed: dict[tuple[str, str], list[int]] = {}
        for i, entry in enumerate(entries):
            names = entry.values("proc.name")
            if not names:
                self.unnamed.setdefault(places[i], []).append(i)
            for name in dict.fromkeys(names):
                self.by_value.setdefault((places[i], name), []).append(i)
        self.places = places

    def of(self, j: int) -> list[int]:
        place = self.places[j]
        names = self.entries[j].values("proc.name")
        found = list(self.unnamed.get(place, ()))
        if names:
            found += self.by_value.get((place, names[0]), [])
        return sorted(found)


def covers(cover: Entry, covered: Entry) -> bool:
    """Every event `covered` excepts, `cover` excepts too (see the module documentation)."""
    for test in cover.fields:
        own = covered.test(test.field) or _implied(covered, test.field)
        if own is None or not _within(own, test):
            return False
    return True


def _within(inner: FieldTest, outer: FieldTest) -> bool:
    """Every value `inner` accepts, `outer` accepts."""
    if outer.comparison is Comparison.EQUALS:
        return inner.comparison is Comparison.EQUALS and set(inner.values) <= set(outer.values)
    return all(any(v.startswith(p) for p in outer.values) for v in inner.values)


def _implied(entry: Entry, name: str) -> FieldTest | None:
    """What the entry's file path says about `name` (fd.directory from fd.name, and back)."""
    if name == "fd.directory":
        files = entry.test("fd.name")
        paths = files.values if files and files.comparison is Comparison.EQUALS else ()
        if paths and all(v.startswith("/") for v in paths):
            return FieldTest(name, tuple({directory_of(v): None for v in paths}))
    if name == "fd.name":
        folders = entry.test("fd.directory")
        if folders and folders.comparison is Comparison.EQUALS:
            starts = tuple(d if d.endswith("/") else d + "/" for d in folders.values)
            return FieldTest(name, starts, Comparison.STARTSWITH)
        if folders:
            return FieldTest(name, folders.values, Comparison.STARTSWITH)
    return None


def _place(entry: Entry, context: Context) -> tuple[str, str]:
    """Where the exception lands: ("hook", macro) or ("rule", name)."""
    rule = context.target.catalog.rules.get(entry.rule)
    if rule is not None:
        chosen = choose(rule, context.target)
        if isinstance(chosen, Mechanism) and chosen.kind is Kind.HOOK_MACRO and chosen.hook:
            return ("hook", chosen.hook)
    return ("rule", entry.rule)


def _message(cover: Entry, covered: Entry, place: tuple[str, str], context: Context) -> str:
    scope = "; ".join(t.describe() for t in cover.fields)
    wider = [n for n in covered.field_names if n not in cover.field_names]
    scope += f" with any {' and '.join(wider)}" if wider else ""
    fix = "delete this one, or narrow that one"
    if cover.rule == covered.rule:
        return f"the exception at {cover.position} ({scope}) already covers this one; {fix}"
    return (
        f"on Falco {context.target.engine.text} this exception and the one at "
        f"{cover.position} (rule {cover.rule!r}, {scope}) both go into hook macro {place[1]}, "
        f"and that one already covers this one; {fix}"
    )
