"""Help is plain words: every command answers -h and --help, and no Python type names
(`<bool>`, `<list[Path]>`, `<str>`) or typer's `{release}` reach the reader."""

from __future__ import annotations

import re

import pytest

from tests.conftest import cli, run_entry_point

COMMANDS = [
    [],
    ["render"],
    ["validate"],
    ["lint"],
    ["report"],
    ["suggest"],
    ["coverage"],
    ["upgrade"],
    ["template"],
    ["rules"],
    ["rules", "list"],
    ["rules", "show"],
    ["versions"],
    ["charts"],
    ["schema"],
]
LEAKS = re.compile(r"<(bool|str|int|path|list\[[^>]*\]|[A-Za-z]+)>|\{[a-z_]+\}")


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) or "root" for c in COMMANDS])
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_for_every_command_without_type_names(command: list[str], flag: str) -> None:
    run = cli(*command, flag)
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "Usage: falco-exceptions" in run.stdout
    assert LEAKS.findall(run.stdout) == [], run.stdout


def _words(text: str) -> str:
    return " ".join(re.sub("[\u2500-\u257f]", " ", text).split())  # without the box


def test_help_shows_metavars_in_usage_and_options() -> None:
    text = _words(cli("render", "-h").stdout)
    assert "Usage: falco-exceptions render [OPTIONS] [FILE]..." in text
    assert "--falco-version VERSION" in text
    assert re.search(r"-o, --output FILE|--output -o FILE", text), text
    assert "(default: ./exceptions.yaml)" in text
    upgrade = _words(cli("upgrade", "-h").stdout)
    assert "Usage: falco-exceptions upgrade [OPTIONS] RELEASE CHART" in upgrade


def test_help_through_the_entry_point() -> None:
    run = run_entry_point("template", "-h")
    assert run.exit_code == 0
    assert "Every option not listed here goes to helm as given" in " ".join(run.stdout.split())
