"""Hand-written YAML scalars read back unchanged, in block and flow context."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from falco_exceptions.yamltext import comment, flow_list, scalar

SAMPLES = [
    "awsagent",
    "/etc/a b",
    "=",
    "yes",
    "no",
    "0755",
    "1e3",
    "a: b",
    "a #b",
    "x,y",
    "'q'",
    '"dq"',
    "- dash",
    "[x]",
    "{x}",
    "tab\there",
    "",
    "null",
    "~",
    "or (a = b)",
    "é",
    "a\u2028b",
    "c\x85d",
    "\ufeffbom",
    "aws\u202eagent",
    "zero\u200bwidth",
    "emoji \U0001f600 and a bell \x07",
    "c1 \x9b control",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_block_scalar_round_trip(text: str) -> None:
    assert YAML(typ="safe").load(f"k: {scalar(text)}\n")["k"] == text


def test_flow_list_round_trip() -> None:
    assert YAML(typ="safe").load(f"k: {flow_list(SAMPLES)}\n")["k"] == SAMPLES


def test_plain_when_safe() -> None:
    assert scalar("or (proc.name = awsagent)") == "or (proc.name = awsagent)"
    assert scalar("=") == "'='"


def test_comment_folds_newlines_and_escapes_controls() -> None:
    assert comment("a\n  b\tc") == "# a b c"
    assert comment("bell\x07") == "# bell\\u{0007}"
    for odd in ("x\x00y\x1b", "c1 \x9b", "lone \ud800", "non \ufffe", "sep\u2028x", "\ufeffbom"):
        assert YAML(typ="safe").load(comment(odd) + "\nk: v\n") == {"k": "v"}


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("aws\u202eagent", '"aws\\u202eagent"'),
        ("zero\u200bwidth", '"zero\\u200bwidth"'),
        ("bell\x07 \U0001f600", '"bell\\x07 \U0001f600"'),
        ("é and 中文", "'é and 中文'"),
    ],
)
def test_invisible_characters_are_written_as_escapes(text: str, written: str) -> None:
    """What a reviewer reads in the YAML is what it holds: nothing invisible is written raw."""
    assert scalar(text) == written
    assert YAML(typ="safe").load(f"k: {written}\n")["k"] == text


def test_comment_escapes_invisible_characters() -> None:
    assert comment("aws\u202eagent") == "# aws\\u{202e}agent"
    assert comment("Grüße aus Köln") == "# Grüße aus Köln"
