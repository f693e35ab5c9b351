"""The repository installs as a Helm plugin and runs as `helm falco-exceptions` (Helm 3 and 4).

`helm plugin install <dir>` makes a symlink to the directory (a copy of this checkout);
the install hook builds the plugin's virtualenv in `<dir>/.plugin-venv`, offline from a
session wheelhouse.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import falco_exceptions

from .conftest import HELM_TIMEOUT, REPO_ROOT, Helm, install_plugin

PLUGIN = "falco-exceptions"
VERSION = falco_exceptions.__version__
WRAPPER = REPO_ROOT / "plugin" / "bin" / "falco-exceptions"
INSTALL_HOOK = REPO_ROOT / "plugin" / "bin" / "install-hook"


@pytest.fixture(scope="module")
def plugin_env(
    helm: Helm, wheelhouse: Path, plugin_source: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """A throwaway helm environment with the plugin installed from a copy of this checkout."""
    home = tmp_path_factory.mktemp(f"helm-{helm.major}")
    env, result = install_plugin(helm, plugin_source, wheelhouse, home)
    assert f"Installed plugin: {PLUGIN}" in result.stdout
    # The hook printed its steps, and installed offline.
    assert "offline from the wheelhouse" in result.stdout
    assert "done: " in result.stdout
    yield env
    helm.run("plugin", "uninstall", PLUGIN, env=env)  # removes the symlink only


@pytest.mark.helm
def test_plugin_list(helm: Helm, plugin_env: dict[str, str]) -> None:
    result = helm.run("plugin", "list", env=plugin_env)
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    assert [row[:2] for row in rows] == [[PLUGIN, VERSION]]


@pytest.mark.helm
def test_version(helm: Helm, plugin_env: dict[str, str]) -> None:
    result = helm.run(PLUGIN, "--version", env=plugin_env)
    assert result.returncode == 0, result.stderr
    assert VERSION in result.stdout


@pytest.mark.helm
def test_bad_option_exit_code_passes_through(
    helm: Helm, plugin_env: dict[str, str], tmp_path: Path
) -> None:
    result = helm.run(PLUGIN, "--no-such-option", env=plugin_env, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--no-such-option" in result.stderr


@pytest.mark.helm
def test_plugin_env_reaches_the_command(
    helm: Helm, plugin_env: dict[str, str], plugin_source: Path
) -> None:
    # The venv's console script is what runs: HELM_PLUGIN_DIR points at the source.
    plugin_dir = Path(plugin_env["HELM_PLUGINS"])
    links = [entry for entry in plugin_dir.iterdir() if entry.is_symlink()]
    assert [link.resolve() for link in links] == [plugin_source.resolve()]
    assert (plugin_source / ".plugin-venv" / "bin" / PLUGIN).is_file()


@pytest.mark.helm
def test_plugin_reads_yaml_with_the_c_extension(
    plugin_env: dict[str, str], plugin_source: Path
) -> None:
    """The install hook installs the dependencies, libyaml's C composer included."""
    python = plugin_source / ".plugin-venv" / "bin" / "python"
    code = "from falco_exceptions.yamlcompose import c_extension; print(c_extension())"
    found = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "ruamel.yaml.clib"


def run_script(script: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=HELM_TIMEOUT,
        check=False,
    )


def test_wrapper_without_venv(tmp_path: Path) -> None:
    env = {**os.environ, "HELM_PLUGIN_DIR": str(tmp_path)}
    result = run_script(WRAPPER, env)
    assert result.returncode == 1
    assert "run: helm plugin update falco-exceptions" in result.stderr


def test_install_hook_rejects_a_bad_python(tmp_path: Path, plugin_source: Path) -> None:
    # PYTHON is checked before anything is created.
    env = {**os.environ, "HELM_PLUGIN_DIR": str(plugin_source), "PYTHON": str(tmp_path / "py")}
    result = run_script(INSTALL_HOOK, env)
    assert result.returncode == 1
    assert "is not a working Python >= 3.11" in result.stderr


def test_install_hook_needs_the_plugin_dir(tmp_path: Path) -> None:
    env = {**os.environ, "HELM_PLUGIN_DIR": str(tmp_path)}
    result = run_script(INSTALL_HOOK, env)
    assert result.returncode == 1
    assert "no pyproject.toml in the plugin directory" in result.stderr
    assert not (tmp_path / ".plugin-venv").exists()
