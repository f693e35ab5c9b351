"""Appending entries to an exceptions file: only new text, in the file's own style."""

from __future__ import annotations

import pytest

from falco_exceptions.alerts.append import append, existing_entries
from falco_exceptions.errors import FatalError


def entry(indent: int) -> list[str]:
    pad = " " * indent
    return [
        f"{pad}# 1 alert",
        f"{pad}- rule: New",
        f"{pad}  proc.name: n",
        f"{pad}  justification: TODO",
    ]


def test_after_the_last_entry_before_what_follows_at_the_list_indentation() -> None:
    text = (
        "# exceptions of team A\n"
        "apiVersion: falco-exceptions/v1\n"
        "exceptions:\n"
        "    - rule: Old  # kept as is\n"
        "      proc.name: [a, b]\n"
        "      justification: |\n"
        "        A literal block.\n"
        "# the end\n"
        "remove: [x]\n"
    )
    assert append(text, "e.yaml", [entry]) == (
        "# exceptions of team A\n"
        "apiVersion: falco-exceptions/v1\n"
        "exceptions:\n"
        "    - rule: Old  # kept as is\n"
        "      proc.name: [a, b]\n"
        "      justification: |\n"
        "        A literal block.\n"
        "    # 1 alert\n"
        "    - rule: New\n"
        "      proc.name: n\n"
        "      justification: TODO\n"
        "# the end\n"
        "remove: [x]\n"
    )


def test_crlf_and_no_final_line_break() -> None:
    text = (
        "apiVersion: falco-exceptions/v1\r\nexceptions:\r\n- rule: Old\r\n  proc.name: o\r\n"
        "  justification: ok"
    )
    assert append(text, "e.yaml", [entry]) == text + (
        "\r\n# 1 alert\r\n- rule: New\r\n  proc.name: n\r\n  justification: TODO\r\n"
    )


@pytest.mark.parametrize(
    "empty", ["exceptions: []  # none yet\n", "exceptions:\n", "exceptions: null\n"]
)
def test_an_empty_list_becomes_a_block_list(empty: str) -> None:
    text = "apiVersion: falco-exceptions/v1\n" + empty
    result = append(text, "e.yaml", [entry])
    key_line = "exceptions:  # none yet\n" if "#" in empty else "exceptions:\n"
    assert result == (
        "apiVersion: falco-exceptions/v1\n" + key_line + "  # 1 alert\n  - rule: New\n"
        "    proc.name: n\n    justification: TODO\n"
    )


def test_a_missing_list_is_added_at_the_end() -> None:
    text = "apiVersion: falco-exceptions/v1\nfalco: {version: 0.26.2}"
    assert append(text, "e.yaml", [entry]).endswith(
        "falco: {version: 0.26.2}\nexceptions:\n  # 1 alert\n  - rule: New\n"
        "    proc.name: n\n    justification: TODO\n"
    )


def test_a_flow_list_and_broken_yaml_are_refused_at_their_place() -> None:
    with pytest.raises(FatalError) as flow:
        append("exceptions: [{rule: a}]\n", "e.yaml", [entry])
    assert flow.value.message.startswith(
        "e.yaml:1:13: error[FE102]: exceptions is not a block list"
    )
    with pytest.raises(FatalError) as broken:
        append("exceptions: [\n", "e.yaml", [entry])
    assert broken.value.message.startswith("e.yaml:2:1: error[FE101]: YAML syntax error")


def test_existing_entries_count_even_before_their_justification_is_written() -> None:
    text = (
        "apiVersion: falco-exceptions/v1\nfalco:\n  version: 0.26.2\nexceptions:\n"
        "  - rule: Read sensitive file untrusted\n    proc.name: awsagent\n"
        "    justification: TODO\n"
    )
    settings, entries = existing_entries(text, "e.yaml")
    assert settings.version == "0.26.2"
    assert [(e.rule, e.values("proc.name")) for e in entries] == [
        ("Read sensitive file untrusted", ("awsagent",))
    ]
