"""The regex fast paths of value quoting and trace comments give what the character-by-
character rules give, for any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from falco_exceptions import yamltext
from falco_exceptions.falco import quoting

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


def _cpp_by_character(value: str) -> str | None:
    out = []
    for ch in value:
        if ch in quoting._CPP_ESCAPES:
            out.append(quoting._CPP_ESCAPES[ch])
        elif not quoting._printable(ch):
            return None
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@settings(max_examples=500, deadline=None)
@given(texts)
def test_cpp_quoting_fast_path(value: str) -> None:
    expected = _cpp_by_character(value)
    try:
        assert quoting._cpp(value) == expected
    except quoting.Unrepresentable:
        assert expected is None


@settings(max_examples=500, deadline=None)
@given(texts)
def test_comment_fast_path(text: str) -> None:
    folded = " ".join(text.split())
    expected = "# " + "".join(
        c if yamltext._plain_char(c) else f"\\u{{{ord(c):04x}}}" for c in folded
    )
    assert yamltext.comment(text) == expected


@settings(max_examples=500, deadline=None)
@given(texts)
def test_scalar_single_quote_fast_path(text: str) -> None:
    quotable = all(ch >= " " and ch not in yamltext._BREAKS for ch in text)
    assert bool(yamltext._SINGLE_QUOTABLE.fullmatch(text)) == quotable


words = st.sampled_from(["shell_binaries", "sh", "a b", "", "x(y", "=", "bash", "k8s.ns"])


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.one_of(words, st.text(alphabet="ab_ (),=\t.", max_size=4)), max_size=6),
    st.lists(st.one_of(words, texts), max_size=8),
)
def test_list_name_clash_fast_path(parts: list[str], names: list[str]) -> None:
    value = " ".join(parts)
    expected = next((n for n in sorted(names) if quoting._names_list(value, n)), None)
    assert quoting._first_list_named(value, names) == expected
