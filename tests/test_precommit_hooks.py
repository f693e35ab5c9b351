"""`.pre-commit-hooks.yaml`: the setups the README and docs/review-and-ci.md show, run by
pre-commit itself (`pre-commit run --all-files`: its file selection by `files`, `exclude`
and `types`, its `args`, its skipping of hooks that match no file) in a throwaway git
repository laid out as the documentation says.

pre-commit builds a `language: python` hook's environment by installing this package from
the network; the tests run the same hook as a local hook of language `unsupported` (the
manifest's entry run from PATH) with the package's own virtualenv first on PATH. Nothing
else about the hook changes: its id, name, entry, files, exclude, types and
pass_filenames are the manifest's, merged with the documented config as pre-commit
merges them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import REPO

pytest.importorskip("pre_commit", reason="pre-commit is a test dependency (scripts/bootstrap)")

from identify.identify import tags_from_filename
from pre_commit.clientlib import load_manifest
from pre_commit.commands.run import filter_by_include_exclude

HOOKS_FILE = REPO / ".pre-commit-hooks.yaml"
EXAMPLE = REPO / "examples" / "exceptions.yaml"
DOCS = (REPO / "README.md", REPO / "docs" / "review-and-ci.md")
BIN = Path(sys.executable).parent


def _hooks() -> dict[str, dict[str, Any]]:
    """The manifest as pre-commit reads it (validated, defaults filled in)."""
    return {hook["id"]: hook for hook in load_manifest(str(HOOKS_FILE))}


def documented_configs() -> list[tuple[str, dict[str, Any]]]:
    """Every `.pre-commit-config.yaml` block of the documentation, as (where, config)."""
    found = []
    for doc in DOCS:
        for block in re.findall(r"```yaml\n(.*?)```", doc.read_text(), flags=re.S):
            text = textwrap.dedent(block)
            if text.startswith("# .pre-commit-config.yaml"):
                found.append((f"{doc.name} #{len(found) + 1}", YAML(typ="safe").load(text)))
    return found


CONFIGS = documented_configs()


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _local_config(config: dict[str, Any]) -> dict[str, Any]:
    """The documented config with its hooks resolved against the manifest, as local hooks."""
    manifest = _hooks()
    hooks = []
    for repo in config["repos"]:
        for hook in repo["hooks"]:
            hooks.append({**manifest[hook["id"]], **hook, "language": "unsupported"})
    return {"repos": [{"repo": "local", "hooks": hooks}]}


def pre_commit(repo: Path, config: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    with (repo / ".pre-commit-config.yaml").open("w") as handle:
        YAML().dump(_local_config(config), handle)
    _git(repo, "add", "-A")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env["PRE_COMMIT_HOME"] = str(repo.parent / "pre-commit-home")
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [str(BIN / "pre-commit"), "run", "--all-files", "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _layout(repo: Path, config: dict[str, Any]) -> list[Path]:
    """The files the config names, with good content: exceptions files (a base and an
    overlay when there are two) and the values file, rendered. Returns the exceptions files."""
    _git(repo, "init", "-q")
    (repo / "README.md").write_text("Falco exceptions of this cluster.\n")
    args = [a for r in config["repos"] for h in r["hooks"] for a in h.get("args", [])]
    out = args[args.index("-o") + 1] if "-o" in args else None
    named = [a for a in dict.fromkeys(args) if a.endswith(".yaml") and a != out]
    files = [repo / n for n in named] or [repo / "exceptions.yaml"]
    base = EXAMPLE.read_text().replace("  - rule:", "  - id: awsagent-pam\n    rule:", 1)
    for i, path in enumerate(files):
        path.parent.mkdir(parents=True, exist_ok=True)
        overlay = "apiVersion: falco-exceptions/v1\nremove: [awsagent-pam]\nexceptions: []\n"
        path.write_text(base if i == 0 else overlay)
    if out is not None:
        render = [str(BIN / "falco-exceptions"), "render", *named, "-o", out]
        subprocess.run(render, cwd=repo, check=True, capture_output=True)
    return files


def _statuses(output: str) -> dict[str, str]:
    return dict(re.findall(r"^(.+?)\.{3,}.*?(Passed|Failed|Skipped)$", output, flags=re.M))


@pytest.mark.parametrize(("where", "config"), CONFIGS, ids=[w for w, _ in CONFIGS])
def test_documented_setup_runs_every_hook_and_catches_a_broken_file(
    tmp_path: Path, where: str, config: dict[str, Any]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    files = _layout(repo, config)
    good = pre_commit(repo, config)
    names = [_hooks()[h["id"]]["name"] for r in config["repos"] for h in r["hooks"]]
    assert _statuses(good.stdout) == dict.fromkeys(names, "Passed"), good.stdout
    assert good.returncode == 0
    if len(files) == 1:
        files[0].write_text(EXAMPLE.read_text().replace("2027-06-30", "2020-01-01"))
    else:  # the overlay removes an id its base does not define
        files[-1].write_text(files[-1].read_text().replace("awsagent-pam", "awsagent-pamm"))
    bad = pre_commit(repo, config)
    assert bad.returncode == 1
    assert "Failed" in _statuses(bad.stdout).values(), bad.stdout
    assert "Skipped" not in bad.stdout
    expected = (
        "error[FE301]: expired on 2020-01-01"
        if len(files) == 1
        else "which no earlier file defines; did you mean 'awsagent-pam'?"
    )
    assert expected in bad.stdout


def test_the_docs_show_both_setups_and_the_readme_matches_its_workflow() -> None:
    hooks = {h["id"] for _, c in CONFIGS for r in c["repos"] for h in r["hooks"]}
    assert hooks == set(_hooks())
    readme = (REPO / "README.md").read_text()
    workflow_files = re.search(r"FILES: (\S+ \S+)", readme)
    assert workflow_files is not None
    layered = next(
        h["args"]
        for w, c in CONFIGS
        if w.startswith("README")
        for r in c["repos"]
        for h in r["hooks"]
        if h["id"] == "falco-exceptions-validate-layered"
    )
    assert layered == workflow_files.group(1).split()


@pytest.mark.parametrize(
    ("name", "selected"),
    [
        ("exceptions.yaml", True),
        ("exceptions.yml", True),
        ("deploy/cluster-a.exceptions.yaml", True),
        ("base-exceptions.yaml", True),
        ("falco_exceptions.yaml", True),
        ("exceptions.values.yaml", False),
        (".falco-exceptions.yaml", False),
        ("deploy/.falco-exceptions.yaml", False),
        ("myexceptions.yaml", False),
        ("values.yaml", False),
        ("README.md", False),
    ],
)
def test_validate_hook_selects_exception_files(name: str, selected: bool) -> None:
    """pre-commit's own selection functions, on the manifest's patterns and types."""
    hook = _hooks()["falco-exceptions-validate"]
    matched = list(filter_by_include_exclude([name], hook["files"], hook["exclude"]))
    typed = [n for n in matched if set(hook["types"]) <= tags_from_filename(n)]
    assert bool(typed) is selected


@pytest.mark.parametrize(
    "hook_id", ["falco-exceptions-validate-layered", "falco-exceptions-render-check"]
)
def test_hooks_without_file_names_run_on_any_yaml_change(hook_id: str) -> None:
    hook = _hooks()[hook_id]
    assert hook["pass_filenames"] is False
    for name in ("falco/base.yaml", "cluster-a.yaml", ".falco-exceptions.yaml"):
        assert list(filter_by_include_exclude([name], hook["files"], hook["exclude"])) == [name]
        assert set(hook["types"]) <= tags_from_filename(name)


def test_validate_hook_keeps_files_apart_when_the_user_sets_args(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    for name in ("exceptions.yaml", "deploy/cluster-a.exceptions.yaml"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(EXAMPLE.read_text())
    config = {
        "repos": [
            {"repo": "x", "hooks": [{"id": "falco-exceptions-validate", "args": ["--strict"]}]}
        ]
    }
    run = pre_commit(repo, config)
    assert run.returncode == 0, run.stdout  # layered, the two identical files would be FE105


def test_the_hooks_are_declared_as_the_docs_say() -> None:
    validate, layered, render = _hooks().values()
    assert (validate["entry"], validate["language"]) == (
        "falco-exceptions validate --separately",
        "python",
    )
    assert validate["args"] == []  # a user's args replace the manifest's, so none are set
    assert (layered["entry"], layered["pass_filenames"]) == ("falco-exceptions validate", False)
    assert (render["entry"], render["pass_filenames"]) == ("falco-exceptions render --check", False)
