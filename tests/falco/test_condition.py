from __future__ import annotations

import pytest

from falco_exceptions.falco.condition import (
    Token,
    has_top_level_or,
    negated_names,
    tokenize,
)


def kinds_and_texts(condition: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokenize(condition)]


def test_simple_comparison() -> None:
    assert kinds_and_texts("proc.name = bash and fd.num>=3") == [
        ("word", "proc.name"),
        ("op", "="),
        ("word", "bash"),
        ("keyword", "and"),
        ("word", "fd.num"),
        ("op", ">="),
        ("word", "3"),
    ]


@pytest.mark.parametrize(
    ("condition", "string"),
    [
        ('fd.name = "/etc/a b"', '"/etc/a b"'),
        ("fd.name = '/etc/it\"s here'", "'/etc/it\"s here'"),
        ('fd.name = "/etc/it\\"s here"', '"/etc/it\\"s here"'),
        ("fd.name = 'it\\'s (not) a, paren'", "'it\\'s (not) a, paren'"),
        ('fd.name = "ends in backslash\\\\"', '"ends in backslash\\\\"'),
    ],
)
def test_quoted_strings_are_one_token(condition: str, string: str) -> None:
    assert tokenize(condition)[-1] == Token("string", string, 0)
    assert len(tokenize(condition)) == 3


def test_string_hides_keywords_and_parens() -> None:
    tokens = tokenize('proc.cmdline contains "a or (b" or x')
    assert [t.text for t in tokens if t.kind == "keyword"] == ["or"]
    assert all(t.depth == 0 for t in tokens)


def test_list_values_and_depth() -> None:
    tokens = tokenize("proc.name in (a, 'b c', runc:[1:CHILD])")
    assert [(t.kind, t.text, t.depth) for t in tokens] == [
        ("word", "proc.name", 0),
        ("op", "in", 0),
        ("lparen", "(", 0),
        ("word", "a", 1),
        ("comma", ",", 1),
        ("string", "'b c'", 1),
        ("comma", ",", 1),
        ("word", "runc:[1:CHILD]", 1),
        ("rparen", ")", 0),
    ]


@pytest.mark.parametrize(
    "field",
    ["proc.aname[2]", "evt.arg.flags", "evt.rawarg.x", "jevt.value[/requestObject/spec]"],
)
def test_field_names_with_arguments(field: str) -> None:
    assert kinds_and_texts(f"{field} exists") == [("word", field), ("op", "exists")]


def test_val_and_transformers_are_single_operands() -> None:
    assert kinds_and_texts("fd.name = val(proc.name) and tolower(fd.name) startswith x") == [
        ("word", "fd.name"),
        ("op", "="),
        ("word", "val(proc.name)"),
        ("keyword", "and"),
        ("word", "tolower(fd.name)"),
        ("op", "startswith"),
        ("word", "x"),
    ]


@pytest.mark.parametrize("op", ["=", "!=", "<", "<=", ">", ">="])
def test_symbol_operators_without_spaces(op: str) -> None:
    assert kinds_and_texts(f"evt.num{op}5") == [("word", "evt.num"), ("op", op), ("word", "5")]


@pytest.mark.parametrize("direction", ["<", ">"])
def test_event_direction_is_a_value(direction: str) -> None:
    assert kinds_and_texts(f"evt.dir={direction} and x") == [
        ("word", "evt.dir"),
        ("op", "="),
        ("word", direction),
        ("keyword", "and"),
        ("word", "x"),
    ]


@pytest.mark.parametrize(
    "op",
    ["intersects", "pmatch", "icontains", "endswith", "glob", "bcontains", "bstartswith", "regex"],
)
def test_word_operators(op: str) -> None:
    assert tokenize(f"fd.name {op} x")[1] == Token("op", op, 0)


def test_nested_parentheses_depth() -> None:
    tokens = tokenize("a and (b or (c and d))")
    assert {t.text: t.depth for t in tokens if t.kind == "word"} == {"a": 0, "b": 1, "c": 2, "d": 2}


@pytest.mark.parametrize(
    "condition",
    ["(a and b", "a and b))", '"unterminated', "a = 'x", "((", "))", "", "   ", "val(a", "x[1"],
)
def test_unbalanced_input_does_not_crash(condition: str) -> None:
    tokens = tokenize(condition)
    assert all(t.depth >= 0 for t in tokens)
    has_top_level_or(condition)
    negated_names(condition)


def test_unterminated_string_runs_to_the_end() -> None:
    assert tokenize('a = "b or c')[-1] == Token("string", '"b or c', 0)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("a or b", True),
        ("a and b", False),
        ("(a or b) and not c", False),
        ("a and (b or c)", False),
        ("a and not c or b", True),
        ('proc.cmdline contains " or "', False),
        ("x in (or, and)", False),
        ("(a or b", False),
        ("a) or b", True),
    ],
)
def test_has_top_level_or(condition: str, expected: bool) -> None:
    assert has_top_level_or(condition) is expected


def test_negated_names() -> None:
    condition = (
        "not user_a and b and not user_b and (c or not user_c)"
        " and not proc.name in (x) and not (d) and not user_a"
    )
    assert negated_names(condition) == [
        ("user_a", 0, True),
        ("user_b", 0, True),
        ("user_c", 1, False),
        ("user_a", 0, True),
    ]


def test_negated_name_after_or_is_not_a_conjunct() -> None:
    assert negated_names("a or not user_x") == [("user_x", 0, False)]


def test_negated_field_with_unary_operator_is_not_a_name() -> None:
    assert negated_names("not proc.pname exists and not user_x") == [("user_x", 0, True)]


def test_parentheses_around_the_whole_condition_are_ignored() -> None:
    assert negated_names("((a and not user_x and not user_y))") == [
        ("user_x", 0, True),
        ("user_y", 0, True),
    ]
    assert negated_names("(a and not user_x) and (b or not user_y)") == [
        ("user_x", 1, False),
        ("user_y", 1, False),
    ]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("a and b or c and not h", [("h", 0, False)]),
        ("a and not h or c and not h", [("h", 0, True), ("h", 0, True)]),
        (
            "(a and not h) or (c and not h and not k)",
            [("h", 1, True), ("h", 1, True), ("k", 1, False)],
        ),
        ("((a and b and not h))", [("h", 0, True)]),
        ("a and not (b or c) and not h", [("h", 0, True)]),
        ("a or b", []),
    ],
)
def test_a_hook_guards_the_rule_only_if_every_or_branch_negates_it(
    condition: str, expected: list[tuple[str, int, bool]]
) -> None:
    assert negated_names(condition) == expected
