"""Every loaded syscall rule of every bundled ruleset, on every known Falco release:
the rendered exception must load (loader model: operators, fields the release has, the
condition parses) and guard the whole rule, or be refused."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from falco_exceptions.catalog import load_bundled_catalog
from falco_exceptions.catalog.events import carries_fd
from falco_exceptions.diagnostics import Position
from falco_exceptions.document import Comparison, Entry, FieldTest
from falco_exceptions.falco.versions import KNOWN_RELEASES, engine, parse_version
from falco_exceptions.mechanism import Refusal, choose
from falco_exceptions.plan import build
from falco_exceptions.render import render
from falco_exceptions.target import Target
from tests.falco.loader_model import apply


@pytest.mark.parametrize(("release", "ruleset"), KNOWN_RELEASES, ids=[r for r, _ in KNOWN_RELEASES])
def test_every_rule_renders_something_falco_loads(release: str, ruleset: str) -> None:
    catalog = load_bundled_catalog(ruleset)
    target = Target(engine(release)[0], catalog, catalog.default_files())
    entries = []
    for i, rule in enumerate(catalog.rules.values()):
        if rule.source != "syscall" or not target.is_loaded(rule.file):
            continue
        if isinstance(choose(rule, target), Refusal):
            continue
        entries.append(
            Entry(rule.name, _fields(i, rule.events), "A sweep entry.", Position("s.yaml", i + 1))
        )
    assert entries
    items = YAML(typ="safe").load(render(build(entries, target, ["s.yaml"])))
    outcome = apply(items, catalog, target.loaded_files, target.engine)
    assert outcome.problems == []
    assert set(outcome.guarded) >= {e.rule for e in entries}
    assert all(outcome.guarded[e.rule] for e in entries)


def _fields(i: int, events: tuple[str, ...]) -> tuple[FieldTest, ...]:
    """Every kind of field, comparison and value count an entry can have."""
    last = (
        FieldTest("fd.name", (f"/var/lib/x{i}/", "/tmp/y z/"), Comparison.STARTSWITH)
        if carries_fd(events)
        else FieldTest("proc.pname", ("containerd-shim",))
    )
    return (
        FieldTest("proc.name", ("agent one", "agent-two")),
        FieldTest("container.image.repository", ("registry.example.com/",), Comparison.STARTSWITH),
        FieldTest("k8s.ns.name", ("monitoring",)),
        last,
    )


def test_upstream_rules_are_never_refused() -> None:
    for release, ruleset in KNOWN_RELEASES:
        catalog = load_bundled_catalog(ruleset)
        target = Target(engine(release)[0], catalog, catalog.default_files())
        refused = [r.name for r in catalog.rules.values() if isinstance(choose(r, target), Refusal)]
        assert refused == [], (release, refused)
        assert parse_version(release)
