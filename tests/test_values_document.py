"""`values_document` writes the `|-` block by hand exactly as ruamel's emitter would."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from falco_exceptions import values

GOLDEN = Path(__file__).parent / "golden"
KEYS = [("customRules",), ("falco", "customRules")]

lines = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=30
)


@settings(max_examples=300, deadline=None)
@given(st.lists(lines, min_size=1, max_size=6), st.sampled_from(KEYS))
def test_hand_written_block_equals_the_emitted_one(parts: list[str], path: tuple[str, ...]) -> None:
    text = "\n".join(parts)
    emitted = values._emitted_document(text, (*path, "falco-exceptions.yaml"))
    assert values.values_document(text, "falco-exceptions.yaml", path) == emitted


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*/expected.values.yaml")), ids=str)
def test_goldens_take_the_hand_written_path(golden: Path) -> None:
    from ruamel.yaml import YAML

    rules = YAML(typ="safe", pure=True).load(golden.read_text())["customRules"]
    (name, text), *_ = rules.items()
    assert values._literal_safe(text)
    assert values.values_document(text, name) == golden.read_text()
