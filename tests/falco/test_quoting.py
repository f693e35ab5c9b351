"""Values written for each parser read back exactly (model in parser_model.py)."""

from __future__ import annotations

import pytest

from falco_exceptions.falco.quoting import Unrepresentable, literal
from falco_exceptions.falco.versions import Parser
from tests.falco.parser_model import quote_item, read_cpp_string, read_lua_string

LISTS = {"shell_binaries", "package_mgmt_binaries"}
TRICKY = [
    "awsagent",
    "/etc/pam.d/config-util",
    "11-dhclient",
    "0755",
    "10.0.0.1",
    "a b",
    "a,b",
    "x=y",
    "(paren)",
    'say "hi"',
    "it's",
    "back\\slash",
    "in",
    "and",
    "shell_binaries",
    "tab\there",
    "ünïcödé",
    "*glob*",
]


@pytest.mark.parametrize("value", TRICKY)
def test_cpp_reads_back(value: str) -> None:
    text = quote_item(literal(value, Parser.CPP, LISTS))
    assert _read(text, lua=False) == value


@pytest.mark.parametrize("value", [v for v in TRICKY if not ('"' in v and "'" in v)])
def test_lua_reads_back_or_refuses_with_reason(value: str) -> None:
    try:
        text = quote_item(literal(value, Parser.LUA, LISTS))
    except Unrepresentable as exc:
        assert value == "shell_binaries" or "\t" in value, exc
        return
    assert _read(text, lua=True) == value


def test_plain_words_stay_bare_on_lua_and_are_always_quoted_on_cpp() -> None:
    assert literal("/etc/pam.d/config-util", Parser.LUA, LISTS) == "/etc/pam.d/config-util"
    assert literal("awsagent", Parser.CPP, LISTS) == '"awsagent"'
    assert literal("not_a_list_yet", Parser.CPP, set()) == '"not_a_list_yet"'


def test_numbers_and_keywords_are_quoted() -> None:
    assert literal("0755", Parser.LUA, LISTS) == '"0755"'
    assert literal("in", Parser.CPP, LISTS) == '"in"'


def test_list_name_is_quoted_on_cpp_and_refused_on_lua() -> None:
    assert literal("shell_binaries", Parser.CPP, LISTS) == '"shell_binaries"'
    with pytest.raises(Unrepresentable, match="names the list 'shell_binaries'"):
        literal("shell_binaries", Parser.LUA, LISTS)
    with pytest.raises(Unrepresentable, match="names the list"):
        literal("run shell_binaries now", Parser.LUA, LISTS)


def test_lua_refusals() -> None:
    with pytest.raises(Unrepresentable, match="both kinds of quote"):
        literal("""it's "x\"""", Parser.LUA, LISTS)
    with pytest.raises(Unrepresentable, match="unprintable character U\\+000A"):
        literal("a\nb", Parser.LUA, LISTS)


def test_cpp_escapes_and_refuses_other_controls() -> None:
    assert literal('a"b\\c', Parser.CPP, LISTS) == '"a\\"b\\\\c"'
    assert literal("a\nb", Parser.CPP, LISTS) == '"a\\nb"'
    for bad in ("a\x01b", "c1\x9b", "lone\ud800", "non\ufffe"):
        with pytest.raises(Unrepresentable, match="unprintable character U\\+"):
            literal(bad, Parser.CPP, LISTS)
    with pytest.raises(Unrepresentable, match="empty"):
        literal("", Parser.CPP, LISTS)


@pytest.mark.parametrize("parser", list(Parser))
def test_a_value_ending_in_a_backslash_is_refused_for_every_parser(parser: Parser) -> None:
    with pytest.raises(Unrepresentable, match="ends in a backslash, which no Falco version"):
        literal("c:\\temp\\", parser, LISTS)
    assert literal("a\\b", Parser.CPP, LISTS) == '"a\\\\b"'  # inside: fine


def _read(text: str, lua: bool) -> str:
    if text[0] in "\"'":
        value, end = (read_lua_string if lua else read_cpp_string)(text, 0)
        assert end == len(text)
        return value
    return text
