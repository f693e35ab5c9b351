"""plugin.yaml stays loadable by Helm 3 and Helm 4 and in step with the package version."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

import falco_exceptions

ROOT = Path(__file__).resolve().parents[1]
# The keys Helm 3's strict parser accepts in a legacy plugin.yaml (any other key is an
# error, and disables every installed plugin).
HELM3_KEYS = {
    "name",
    "version",
    "usage",
    "description",
    "ignoreFlags",
    "platformCommand",
    "command",
    "hooks",
    "platformHooks",
    "downloaders",
}
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$"
)


def manifest() -> dict[str, Any]:
    data = YAML(typ="safe", pure=True).load((ROOT / "plugin.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_versions_agree() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    version = manifest()["version"]
    assert isinstance(version, str) and SEMVER.match(version)
    assert version == pyproject["project"]["version"] == falco_exceptions.__version__


def test_name() -> None:
    name = manifest()["name"]
    assert name == "falco-exceptions"
    assert re.fullmatch(r"[A-Za-z0-9_-]+", name)


def test_legacy_keys_only() -> None:
    data = manifest()
    assert "apiVersion" not in data
    assert set(data) <= HELM3_KEYS
    assert not ("command" in data and "platformCommand" in data)
    assert not ("hooks" in data and "platformHooks" in data)


def test_commands_point_at_the_plugin_scripts() -> None:
    data = manifest()
    commands = {entry["os"]: entry["command"] for entry in data["platformCommand"]}
    assert commands == {
        "linux": "$HELM_PLUGIN_DIR/plugin/bin/falco-exceptions",
        "darwin": "$HELM_PLUGIN_DIR/plugin/bin/falco-exceptions",
    }
    assert set(data["hooks"]) == {"install", "update"}
    for hook in data["hooks"].values():
        assert "$HELM_PLUGIN_DIR/plugin/bin/install-hook" in hook
    for script in ("falco-exceptions", "install-hook"):
        assert (ROOT / "plugin" / "bin" / script).stat().st_mode & 0o111
