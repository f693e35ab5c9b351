"""The exceptions schema's value refusals: invisible characters and maximum lengths, each
refused at the value with a message that names the character or the limit."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from falco_exceptions.schema import schema_text
from tests.conftest import cli

SCHEMA = json.loads(schema_text())
VISIBLE = SCHEMA["$defs"]["visible"]["not"]["pattern"]
PROSE = SCHEMA["$defs"]["prose"]["not"]["pattern"]
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}
EVERY = range(sys.maxunicode + 1)
ORDINARY = (
    "aZ09 -_./:@+~!?#$%&*^|;<>{}[]()=,'\"\\`éñüßøçÆ中文ドイツ語한국어אבגد😀\u00a0\u3000e\u0301"
)


def test_every_control_format_and_separator_character_is_refused() -> None:
    refused = re.compile(VISIBLE)
    missed = [
        f"U+{cp:04X}"
        for cp in EVERY
        if unicodedata.category(chr(cp)) in INVISIBLE_CATEGORIES and not refused.match(chr(cp))
    ]
    assert missed == []


def test_ordinary_text_is_accepted_in_every_script() -> None:
    assert not re.search(VISIBLE, ORDINARY)
    assert not re.search(PROSE, ORDINARY + "\n\t")


def test_prose_allows_tabs_and_line_breaks_and_nothing_else_more() -> None:
    visible, prose = re.compile(VISIBLE), re.compile(PROSE)
    extra = [cp for cp in EVERY if visible.match(chr(cp)) and not prose.match(chr(cp))]
    assert extra == [0x09, 0x0A]
    assert not [cp for cp in EVERY if prose.match(chr(cp)) and not visible.match(chr(cp))]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_editors_refuse_the_same_characters() -> None:
    """yaml-language-server compiles patterns as JavaScript regular expressions with the `u`
    flag: the class must mean the same code points there as in Python."""
    script = (
        "const re = new RegExp(process.argv[1], 'u'); const out = [];"
        "for (let cp = 0; cp <= 0x10FFFF; cp++) {"
        "  if (re.test(String.fromCodePoint(cp))) out.push(cp); }"
        "console.log(JSON.stringify(out));"
    )
    run = subprocess.run(
        ["node", "-e", script, VISIBLE], capture_output=True, text=True, check=True, timeout=120
    )
    python = [cp for cp in EVERY if re.match(VISIBLE, chr(cp))]
    assert json.loads(run.stdout) == python


def _file(tmp_path: Path, entry: str, falco: str = "  version: 0.44.1\n") -> Path:
    path = tmp_path / "exceptions.yaml"
    path.write_text(
        f"apiVersion: falco-exceptions/v1\nfalco:\n{falco}exceptions:\n"
        "  - rule: Read sensitive file untrusted\n" + entry
    )
    return path


JUSTIFIED = "    justification: AWS Systems Manager agent reads PAM config during inventory.\n"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            '    proc.name: "awsagent\\u202e"\n' + JUSTIFIED,
            "exceptions.yaml:6:16: error[FE102]: exceptions[0].proc.name holds U+202E "
            "(RIGHT-TO-LEFT OVERRIDE), an invisible format character: a reviewer cannot see "
            "it, so what is reviewed would differ from what is rendered for Falco; remove it",
        ),
        (
            '    proc.name: awsagent\n    fd.name: [/etc/a, "/etc/\\u200bb"]\n' + JUSTIFIED,
            "exceptions.yaml:7:23: error[FE102]: exceptions[0].fd.name[1] holds U+200B "
            "(ZERO WIDTH SPACE), an invisible format character",
        ),
        (
            '    proc.name: "a\\tb"\n' + JUSTIFIED,
            "exceptions.yaml:6:16: error[FE102]: exceptions[0].proc.name holds U+0009 (TAB), "
            "a control character",
        ),
        (
            '    proc.name: "a\\Lb"\n' + JUSTIFIED,
            "exceptions.yaml:6:16: error[FE102]: exceptions[0].proc.name holds U+2028 "
            "(LINE SEPARATOR), a line separator",
        ),
        (
            '    proc.name: "a\\U000E0041"\n' + JUSTIFIED,
            "exceptions.yaml:6:16: error[FE102]: exceptions[0].proc.name holds U+E0041 "
            "(TAG LATIN CAPITAL LETTER A), an invisible format character",
        ),
        (
            '    proc.name: "lone\\ud800"\n' + JUSTIFIED,
            "exceptions.yaml:6:16: error[FE102]: exceptions[0].proc.name holds U+D800, half of "
            "a surrogate pair, which is no character",
        ),
        (
            '    proc.name: awsagent\n    justification: "Reads PAM\\u202e config."\n',
            "exceptions.yaml:7:20: error[FE102]: exceptions[0].justification holds U+202E "
            "(RIGHT-TO-LEFT OVERRIDE)",
        ),
        (
            '    proc.name: awsagent\n    owner: "team\\x1b[31m"\n' + JUSTIFIED,
            "exceptions.yaml:7:12: error[FE102]: exceptions[0].owner holds U+001B (ESCAPE), "
            "a control character",
        ),
    ],
)
def test_invisible_characters_are_refused_at_the_value(
    tmp_path: Path, entry: str, expected: str
) -> None:
    run = cli("validate", _file(tmp_path, entry), "--format", "text")
    assert run.exit_code == 1
    lines = [line for line in run.stdout.splitlines() if "error[" in line]
    assert len(lines) == 1, run.stdout
    assert lines[0].replace(str(tmp_path) + "/", "").startswith(expected), run.stdout


def test_a_justification_may_span_lines(tmp_path: Path) -> None:
    entry = (
        "    proc.name: awsagent\n    justification: |\n"
        "      AWS Systems Manager agent reads PAM config\n\tduring inventory.\n"
    )
    run = cli("validate", _file(tmp_path, entry.replace("\t", "      ")))
    assert run.exit_code == 0, run.stdout


LIMITS = [
    ("proc.name", 4096, "no Falco field value is longer than a Linux path, PATH_MAX"),
    ("fd.name", 4096, "no Falco field value is longer than a Linux path, PATH_MAX"),
    ("rule", 1024, "a rule name is one line of text"),
    ("justification", 4096, "a few paragraphs; more belongs in the ticket"),
    ("owner", 256, "a team name or an e-mail address"),
    ("ticket", 2048, "a ticket id or URL"),
    ("id", 63, "a short name, like a Kubernetes label"),
]


@pytest.mark.parametrize(("key", "limit", "why"), LIMITS, ids=[k for k, _, _ in LIMITS])
def test_every_value_has_a_maximum_length(tmp_path: Path, key: str, limit: int, why: str) -> None:
    base = {
        "rule": "Read sensitive file untrusted",
        "proc.name": "awsagent",
        "justification": "AWS Systems Manager agent reads PAM config during inventory.",
    }

    def entry(length: int) -> str:
        fields = {**base, key: "a" * length}
        return "".join(f"    {k}: {v}\n" for k, v in fields.items()).replace("    ", "  - ", 1)

    path = tmp_path / "exceptions.yaml"
    head = "apiVersion: falco-exceptions/v1\nfalco:\n  version: 0.44.1\nexceptions:\n"
    path.write_text(head + entry(limit))
    at_limit = cli("validate", path)
    assert "error[FE102]" not in at_limit.stdout and "error[FE103]" not in at_limit.stdout
    path.write_text(head + entry(limit + 1))
    over = cli("validate", path)
    assert over.exit_code == 1
    message = (
        f"error[FE102]: exceptions[0].{key} is {limit + 1} characters long, more than the "
        f"{limit} allowed ({why}); shorten it"
    )
    assert [line for line in over.stdout.splitlines() if "FE102" in line] == [
        line for line in over.stdout.splitlines() if line.endswith(message)
    ]
    assert message in over.stdout


@pytest.mark.parametrize(
    ("falco", "expected"),
    [
        (
            '  version: "0.' + "9" * 40 + '"\n',
            "falco.version is 42 characters long, more than the 32",
        ),
        ("  rules: " + "r" * 65 + "\n", "falco.rules is 65 characters long, more than the 64"),
        (
            "  rulesFiles: [" + "f" * 252 + ".yaml]\n",
            "falco.rulesFiles[0] is 257 characters long, more than the 255 allowed (NAME_MAX",
        ),
    ],
)
def test_falco_settings_have_maximum_lengths(tmp_path: Path, falco: str, expected: str) -> None:
    run = cli("validate", _file(tmp_path, "    proc.name: awsagent\n" + JUSTIFIED, falco))
    assert run.exit_code == 1
    assert expected in run.stdout


def test_list_problems_are_located_at_the_item(tmp_path: Path) -> None:
    entry = '    proc.name: [awsagent, 7, "", awsagent]\n' + JUSTIFIED
    run = cli("validate", _file(tmp_path, entry))
    lines = [line.split(": ", 1)[0].rsplit(":", 2)[1:] for line in run.stdout.splitlines()[:-1]]
    assert lines == [["6", "16"], ["6", "27"], ["6", "30"]], run.stdout
    assert "exceptions[0].proc.name[1] must be a string, not a number" in run.stdout
    assert "exceptions[0].proc.name[2] must not be empty" in run.stdout
    assert "exceptions[0].proc.name lists the same value twice" in run.stdout
