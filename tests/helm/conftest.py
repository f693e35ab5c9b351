"""Fixtures for the tests that run the real Helm 3 and Helm 4 binaries.

`scripts/install-helm` puts them in `.cache/helm/{v3,v4}/helm`. Without them these tests
are skipped, except in CI (env `CI` set), where a missing binary is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
HELM_MAJORS = ("v3", "v4")
HELM_TIMEOUT = 300  # seconds; a plugin install builds a virtualenv


@dataclass(frozen=True)
class Helm:
    """One real helm binary."""

    major: str  # "v3" or "v4"
    path: Path

    def run(
        self,
        *args: str | os.PathLike[str],
        env: Mapping[str, str],
        cwd: Path | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run helm with `args`; never raises on a non-zero exit (callers check it)."""
        return subprocess.run(
            [str(self.path), *map(str, args)],
            env=dict(env),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=HELM_TIMEOUT,
            check=False,
        )


@pytest.fixture(scope="session", params=HELM_MAJORS)
def helm(request: pytest.FixtureRequest) -> Helm:
    """The real helm binary, once for Helm 3 and once for Helm 4."""
    major: str = request.param
    path = REPO_ROOT / ".cache" / "helm" / major / "helm"
    if not (path.is_file() and os.access(path, os.X_OK)):
        message = f"helm {major} not found at {path}: run scripts/install-helm"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return Helm(major, path)


def make_helm_env(base: Path) -> dict[str, str]:
    """An environment in which helm sees only a throwaway home under `base`.

    HELM_PLUGINS stays `$HELM_DATA_HOME/plugins`: Helm 4.1 installs a plugin from a local
    directory into `$HELM_DATA_HOME/plugins` whatever HELM_PLUGINS says, and then only
    finds it when HELM_PLUGINS points there.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("HELM_")}
    data = base / "data"
    env.update(
        HELM_CACHE_HOME=str(base / "cache"),
        HELM_CONFIG_HOME=str(base / "config"),
        HELM_DATA_HOME=str(data),
        HELM_PLUGINS=str(data / "plugins"),
        KUBECONFIG=str(base / "kubeconfig"),
    )
    return env


@pytest.fixture
def helm_env(tmp_path: Path) -> dict[str, str]:
    """A throwaway helm environment (cache, config, data and plugins under tmp_path)."""
    return make_helm_env(tmp_path / "helm-home")


def _wheelhouse_requirements() -> list[str]:
    """The project's runtime dependencies and its build backend, from pyproject.toml."""
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    runtime: list[str] = pyproject["project"].get("dependencies", [])
    build: list[str] = pyproject["build-system"]["requires"]
    return [*runtime, *build]


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A directory of wheels from which the plugin's install hook installs offline.

    Holds the project's dependencies and its build backend (pip builds the plugin
    directory itself, with no index). Built once per session with this Python's pip.
    """
    path = tmp_path_factory.mktemp("wheelhouse")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--disable-pip-version-check",
            "--wheel-dir",
            str(path),
            *_wheelhouse_requirements(),
        ],
        capture_output=True,
        text=True,
        timeout=HELM_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"could not build the wheelhouse:\n{result.stdout}{result.stderr}")
    yield path


# What a plugin install from a git URL would not have either.
_NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".plugin-venv",
    ".cache",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "*.egg-info",
    "dist",
    "build",
)


@pytest.fixture(scope="session")
def plugin_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of this checkout to install the plugin from.

    Installing writes the plugin's virtualenv into the plugin directory (a local install is
    a symlink to it), which must not be the developer's checkout.
    """
    dest = tmp_path_factory.mktemp("plugin-source") / "falco-exceptions"
    shutil.copytree(REPO_ROOT, dest, ignore=_NOT_COPIED, symlinks=True)
    return dest


def install_plugin(
    helm: Helm, source: Path, wheelhouse: Path, home: Path
) -> tuple[dict[str, str], subprocess.CompletedProcess[str]]:
    """A throwaway helm home with the plugin installed from `source`, offline."""
    env = make_helm_env(home)
    env["FALCO_EXCEPTIONS_WHEELHOUSE"] = str(wheelhouse)
    env.pop("FALCO_EXCEPTIONS_PIP_ARGS", None)
    result = helm.run("plugin", "install", source, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return env, result
