"""The kinds of events a rule fires on, read from its condition with the macros expanded."""

from __future__ import annotations

from pathlib import Path

import pytest

from falco_exceptions.catalog import bundled_catalog_names, load_bundled_catalog
from falco_exceptions.catalog.build import build_user_catalog
from falco_exceptions.catalog.events import carries_fd, describe, event_kinds

MACROS = {
    "spawned_process": "evt.type in (execve, execveat) and evt.dir=<",
    "open_read": "evt.type in (open, openat, openat2) and evt.is_open_read=true and fd.num>=0",
    "container": "(container.id != host)",
    "never_true": "(evt.num = 0)",
    "self": "self and proc.name = x",
}
LISTS = {"net_calls": ["connect", "accept"], "more_calls": ["net_calls", "sendto"]}


@pytest.mark.parametrize(
    ("condition", "kinds"),
    [
        ("spawned_process and container and proc.name = bash", ("spawn",)),
        ("open_read and fd.name startswith /etc", ("file",)),
        ("evt.type = connect and evt.dir=<", ("network",)),
        ("evt.type in (more_calls)", ("network",)),  # lists expand, also inside lists
        ("evt.type = ptrace", ("other",)),
        ("spawned_process or open_read", ("spawn", "file")),
        ("(evt.type = container or spawned_process and proc.vpid=1)", ("spawn", "container")),
        ("spawned_process and evt.type = open", ("any",)),  # nothing left: not understood
        ("evt.type != switch", ("any",)),
        ("not evt.type in (open, openat) and spawned_process", ("spawn",)),
        ("not spawned_process and open_read", ("file",)),  # not (non-exact) is every type
        ("proc.name = bash", ("any",)),
        ("spawned_process or fd.typechar = 4", ("any",)),
        ("unknown_macro and evt.type = open", ("file",)),
        ("self", ("any",)),  # a macro that uses itself: not understood, no refusal
        ("spawned_process and (", ("any",)),
        ("evt.type = execve and proc.aname[2] in (a, b) and val(proc.pname) = x", ("spawn",)),
    ],
)
def test_event_kinds(condition: str, kinds: tuple[str, ...]) -> None:
    assert event_kinds(condition, MACROS, LISTS) == kinds


def test_which_kinds_carry_a_file_descriptor() -> None:
    assert not carries_fd(("spawn",))
    assert not carries_fd(("spawn", "container"))
    assert carries_fd(("spawn", "file"))
    assert carries_fd(("other",))
    assert carries_fd(("any",))
    assert carries_fd(())  # not a syscall rule: nothing to say
    assert describe(("spawn", "container")) == "process spawn, container start"


@pytest.mark.parametrize("name", bundled_catalog_names())
def test_upstream_spawn_and_file_rules(name: str) -> None:
    rules = load_bundled_catalog(name).rules
    assert rules["Terminal shell in container"].events == ("spawn",)
    assert rules["Read sensitive file untrusted"].events == ("file",)
    if "Run shell untrusted" in rules:
        assert rules["Run shell untrusted"].events == ("spawn",)
    if "Launch Privileged Container" in rules:
        assert not carries_fd(rules["Launch Privileged Container"].events)
    for rule in rules.values():
        assert bool(rule.events) == (rule.source == "syscall"), rule.name


def test_user_rules_files_get_event_kinds_too(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "- macro: spawned_process\n"
        "  condition: evt.type = execve\n"
        "- macro: spawned_process\n"  # a later definition replaces the earlier one
        "  condition: evt.type in (execve, execveat)\n"
        "- macro: opened\n"
        "  condition: evt.type = open\n"
        "- macro: opened\n"
        "  condition: or evt.type = openat\n"
        "  append: true\n"
        "- rule: Shell\n"
        "  desc: d\n"
        "  condition: spawned_process and proc.name = sh\n"
        "  output: o\n"
        "  priority: WARNING\n"
        "- rule: Opened\n"
        "  desc: d\n"
        "  condition: opened\n"
        "  output: o\n"
        "  priority: WARNING\n"
    )
    catalog = build_user_catalog([rules])
    assert catalog.rules["Shell"].events == ("spawn",)
    assert catalog.rules["Opened"].events == ("file",)
