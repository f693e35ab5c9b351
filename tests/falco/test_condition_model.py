"""The model of the condition parsers (condition_model.py) and of the exception loader
(loader_model.exception_condition) that the golden tests read rendered rules with."""

from __future__ import annotations

import pytest

from tests.falco.condition_model import ParseError, comparisons
from tests.falco.loader_model import exception_condition


def test_and_needs_every_comparison_and_in_is_any_value() -> None:
    held = comparisons('proc.name in (a, "b c") and fd.name startswith /etc/', lua=False)
    assert held == {
        frozenset({("proc.name", "=", "a"), ("fd.name", "startswith", "/etc/")}),
        frozenset({("proc.name", "=", "b c"), ("fd.name", "startswith", "/etc/")}),
    }


def test_or_in_parentheses_is_an_alternative() -> None:
    held = comparisons("a.b = x and (c.d startswith p or c.d startswith q)", lua=True)
    assert len(held) == 2


@pytest.mark.parametrize(
    ("condition", "lua"),
    [
        ("proc.name = a and not fd.name = b", False),
        ("fd.name contains x", False),
        ("proc.name = 11-dhclient", True),  # the Lua lexer reads the number first
        ('proc.name = "a\\qb"', False),  # not a C++ escape
        ("proc.name = (a)", False),
        ("proc.name in (a, b", False),
    ],
)
def test_what_falco_would_refuse_does_not_parse(condition: str, lua: bool) -> None:
    with pytest.raises(ParseError if "\\q" not in condition else ValueError):
        comparisons(condition, lua)


def test_the_loader_writes_lists_in_parentheses_and_quotes_values_with_spaces() -> None:
    exc = {
        "fields": ["proc.name", "k8s.ns.name", "fd.name"],
        "comps": ["=", "in", "startswith"],
        "values": [["a b", ["x", "y z"], "/p/"], ["c", "w", "/q/"]],
    }
    assert exception_condition(exc) == (
        '((proc.name = "a b" and k8s.ns.name in (x, "y z") and fd.name startswith /p/) or '
        "(proc.name = c and k8s.ns.name in (w) and fd.name startswith /q/))"
    )
