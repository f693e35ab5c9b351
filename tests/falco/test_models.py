"""The Falco models the tests read rendered rules with: independent of the code under test,
and faithful to falco-facts.md on the cases it records as verified."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.falco import engine_model as model

MODELS = ("engine_model.py", "condition_model.py", "parser_model.py")


def _imports(name: str) -> list[str]:
    tree = ast.parse((Path(__file__).parent / name).read_text())
    return [
        f"{n.module}.{a.name}" if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    ]


@pytest.mark.parametrize("name", MODELS)
def test_models_import_nothing_of_falco_exceptions(name: str) -> None:
    assert [m for m in _imports(name) if m.startswith("falco_exceptions")] == []


def test_the_loader_model_takes_only_data_types_from_the_package() -> None:
    """The catalog (facts read from the upstream rules files) and the engine's version."""
    package = [m for m in _imports("loader_model.py") if m.startswith("falco_exceptions")]
    assert package == ["falco_exceptions.catalog.Catalog", "falco_exceptions.falco.versions.Engine"]


def _value(condition: str, lua: bool, lists: tuple[str, ...] = ()) -> object:
    tree = model.parse(condition, lua, lists)
    assert isinstance(tree, model.Compare)
    return tree.operands


def test_lua_keeps_the_raw_text_between_quotes() -> None:  # falco-facts 5, verified 0.26.2
    assert _value('fd.name = "/etc/a b"', lua=True) == (model.Text("/etc/a b"),)
    assert _value("fd.name = '/etc/it\"s'", lua=True) == (model.Text('/etc/it"s'),)
    assert _value('fd.name = "/etc/it\\"s"', lua=True) == (model.Text('/etc/it\\"s'),)


def test_lua_reads_numbers_first() -> None:
    assert _value("proc.name = 0755", lua=True) == (model.Number("0755"),)
    with pytest.raises(model.LoadError):
        model.parse("proc.name = 11-dhclient and x.y = z", lua=True)


def test_lua_substitutes_list_names_as_text_even_inside_quotes() -> None:
    lists = {"shell_binaries": ["bash", "sh"]}
    assert model.expand_lists_lua("p.n in (shell_binaries)", lists) == "p.n in (bash, sh)"
    assert model.expand_lists_lua('p.n = "a shell_binaries b"', lists) == 'p.n = "a bash, sh b"'
    assert model.expand_lists_lua('p.n = "a shell_binaries"', lists) == 'p.n = "a shell_binaries"'
    assert model.expand_lists_lua("p.n = shell_binaries_x", lists) == "p.n = shell_binaries_x"


def test_cpp_escapes_and_their_errors() -> None:  # falco-facts 2 and 5, verified 0.35.1/0.44.1
    assert _value('fd.name = "a\\\\b"', lua=False) == (model.Text("a\\b"),)
    assert _value('fd.name = "say \\"hi\\""', lua=False) == (model.Text('say "hi"'),)
    for broken in ('fd.name = "back\\\\"', 'fd.name = "x\\qy"', "fd.name = 'a\\\"b'"):
        with pytest.raises(model.LoadError):
            model.parse(broken, lua=False)


def test_cpp_expands_a_bare_list_name_but_not_a_quoted_one() -> None:
    lists = ("shell_binaries",)
    assert _value("proc.name = shell_binaries", False, lists) == (
        model.ListItems("shell_binaries"),
    )
    assert _value('proc.name = "shell_binaries"', False, lists) == (model.Text("shell_binaries"),)


def test_the_loader_quotes_only_values_with_a_space_that_start_without_a_quote() -> None:
    assert model.quote_item("a b") == '"a b"'
    assert model.quote_item('"a b"') == '"a b"'
    assert model.quote_item("a,b") == "a,b"
    built = model.exception_condition(
        ["proc.name", "fd.name"], ["=", "="], [["a", "b c"], ["d", "e"]]
    )
    assert built == '((proc.name = a and fd.name = "b c") or (proc.name = d and fd.name = e))'


def test_rows_refuse_anything_but_plain_string_comparisons() -> None:
    ok = model.parse('(p.n = "a" and f.n in ("b", "c"))', lua=False)
    assert model.rows_of(ok) == {
        frozenset({("p.n", "a"), ("f.n", "b")}),
        frozenset({("p.n", "a"), ("f.n", "c")}),
    }
    for bad in ("p.n = a or some_macro", "p.n != a", "p.n = shell_binaries"):
        with pytest.raises(ValueError):
            model.rows_of(model.parse(bad, lua=False, lists=("shell_binaries",)))
