"""FE305: too short to review."""

from __future__ import annotations

import pytest

from falco_exceptions.checks.policy import short_justification
from tests.checks.policy.support import entry, findings


@pytest.mark.parametrize(
    "text",
    ["vendor agent", "Needed by the updater job", "abcdefghijklmnopqrstuvwxyz yes"],
    ids=["both", "four-words-but-few-characters-no", "few-words"],
)
def test_short_justifications_warn(text: str) -> None:
    found = findings(short_justification, entry(justification=text))
    if text == "Needed by the updater job":
        assert found == []  # 25 characters and 5 words: long enough
        return
    assert len(found) == 1
    assert found[0][:3] == (7, 20, "warning")


def test_message_counts_and_advises() -> None:
    found = findings(short_justification, entry(justification="false positive"))
    assert found[0][3] == (
        "justification 'false positive' is too short (14 characters, 2 word(s); at least 20 "
        "and 4): say which program does what, and why that is expected here"
    )


def test_whitespace_does_not_count() -> None:
    assert findings(short_justification, entry(justification='"a   b   c   d   e   f   g"'))
