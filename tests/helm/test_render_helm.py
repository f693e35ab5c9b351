"""Through the plugin (Helm 3 and Helm 4): `helm falco-exceptions render|template|upgrade`.

The plugin is installed from a copy of this checkout into a throwaway helm home (offline, from the
session wheelhouse). Its render must give the CLI's bytes, and `helm template` of each
chart fixture with those values must yield a rules ConfigMap holding exactly the rules text.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import run_entry_point

from .conftest import REPO_ROOT, Helm, install_plugin
from .test_upgrade_helm import configmap, recorded, recording_helm, rules_of

PLUGIN = "falco-exceptions"
FIXTURES = REPO_ROOT / "charts-fixtures"
EXAMPLE = "examples/exceptions.yaml"  # relative to REPO_ROOT, as the rendered comments show
KEY = "falco-exceptions.yaml"


@pytest.fixture(scope="module")
def plugin_env(
    helm: Helm, wheelhouse: Path, plugin_source: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """A throwaway helm home with the plugin installed from a copy of this checkout."""
    home = tmp_path_factory.mktemp(f"render-{helm.major}")
    env, _ = install_plugin(helm, plugin_source, wheelhouse, home)
    yield env
    helm.run("plugin", "uninstall", PLUGIN, env=env)


def load(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


@pytest.mark.helm
def test_plugin_render_gives_the_cli_bytes(helm: Helm, plugin_env: dict[str, str]) -> None:
    through_helm = helm.run(PLUGIN, "render", EXAMPLE, env=plugin_env, cwd=REPO_ROOT)
    assert through_helm.returncode == 0, through_helm.stderr
    direct = run_entry_point("render", EXAMPLE, cwd=REPO_ROOT)
    assert direct.exit_code == 0, direct.stderr
    assert through_helm.stdout == direct.stdout
    assert "for Falco 0.26.2" in through_helm.stdout


CHARTS = [  # chart, render options, where customRules sits, the Falco rendered for
    ("falco-1x", [], ("customRules",), "0.26.2"),
    ("falco-2x", ["--falco-version", "0.44.1"], ("customRules",), "0.44.1"),
    (
        "umbrella",
        ["--falco-version", "0.44.1", "--values-path", "falco.customRules"],
        ("falco", "customRules"),
        "0.44.1",
    ),
]


@pytest.mark.helm
@pytest.mark.parametrize(("chart", "options", "keys", "falco"), CHARTS)
def test_helm_template_with_the_rendered_values(
    helm: Helm,
    plugin_env: dict[str, str],
    tmp_path: Path,
    chart: str,
    options: list[str],
    keys: tuple[str, ...],
    falco: str,
) -> None:
    out = tmp_path / "exceptions.values.yaml"
    rendered = helm.run(
        PLUGIN, "render", EXAMPLE, "-o", out, *options, env=plugin_env, cwd=REPO_ROOT
    )
    assert rendered.returncode == 0, rendered.stderr
    rules = rules_of(out.read_text(), keys)
    assert f"for Falco {falco} " in rules
    assert isinstance(load(rules), list)  # the rules text itself is valid YAML
    templated = helm.run("template", "falco", FIXTURES / chart, "-f", out, env=plugin_env)
    assert templated.returncode == 0, templated.stderr
    assert configmap(templated.stdout, "falco-rules")["data"] == {KEY: rules}


@pytest.mark.helm
@pytest.mark.parametrize(("chart", "keys"), [("falco-2x", ()), ("umbrella", ("falco",))])
def test_in_place_values_file_templates(
    helm: Helm, plugin_env: dict[str, str], tmp_path: Path, chart: str, keys: tuple[str, ...]
) -> None:
    # The chart's own commented values.yaml, updated in place, then used as the values file;
    # the Falco version comes from the chart.
    values = tmp_path / "values.yaml"
    shutil.copy(FIXTURES / chart / "values.yaml", values)
    before = values.read_text()
    exceptions = tmp_path / "exceptions.yaml"
    text = (REPO_ROOT / EXAMPLE).read_text()
    exceptions.write_text(
        text.replace("falco:\n  version: 0.26.2          # falco chart 1.5.7\n", "")
    )
    path = ".".join((*keys, "customRules"))
    options = ["--values-path", path, "--chart", str(FIXTURES / chart)]
    result = helm.run(
        PLUGIN, "render", exceptions, "--values", values, "--in-place", *options, env=plugin_env
    )
    assert result.returncode == 0, result.stderr
    assert f"note: Falco 0.44.1, from chart {FIXTURES / chart}" in result.stderr
    after = values.read_text()
    assert after.split("customRules:")[0] == before.split("customRules:")[0]
    rules = rules_of(after, (*keys, "customRules"))
    templated = helm.run("template", "falco", FIXTURES / chart, "-f", values, env=plugin_env)
    assert templated.returncode == 0, templated.stderr
    assert configmap(templated.stdout, "falco-rules")["data"] == {KEY: rules}
    assert "for Falco 0.44.1 " in rules
    check = helm.run(
        PLUGIN, "render", exceptions, "--values", values, "--check", *options, env=plugin_env
    )
    assert (check.returncode, check.stdout) == (0, ""), check.stderr


@pytest.mark.helm
def test_plugin_template(helm: Helm, plugin_env: dict[str, str]) -> None:
    result = helm.run(
        PLUGIN,
        "template",
        "prod",
        FIXTURES / "falco-2x",
        "--exceptions",
        EXAMPLE,
        "--falco-version",
        "0.44.1",
        "-n",
        "sec",
        env=plugin_env,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr
    rules = configmap(result.stdout, "prod-falco-rules")
    assert rules["metadata"]["namespace"] == "sec"  # -n went to the plugin's helm template
    assert "for Falco 0.44.1 " in rules["data"][KEY]


@pytest.mark.helm
def test_plugin_upgrade_restores_the_global_flags(
    helm: Helm, plugin_env: dict[str, str], tmp_path: Path
) -> None:
    # Run through a recording helm: Helm gives plugins its own argv[0] as HELM_BIN, so the
    # plugin's call to helm is recorded too.
    wrapper = Helm(helm.major, recording_helm(helm, tmp_path / "rec"))
    kubeconfig = str(tmp_path / "no-such-kubeconfig")
    result = wrapper.run(
        PLUGIN,
        "upgrade",
        "falco",
        FIXTURES / "falco-1x",  # Falco 0.26.2, as EXAMPLE says
        "--exceptions",
        EXAMPLE,
        "--install",
        "-n",
        "sec",
        "--kube-context",
        "ctx",
        "--kubeconfig",
        kubeconfig,
        "--debug",
        env=plugin_env,
        cwd=REPO_ROOT,
    )
    outer, inner = recorded(tmp_path / "rec")
    assert outer["argv"][:2] == [PLUGIN, "upgrade"]
    assert inner["argv"] == [
        "upgrade", "falco", str(FIXTURES / "falco-1x"), "--install",
        "--namespace", "sec", "--kube-context", "ctx", "--kubeconfig", kubeconfig, "--debug",
        "-f", inner["file"],
    ]  # fmt: skip
    assert not Path(inner["file"]).exists()
    direct = helm.run(
        "upgrade", "falco", FIXTURES / "falco-1x", "--kubeconfig", kubeconfig, env=plugin_env
    )
    assert result.returncode == direct.returncode != 0
    assert kubeconfig in result.stderr  # helm's own error came through
