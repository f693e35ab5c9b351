"""Whether chart values turn the container plugin off, read from the real charts' values."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from ruamel.yaml import YAML

from falco_exceptions.falco.container_plugin import off_reason
from tests.conftest import SHARED

CHARTS = SHARED / "charts"
F041, F044 = (0, 41, 3), (0, 44, 1)


def _chart_values(chart: str) -> dict[str, Any]:
    path = CHARTS / chart / "values.yaml"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    data: dict[str, Any] = YAML(typ="safe", pure=True).load(path.read_text())
    return data


def _with(values: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(values)
    node = changed
    *parents, last = path.split(".")
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    return changed


def test_the_charts_defaults_load_it() -> None:
    assert off_reason(_chart_values("falco-9.1.0"), F044) is None
    assert off_reason(_chart_values("falco-4.22.0"), F041) is None  # via the docker collector
    assert off_reason({}, F044) is None  # nothing said: the chart's default


def test_chart_9_turns_it_off_with_the_container_engine() -> None:
    values = _with(_chart_values("falco-9.1.0"), "collectors.containerEngine.enabled", False)
    assert off_reason(values, F044) == "collectors.containerEngine.enabled is false"
    assert off_reason({"collectors": {"containerEngine": {"enabled": False}}}, F044) is not None


def test_chart_4_needs_the_older_collectors_off_too() -> None:
    values = _chart_values("falco-4.22.0")
    assert values["collectors"]["containerEngine"]["enabled"] is False  # its default
    for name in ("docker", "containerd", "crio"):
        values = _with(values, f"collectors.{name}.enabled", False)
    assert off_reason(values, F041) == (
        "collectors.containerEngine.enabled is false, and so are collectors.docker.enabled, "
        "collectors.containerd.enabled, collectors.crio.enabled"
    )
    only_engine = {"collectors": {"containerEngine": {"enabled": False}}}
    assert off_reason(only_engine, F041) is None  # the older collectors may still load it


@pytest.mark.parametrize("key", ["driver.enabled", "collectors.enabled"])
def test_no_driver_or_no_collectors_means_no_plugin(key: str) -> None:
    for flag in (False, None, 0):
        assert off_reason(_with({}, key, flag), F044) == f"{key} is false"


def test_loading_it_by_hand_wins() -> None:
    values = _with({}, "collectors.enabled", False)
    assert off_reason(_with(values, "falco.load_plugins", ["container"]), F044) is None


def test_before_0_41_the_engine_provides_the_fields() -> None:
    assert off_reason(_with({}, "collectors.enabled", False), (0, 40, 0)) is None


def test_a_subchart_reads_below_its_prefix() -> None:
    values = {"falco": {"collectors": {"enabled": False}}, "collectors": {"enabled": True}}
    assert off_reason(values, F044, ("falco",)) == "falco.collectors.enabled is false"
