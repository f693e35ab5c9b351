"""The C-backed composer and its pure-Python fallback read alike: same data, same
positions, same messages, for every case file and for what only the loader sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from falco_exceptions.diagnostics import Diagnostic
from falco_exceptions.yamlcompose import Source, c_extension, compose

CASES = sorted(
    p
    for folder in ("negative", "positive", "review")
    for p in (Path(__file__).parent / "cases" / folder).glob("*.yaml")
)


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


def test_the_c_extension_is_installed() -> None:
    """A dependency of the project: without it every file takes the slow pure path."""
    assert c_extension() == "ruamel.yaml.clib"


@pytest.mark.parametrize("case", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_c_and_pure_agree(case: Path) -> None:
    text = _text(case)
    if text is None:
        pytest.skip("not UTF-8: refused before parsing")
    fast, pure = compose(text, case.name), compose(text, case.name, pure=True)
    if isinstance(fast, Diagnostic):
        assert str(fast) == str(pure)
        return
    assert isinstance(pure, Source)
    assert fast.data == pure.data
    if isinstance(fast.data, dict) and isinstance(fast.data.get("exceptions"), list):
        for i in range(len(fast.data["exceptions"])):
            assert fast.positions(["exceptions", i]) == pure.positions(["exceptions", i])


@pytest.mark.parametrize("pure", [False, True], ids=["c", "pure"])
@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('a: "open\nb: 1\n', "1:4", "the quoted text that starts on line 1 is never closed"),
        ("a: @x\n", "1:4", "a plain value cannot start with '@'; put the value in quotes ('@x')"),
        ("a: `x\n", "1:4", "a plain value cannot start with '`'"),
        ("a: 1\nb\nc: 2\n", "2:1", "'b' on line 2 has no ':' after it"),
        ('a: "x\\qy"\n', "1:", "a backslash in double quotes starts an escape"),
        ("a: &x 1\nb: &x 2\n", "2:4", "this anchor name is already defined above"),
        ("a: {b: 1\nc: 2\n", "2:2", "the mapping opened with '{' on line 1 is not closed"),
        ("a: 1\n...\nb: 2\n", "3:1", "a second YAML document starts here"),
        ("a:\n\tb: 1\n", "2:1", "YAML indents with spaces"),
        ("a: 2027-02-30\n", "1:4", "2027-02-30 is not a real date"),
        ("a: !!int x1\n", "1:4", "'x1' cannot be read as a whole number"),
        ("a: !!binary aGk=\n", "1:4", "the tag !!binary is not allowed here"),
        ("a: !custom x\n", "1:4", "the tag !custom is not allowed here"),
        ("? [a]\n: b\n", "1:1", ""),
    ],
)
def test_messages_from_either_parser(text: str, where: str, message: str, pure: bool) -> None:
    found = compose(text, "f.yaml", pure=pure)
    if not message:  # a complex key is read, as text
        assert isinstance(found, Source)
        return
    assert isinstance(found, Diagnostic), found
    assert str(found).startswith(f"f.yaml:{where}"), str(found)
    assert message in found.message


@pytest.mark.parametrize("pure", [False, True], ids=["c", "pure"])
def test_values_and_positions(pure: bool) -> None:
    text = (
        "base: &b {owner: team, ticket: T-1}\n"
        "n: [0x1f, 0o17, 1_000, -3, .inf, 1.5, true, ~, 2027-06-30, '2027-06-30T10:00']\n"
        "m:\n  <<: *b\n  owner: me\n  empty:\n"
    )
    source = compose(text, "f.yaml", pure=pure)
    assert isinstance(source, Source)
    assert source.data["n"] == [
        31, 15, 1000, -3, float("inf"), 1.5, True, None, "2027-06-30", "2027-06-30T10:00"
    ]  # fmt: skip
    assert source.data["m"] == {"owner": "me", "ticket": "T-1", "empty": None}
    assert str(source.at(["m", "owner"])) == "f.yaml:5:10"
    assert str(source.at(["m", "ticket"])) == "f.yaml:4:7"  # merged in: where `*b` stands
    assert str(source.at(["m", "empty"])) == "f.yaml:6:3"  # null: its key
    assert str(source.at(["n", 9])) == "f.yaml:2:60"
    assert str(source.at(["m", "nope"])) == "f.yaml:4:3"


def test_aliases_count_what_they_add_not_the_file() -> None:
    entries = "".join(f"- {{rule: r, proc.name: p{i}}}\n" for i in range(60_000))
    assert isinstance(compose(entries, "big.yaml"), Source)  # 180,000 values, no alias
    bomb = "a: &a [" + ", ".join(["x"] * 400) + "]\nb: [" + ", ".join(["*a"] * 300) + "]\n"
    found = compose(bomb, "bomb.yaml")
    assert isinstance(found, Diagnostic)
    assert "expand to more than 100,000 values" in found.message


def test_yaml_1_2_that_libyaml_refuses_is_read() -> None:
    """`falco-rules:5` in a flow list is YAML 1.2 (the falco chart writes it); libyaml
    refuses it, so the pure parser reads the file."""
    source = compose("refs: [falco-rules:5, docker.io/x:1.2]\n", "v.yaml")
    assert isinstance(source, Source)
    assert source.data == {"refs": ["falco-rules:5", "docker.io/x:1.2"]}
    assert str(source.at(["refs", 1])) == "v.yaml:1:23"
