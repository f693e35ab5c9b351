"""`upgrade` and `template` with the real Helm 3 and Helm 4 (HELM_BIN), no cluster.

`template` runs all the way: the ConfigMap must hold exactly the rendered rules. `upgrade`
has no cluster to talk to, so helm's own error and exit code must come back, and a
recording wrapper around the real helm shows the argv it got (global flags put back, the
rendered file last) and the rendered file, which must be gone afterwards.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import cli, run_entry_point

from .conftest import REPO_ROOT, Helm

FIXTURES = REPO_ROOT / "charts-fixtures"
EXAMPLE = REPO_ROOT / "examples" / "exceptions.yaml"
KEY = "falco-exceptions.yaml"

WRAPPER = """\
#!{python}
# Records helm's argv and the last -f file (JSON lines), then becomes the real helm. argv[0]
# stays this script, so helm hands it to plugins as HELM_BIN and their calls are recorded too.
import json, os, sys
args = sys.argv[1:]
record = {{"argv": args}}
if "-f" in args:
    path = args[len(args) - 1 - args[::-1].index("-f") + 1]
    record["file"] = path
    record["text"] = open(path).read()
with open({log!r}, "a") as log:
    log.write(json.dumps(record) + "\\n")
os.execv({real!r}, [sys.argv[0], *args])
"""


def recording_helm(helm: Helm, folder: Path) -> Path:
    """A helm that logs each call to `folder/helm.log` and then runs the real one."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "helm"
    script.write_text(
        WRAPPER.format(python=sys.executable, log=str(folder / "helm.log"), real=str(helm.path))
    )
    script.chmod(0o755)
    return script


def recorded(folder: Path) -> list[dict[str, Any]]:
    log = folder / "helm.log"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def use_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    """Make `env` this process's environment (for the in-process runner)."""
    for name in list(os.environ):
        if name.startswith("HELM_") or name == "KUBECONFIG":
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def documents(text: str) -> list[dict[str, Any]]:
    return [doc for doc in YAML(typ="safe", pure=True).load_all(text) if doc is not None]


def configmap(text: str, name: str) -> dict[str, Any]:
    found = [
        d for d in documents(text) if d["kind"] == "ConfigMap" and d["metadata"]["name"] == name
    ]
    assert len(found) == 1, text
    return found[0]


def rules_of(values_text: str, keys: tuple[str, ...]) -> str:
    node: Any = YAML(typ="safe", pure=True).load(values_text)
    for key in keys:
        node = node[key]
    rules: str = node[KEY]
    return rules


def without_version(tmp_path: Path) -> Path:
    src = tmp_path / "exceptions.yaml"
    text = EXAMPLE.read_text().replace(
        "falco:\n  version: 0.26.2          # falco chart 1.5.7\n", ""
    )
    src.write_text(text)
    return src


CASES = [  # chart, exceptions without a version?, extra options, Falco it renders for
    ("falco-1x", False, [], "0.26.2"),
    ("falco-2x", True, [], "0.44.1"),
    ("umbrella", True, ["--values-path", "falco.customRules"], "0.44.1"),
    ("umbrella", True, [], "0.44.1"),  # the chart says where falco's values sit
]


@pytest.mark.helm
@pytest.mark.parametrize(("chart", "bare", "options", "falco"), CASES)
def test_template_configmap_holds_the_rendered_rules(
    helm: Helm,
    helm_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    chart: str,
    bare: bool,
    options: list[str],
    falco: str,
) -> None:
    use_env(monkeypatch, {**helm_env, "HELM_BIN": str(helm.path)})
    src = without_version(tmp_path) if bare else EXAMPLE
    run = cli("template", "falco", FIXTURES / chart, "--exceptions", src, *options)
    assert run.exit_code == 0, run.stderr
    keys = ("falco", "customRules") if chart == "umbrella" else ("customRules",)
    rendered = cli("render", src, "--falco-version", falco, "--values-path", ".".join(keys))
    rules = rules_of(rendered.stdout, keys)
    assert configmap(run.stdout, "falco-rules")["data"] == {KEY: rules}
    assert f"for Falco {falco} " in rules
    assert isinstance(YAML(typ="safe", pure=True).load(rules), list)
    if bare:
        assert f"note: Falco {falco}, from chart {FIXTURES / chart}" in run.stderr


@pytest.mark.helm
def test_template_through_the_entry_point_and_a_recording_helm(
    helm: Helm, helm_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    wrapper = recording_helm(helm, tmp_path / "rec")
    env = {**helm_env, "HELM_BIN": str(wrapper), "HELM_NAMESPACE": "sec"}
    use_env(monkeypatch, env)
    proc = run_entry_point(
        "template",
        "prod",
        FIXTURES / "falco-1x",
        "--exceptions",
        EXAMPLE,
        "--set",
        "image.tag=x",
        "--show-only",
        "templates/configmap-rules.yaml",
    )
    assert proc.exit_code == 0, proc.stderr
    [call] = recorded(tmp_path / "rec")  # a chart directory is read directly, not via helm
    assert call["argv"] == [
        "template", "prod", str(FIXTURES / "falco-1x"), "--set", "image.tag=x",
        "--show-only", "templates/configmap-rules.yaml",
        "--namespace", "sec", "--kubeconfig", env["KUBECONFIG"], "-f", call["file"],
    ]  # fmt: skip
    assert not Path(call["file"]).exists()
    data = configmap(proc.stdout, "prod-falco-rules")
    assert data["metadata"]["namespace"] == "sec"
    assert data["data"] == {KEY: rules_of(call["text"], ("customRules",))}


@pytest.mark.helm
def test_upgrade_without_a_cluster_passes_helms_error_through(
    helm: Helm, helm_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    chart = FIXTURES / "falco-1x"
    direct = helm.run("upgrade", "falco", chart, "--install", env=helm_env)
    assert direct.returncode != 0
    wrapper = recording_helm(helm, tmp_path / "rec")
    env = {**helm_env, "HELM_BIN": str(wrapper), "HELM_KUBECONTEXT": "ctx", "HELM_DEBUG": "true"}
    use_env(monkeypatch, env)
    run = cli("upgrade", "falco", chart, "--exceptions", EXAMPLE, "--install", "-n", "sec")
    assert run.exit_code == direct.returncode
    assert "kubernetes cluster unreachable" in run.stderr.lower()
    assert env["KUBECONFIG"] in run.stderr  # helm read the restored --kubeconfig
    calls = recorded(tmp_path / "rec")
    assert [c["argv"][0] for c in calls] == ["upgrade"]  # a directory: read, not `helm show`
    assert calls[0]["argv"] == [
        "upgrade", "falco", str(chart), "--install", "-n", "sec",
        "--kube-context", "ctx", "--kubeconfig", env["KUBECONFIG"], "--debug",
        "-f", calls[0]["file"],
    ]  # fmt: skip
    assert calls[0]["text"] == cli("render", EXAMPLE).stdout
    assert not Path(calls[0]["file"]).parent.exists()
