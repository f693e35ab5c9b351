"""Property: for any string, in any field, on every Falco generation, either the value is
refused with an error located at the value, or the rendered rules, read back by an
independent model of that generation's loader and condition parser (engine_model.py),
except exactly the declared value: one string operand, never an operator, a second value,
a number, a list or a list's items.

Examples per (generation, field): FALCO_EXCEPTIONS_EXAMPLES (default 40). Run with
`--hypothesis-show-statistics` to see the counts and, as events, which value classes were
refused and why.
"""

from __future__ import annotations

import itertools
import os
import re
import string
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from falco_exceptions import checker, checks, document, values
from falco_exceptions.catalog import load_bundled_catalog
from falco_exceptions.diagnostics import Severity
from falco_exceptions.falco.versions import default_ruleset, engine
from falco_exceptions.mechanism import Mechanism, choose
from falco_exceptions.render import render
from falco_exceptions.target import Selection, Target
from tests.falco import engine_model as model

VERSIONS = ("0.26.2", "0.28.0", "0.31.1", "0.33.1", "0.37.1", "0.44.1")  # one per generation
FIELDS = document.FIELDS
OTHER = {  # a plain value for each field, beside the generated one
    "proc.name": "awsagent",
    "proc.pname": "systemd",
    "proc.exepath": "/usr/bin/awsagent",
    "user.name": "root",
    "container.image.repository": "registry.example.com/agent",
    "container.name": "agent",
    "k8s.ns.name": "monitoring",
    "k8s.pod.name": "agent-0",
    "fd.directory": "/etc/pam.d",
    "fd.name": "/etc/pam.d/config-util",
}
EXAMPLES = int(os.environ.get("FALCO_EXCEPTIONS_EXAMPLES", "40"))
JUSTIFICATION = "A generated value; this entry only has to be well formed to be checked."


@cache
def _rules(version: str, field: str) -> list[str]:
    """One syscall rule per mechanism this Falco uses (exception, hook macro, condition)
    on which an entry naming `field` with a plain value is clean."""
    eng, _ = engine(version)
    catalog = load_bundled_catalog(default_ruleset(eng.version))
    target = Target(eng, catalog, catalog.default_files())
    found: dict[Any, str] = {}
    for rule in catalog.rules.values():
        if rule.source != "syscall" or not rule.enabled or not target.is_loaded(rule.file):
            continue
        chosen = choose(rule, target)
        if not isinstance(chosen, Mechanism) or chosen.kind in found:
            continue
        text = _file(version, rule.name, field, [_other(field)], as_list=False)
        loaded, problems = document.load_texts([("probe.yaml", text)])
        problems += list(checks.run(loaded.entries, target))
        if not any(p.severity is Severity.ERROR for p in problems):
            found[chosen.kind] = rule.name
    return sorted(found.values())


def _other(field: str) -> str:
    return OTHER.get(field, "plain-value")


@cache
def _names(version: str) -> tuple[dict[str, list[str]], list[str]]:
    """The ruleset's loaded lists (with stand-in items) and its macro names."""
    eng, _ = engine(version)
    catalog = load_bundled_catalog(default_ruleset(eng.version))
    loaded = set(catalog.default_files())
    lists = {n: ["LIST_ITEM_A", "LIST_ITEM_B"] for n, f in catalog.lists.items() if f in loaded}
    return lists, sorted(catalog.macros)


KEYWORDS = ["and", "or", "not", "in", "contains", "icontains", "startswith", "exists", "val"]
TRICKY = ["0755", "11-dhclient", "10.0.0.1", "0x1f", "1e5", ".5", "-1", "true", "null", "~"]
QUOTES = ['"', "'", ' "', " '", '" ', "' ", "\"'", "'\""]  # what breaks quote_item
SYMBOLS = list("\"'\\(),= \t!<>#:[]{}*?&|;$%@`/.-_+")


@cache
def values_for(version: str) -> st.SearchStrategy[str]:
    lists, macros = _names(version)
    names = st.sampled_from(sorted(lists) + macros)
    words = st.text(alphabet=string.ascii_letters + "/._- ", max_size=5)
    piece = st.one_of(
        st.sampled_from(SYMBOLS),
        st.sampled_from(KEYWORDS + TRICKY),
        names,
        st.text(alphabet=string.ascii_letters + string.digits, max_size=4),
        st.characters(exclude_categories=()),  # any code point, surrogates included
    )
    return st.one_of(
        st.text(alphabet=st.characters(exclude_categories=()), min_size=1),
        st.lists(piece, min_size=1, max_size=6).map("".join),
        names,
        st.sampled_from(KEYWORDS + TRICKY),
        st.builds(lambda v: v + "\\", st.text(max_size=6)),  # ends in a backslash
        st.builds(  # a backslash inside: an escape to one parser, a character to another
            lambda a, e, b: f"{a}\\{e}{b}",
            st.text(alphabet=string.ascii_letters, max_size=3),
            st.sampled_from(list("bfnrtv\"'\\/0xqu ")),
            st.text(alphabet=string.ascii_letters + " ", max_size=3),
        ),
        st.builds(lambda a, q, b: f"{a}{q}{b}", words, st.sampled_from(QUOTES), words),
        st.builds(lambda n, d: f"x{d}{n}{d}y", names, st.sampled_from([" ", ",", "(", "=", "\t"])),
    )


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `value` (any code point)."""
    out = []
    for ch in value:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= o <= 0x7E:
            out.append(ch)
        elif o <= 0xFF:
            out.append(f"\\x{o:02x}")
        elif o <= 0xFFFF:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    return '"' + "".join(out) + '"'


def _file(version: str, rule: str, field: str, declared: list[str], as_list: bool) -> str:
    written = {"proc.name": [_other("proc.name")], field: declared}
    lines = [
        "apiVersion: falco-exceptions/v1",
        "falco:",
        f'  version: "{version}"',
        "exceptions:",
        f"  - rule: {yaml_string(rule)}",
    ]
    for name, vals in written.items():
        text = f"[{', '.join(map(yaml_string, vals))}]" if as_list and name == field else None
        lines.append(f"    {name}: {text or yaml_string(vals[0])}")
    lines.append(f"    justification: {JUSTIFICATION}")
    return "\n".join(lines) + "\n"


def _value_line(text: str, field: str) -> int:
    return next(
        i for i, line in enumerate(text.splitlines(), 1) if line.startswith(f"    {field}:")
    )


def _refusal_class(message: str, code: str) -> str:
    """A value class for the statistics: the reason, without the value's particulars."""
    if code == "FE205":
        reason = message.rsplit("cannot be written for Falco ", 1)[-1].split(": ", 1)[-1]
        return "FE205 " + re.split(r"[,;']", reason)[0].strip()
    found = re.search(r"holds U\+[0-9A-F]+(?: \([^)]*\))?, ([^:]+):", message)
    if found:
        return f"FE102 {found.group(1)}"
    for key, label in (
        ("characters long", "too long"),
        ("must not be empty", "empty"),
        ("white space", "leading or trailing white space"),
        ("twice", "the same value twice"),
    ):
        if key in message:
            return f"FE102 {label}"
    return f"{code} {message}"


def _rendered_rows(text: str, lua: bool, lists: dict[str, list[str]]) -> set[frozenset[Any]]:
    """Every row of (field, value) that the rendered rules except, read by the model."""
    rules_text = YAML(typ="safe").load(text)["customRules"]["falco-exceptions.yaml"]
    found: set[frozenset[Any]] = set()
    for item in YAML(typ="safe").load(rules_text):
        if "exceptions" in item:
            for exc in item["exceptions"]:
                cond = model.exception_condition(exc["fields"], exc["comps"], exc["values"])
                whole, shape = model.with_exception("evt.type = open", cond), "and not"
        elif "macro" in item:
            whole, shape = model.appended("(evt.num = 0)", item["condition"]), "or"
        else:
            whole, shape = model.appended("evt.type = open", item["condition"]), "and not"
        if lua:
            whole = model.expand_lists_lua(whole, lists)
        tree = model.parse(whole, lua, () if lua else lists)
        assert isinstance(tree, model.Bool), tree
        ours = tree.right
        if shape == "and not":
            assert tree.op == "and" and isinstance(ours, model.Not), tree
            ours = ours.arg
        else:
            assert tree.op == "or", tree
        found |= model.rows_of(ours)
    return found


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("property")


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("version", VERSIONS)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_value_is_refused_at_the_value_or_read_back_exactly(
    version: str, field: str, workdir: Path, data: st.DataObject
) -> None:
    lists, _ = _names(version)
    lua = engine(version)[0].parser.value == "lua"
    value = data.draw(values_for(version), label="value")
    rule = data.draw(st.sampled_from(_rules(version, field)), label="rule")
    as_list = data.draw(st.booleans(), label="as a list")
    declared = [value, _other(field)] if as_list else [value]
    text = _file(version, rule, field, declared, as_list)
    path = workdir / f"{version}-{field}.yaml"
    path.write_text(text, encoding="utf-8")
    loaded, _ = document.load_texts([(path.name, text)])
    assert loaded.entries == () or loaded.entries[0].values(field) == tuple(declared)
    result = checker.check([path], Selection(version), displays=[path.name])
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    if errors:
        line = _value_line(text, field)
        assert all(d.position.line == line and d.position.col > 0 for d in errors), errors
        for d in errors:
            event(_refusal_class(d.message, d.code))
        return
    assert result.plan is not None
    rules_text = values.values_document(render(result.plan), "falco-exceptions.yaml")
    try:
        got = _rendered_rows(rules_text, lua, lists)
    except (model.LoadError, ValueError) as exc:
        raise AssertionError(f"{value!r} on {version}: {exc}\n{rules_text}") from exc
    assert got == _wanted(field, declared), rules_text
    event("rendered, read back exactly")


def _wanted(field: str, declared: list[str]) -> set[frozenset[tuple[str, str]]]:
    fields = {"proc.name": [_other("proc.name")], field: declared}
    return {
        frozenset(zip(fields, combo, strict=True)) for combo in itertools.product(*fields.values())
    }
