"""yamlnodes: where a node's text ends, aliases where they are written, how the file
spells a node."""

from __future__ import annotations

from typing import Any

import pytest

from falco_exceptions.yamlnodes import (
    Alias,
    chomping,
    compose,
    content_end,
    duplicate_key_problem,
    key_column,
    shared_nodes,
    spelled,
)


def value_of(text: str, key: str = "a") -> Any:
    return next(v for k, v in compose(text).value if k.value == key)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # the value's last text ends the block; a line of spaces deeper than the block
        # (indentation 2) is text, one as deep or shallower is an empty line
        ("a: |\n  x\n\nb: 1\n", "a: |\n  x\n"),
        ("a: |\n  x\n   \nb: 1\n", "a: |\n  x\n   \n"),
        ("a: |-\n  x\n    \n  \n \nb: 1\n", "a: |-\n  x\n    \n"),
        ("a: >\n  x\n  y\n\n   \n  \nb: 1\n", "a: >\n  x\n  y\n\n   \n"),
        ("a: |2\n    x\n   \n  \n", "a: |2\n    x\n   \n"),  # explicit indentation
        ("a: |-  # c\n    \n   \n", "a: |-  # c\n"),  # nothing but empty lines
        ("a: &x !!str |\n  x\n   \n", "a: &x !!str |\n  x\n   \n"),
        ("a: |\r\n  x\r\n   \r\n  \r\nb: 1\r\n", "a: |\r\n  x\r\n   \r\n"),
        ("a: |\n  x\n     ", "a: |\n  x\n     "),  # no final line break
        # with `+` every line up to the block's end is its value
        ("a: |+\n  x\n\n  \n# c\n", "a: |+\n  x\n\n  \n"),
    ],
)
def test_content_end_of_a_block_scalar(text: str, kept: str) -> None:
    assert text[: content_end(value_of(text), text)] == kept


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("a: &x 1\nb:\n  - *x\nc: 2\n", "a: &x 1\nb:\n  - *x\n"),
        ("a: &x 1\nb:\n  k: *x   # c\nc: 2\n", "a: &x 1\nb:\n  k: *x   # c\n"),
        ("b:\n  k:\nc: 2\n", "b:\n  k:\n"),
        ("b:\n  - x\n  -\nc: 2\n", "b:\n  - x\n  -\n"),
        ("b: [1,\n  2]  # c\nc: 2\n", "b: [1,\n  2]  # c\n"),
    ],
)
def test_content_end_of_collections_and_aliases(text: str, kept: str) -> None:
    assert text[: content_end(value_of(text, "b"), text)] == kept


def test_aliases_are_kept_where_they_are_written() -> None:
    text = "a: &x {k: 1}\nb: *x\n"
    root = compose(text)
    alias = root.value[1][1]
    assert isinstance(alias, Alias)
    assert alias.node is root.value[0][1]
    assert text[alias.start_mark.index : alias.end_mark.index] == "*x"
    assert shared_nodes(root) == {id(root.value[0][1])}


@pytest.mark.parametrize(
    ("text", "column"),
    [("a: 1\n", 0), ("x:\n    a: 1\n", 4), ("? a\n: 1\n", 0), ("x:\n  ? a\n  : 1\n", 2)],
)
def test_key_column(text: str, column: int) -> None:
    root = compose(text)
    mapping = root if text.startswith(("a", "?")) else root.value[0][1]
    assert key_column(mapping.value[0][0], text) == column


@pytest.mark.parametrize(
    ("text", "spelling"),
    [
        ("a: true\n", "`true`"),
        ("a: 'it''s'  # c\n", "`'it''s'`"),
        ("a: &x !!str 010\n", "`010`"),
        ("a: |-  # c\n  text\n", "`|-`"),
        ("a: [1,\n  2]\n", "`[1,...`"),
        ("a: " + "x" * 50 + "\n", "`" + "x" * 37 + "...`"),
    ],
)
def test_spelled_as_the_file_writes_it(text: str, spelling: str) -> None:
    assert spelled(value_of(text), text) == spelling


@pytest.mark.parametrize(
    ("text", "index", "problem"),
    [
        ("a: 1\na: 2\n", 5, "found duplicate key `a`, first at line 1; keep one of them"),
        (
            "x:\n  true: 1\n  True: 2\n",
            15,
            "found duplicate key `True`, the same as `true` at line 2; keep one of them",
        ),
        (
            "0x10: a\n16: b\n",
            8,
            "found duplicate key `16`, the same as `0x10` at line 1; keep one of them",
        ),
        ("a: 1\n", 0, None),
    ],
)
def test_duplicate_key_problem(text: str, index: int, problem: str | None) -> None:
    assert duplicate_key_problem(text, index) == problem


@pytest.mark.parametrize(("header", "chomp"), [("|", ""), ("|-", "-"), (">2+", "+"), ("|+3", "+")])
def test_chomping(header: str, chomp: str) -> None:
    text = f"a: {header}\n   x\n"
    assert chomping(value_of(text), text) == chomp
