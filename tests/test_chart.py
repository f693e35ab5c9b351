"""chart.py: the Falco of a chart (table, Chart.yaml, helm show chart) and its default values."""

from __future__ import annotations

import json
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

from falco_exceptions import chart
from falco_exceptions.errors import FatalError
from falco_exceptions.target import Hint
from tests.conftest import REPO, SHARED

FIXTURES = REPO / "charts-fixtures"

FACTS_TABLE = {  # docs/falco-facts.md section 6
    "1.5.7": "0.26.2",
    "1.19.4": "0.32.0",
    "2.5.5": "0.33.1",
    "3.8.7": "0.36.2",
    "4.22.0": "0.41.0",
    "5.0.3": "0.41.1",
    "6.4.1": "0.41.3",
    "7.2.1": "0.42.1",
    "8.0.5": "0.43.1",
    "9.1.0": "0.44.1",
}


def fake_helm(tmp_path: Path, chart_yaml: str, code: int = 0, stderr: str = "") -> Path:
    """A HELM_BIN that logs its argv (JSON lines) and prints `chart_yaml`."""
    script = tmp_path / "helm"
    log = tmp_path / "helm.log"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"open({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
        f"sys.stdout.write({chart_yaml!r})\n"
        f"sys.stderr.write({stderr!r})\n"
        f"sys.exit({code})\n"
    )
    script.chmod(0o755)
    return script


def calls(tmp_path: Path) -> list[list[str]]:
    log = tmp_path / "helm.log"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def test_table_holds_the_documented_releases() -> None:
    assert dict(chart.CHART_RELEASES) == FACTS_TABLE
    versions = [tuple(map(int, c.split("."))) for c, _ in chart.CHART_RELEASES]
    assert versions == sorted(versions)


@pytest.mark.parametrize(("chart_version", "falco"), FACTS_TABLE.items())
def test_chart_version(chart_version: str, falco: str) -> None:
    assert chart.falco_of_chart_version(chart_version) == Hint(
        falco, f"chart falco {chart_version}"
    )


def test_unknown_chart_version_lists_the_known_ones() -> None:
    with pytest.raises(FatalError) as caught:
        chart.falco_of_chart_version("4.0.0")
    assert caught.value.message.startswith(
        "--chart-version 4.0.0 is not a falco chart version this tool knows (1.5.7, 1.19.4, "
        "2.5.5, 3.8.7, 4.22.0, 5.0.3, 6.4.1, 7.2.1, 8.0.5, 9.1.0); give the chart's Falco "
        "with --falco-version"
    )


@pytest.mark.parametrize(
    ("name", "falco", "source"),
    [
        ("falco-1x", "0.26.2", " (falco 1.5.7)"),
        ("falco-2x", "0.44.1", " (falco 9.1.0)"),
        ("umbrella", "0.44.1", ", subchart charts/falco (falco 9.1.0)"),
    ],
)
def test_local_chart_directories(name: str, falco: str, source: str) -> None:
    ref = str(FIXTURES / name)
    assert chart.falco_of_chart(ref) == Hint(falco, f"chart {ref}{source}")


def write_chart(folder: Path, meta: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Chart.yaml").write_text(json.dumps(meta))
    return folder


def test_umbrella_with_a_vendored_archive(tmp_path: Path) -> None:
    umbrella = write_chart(
        tmp_path / "stack",
        {"name": "stack", "version": "1.0.0", "dependencies": [{"name": "falco", "version": "*"}]},
    )
    (umbrella / "charts").mkdir()
    with tarfile.open(umbrella / "charts" / "falco-7.2.1.tgz", "w:gz"):
        pass
    assert chart.falco_of_chart(str(umbrella)) == Hint(
        "0.42.1", f"chart {umbrella} (falco-7.2.1.tgz)"
    )


def test_umbrella_with_only_a_dependency_version(tmp_path: Path) -> None:
    meta = {"name": "stack", "version": "1.0.0", "dependencies": [{"name": "falco"}]}
    meta["dependencies"][0]["version"] = "3.8.7"
    umbrella = write_chart(tmp_path / "stack", meta)
    assert chart.falco_of_chart(str(umbrella)).value == "0.36.2"
    meta["dependencies"][0]["version"] = "^4.0.0"
    write_chart(umbrella, meta)
    with pytest.raises(FatalError, match=r"dependency falco \^4.0.0 is not a falco chart"):
        chart.falco_of_chart(str(umbrella))


def test_falco_chart_without_app_version_uses_the_table(tmp_path: Path) -> None:
    folder = write_chart(tmp_path / "falco", {"name": "falco", "version": "2.5.5"})
    assert chart.falco_of_chart(str(folder)).value == "0.33.1"


def test_not_a_falco_chart(tmp_path: Path) -> None:
    folder = write_chart(tmp_path / "nginx", {"name": "nginx", "version": "1.0.0"})
    with pytest.raises(FatalError, match=r"\(nginx 1.0.0\) is not the falco chart and has no"):
        chart.falco_of_chart(str(folder))


def test_broken_chart_yaml_is_located(tmp_path: Path) -> None:
    (tmp_path / "Chart.yaml").write_text("name: [falco\n")
    with pytest.raises(FatalError, match=r"Chart.yaml:2:1: error\[FE101\]: YAML syntax error"):
        chart.falco_of_chart(str(tmp_path))


def test_remote_chart_goes_through_helm_show_chart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    helm = fake_helm(tmp_path, "apiVersion: v2\nname: falco\nversion: 4.22.0\nappVersion: 0.41.0\n")
    monkeypatch.setenv("HELM_BIN", str(helm))
    args = ["-f", "v.yaml", "--version", "4.22.0", "--install", "--repo=https://x", "--devel"]
    hint = chart.falco_of_chart("falcosecurity/falco", args)
    assert hint == Hint("0.41.0", "chart falcosecurity/falco (falco 4.22.0)")
    assert calls(tmp_path) == [
        [
            "show",
            "chart",
            "falcosecurity/falco",
            "--version",
            "4.22.0",
            "--repo=https://x",
            "--devel",
        ]
    ]


def test_helm_show_chart_failure_says_what_helm_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    helm = fake_helm(tmp_path, "", 1, 'Error: repo "nope" not found\n')
    monkeypatch.setenv("HELM_BIN", str(helm))
    with pytest.raises(FatalError) as caught:
        chart.falco_of_chart("nope/falco")
    assert caught.value.message == (
        '`helm show chart nope/falco` failed: Error: repo "nope" not found'
    )


@pytest.mark.parametrize("version", ["1.5.7", "2.5.5", "3.8.7", "4.22.0", "9.1.0"])
def test_real_charts_and_their_default_values(version: str) -> None:
    """The real falco charts (../shared/charts): Falco from Chart.yaml, defaults from
    values.yaml, the same numbers as the bundled table."""
    folder = SHARED / "charts" / f"falco-{version}"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    info = chart.read_chart(str(folder))
    assert (info.falco.value, info.version, info.subchart_key) == (
        FACTS_TABLE[version],
        version,
        None,
    )
    display, _, data = chart.default_values(info)
    assert display == str(folder / "values.yaml")
    assert data["customRules"] == {}
    rules_list = data["falco"].get("rules_files") or data["falco"].get("rules_file")
    assert (rules_list or data["falco"]["rulesFile"])[-1] == "/etc/falco/rules.d"


def test_umbrella_defaults_hold_the_subcharts_under_its_alias(tmp_path: Path) -> None:
    meta = {"name": "stack", "version": "1.0.0"}
    meta["dependencies"] = [{"name": "falco", "version": "9.1.0", "alias": "runtime"}]
    umbrella = write_chart(tmp_path / "stack", meta)
    (umbrella / "values.yaml").write_text("runtime:\n  falco:\n    json_output: true\nother: 1\n")
    sub = write_chart(
        umbrella / "charts" / "falco",
        {"name": "falco", "version": "9.1.0", "appVersion": "0.44.1"},
    )
    (sub / "values.yaml").write_text(
        "falco:\n  json_output: false\n  rules_files: [/etc/falco/rules.d]\ncustomRules: {}\n"
    )
    info = chart.read_chart(str(umbrella))
    assert (info.subchart_key, info.version, info.falco.value) == ("runtime", "9.1.0", "0.44.1")
    _, _, data = chart.default_values(info)
    assert data == {
        "runtime": {
            "falco": {"json_output": True, "rules_files": ["/etc/falco/rules.d"]},
            "customRules": {},
        },
        "other": 1,
    }


def test_umbrella_defaults_from_a_vendored_archive(tmp_path: Path) -> None:
    umbrella = write_chart(
        tmp_path / "stack",
        {"name": "stack", "version": "1.0.0", "dependencies": [{"name": "falco", "version": "*"}]},
    )
    (umbrella / "charts").mkdir()
    values = tmp_path / "values.yaml"
    values.write_text("customRules: {}\n")
    with tarfile.open(umbrella / "charts" / "falco-7.2.1.tgz", "w:gz") as archive:
        archive.add(values, "falco/values.yaml")
        archive.add(values, "falco/charts/sub/values.yaml")
    info = chart.read_chart(str(umbrella))
    assert info.subchart_key == "falco"
    assert chart.default_values(info)[2] == {"falco": {"customRules": {}}}


def test_remote_defaults_go_through_helm_show_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    helm = fake_helm(tmp_path, "name: falco\nversion: 4.22.0\nappVersion: 0.41.0\n")
    monkeypatch.setenv("HELM_BIN", str(helm))
    info = chart.read_chart("falcosecurity/falco", ["--version", "4.22.0", "-f", "x.yaml"])
    display, _, data = chart.default_values(info)
    assert display == "values of chart falcosecurity/falco (helm show values)"
    assert data == {"name": "falco", "version": "4.22.0", "appVersion": "0.41.0"}
    assert calls(tmp_path)[-1] == ["show", "values", "falcosecurity/falco", "--version", "4.22.0"]


@pytest.mark.parametrize(
    ("base", "over", "merged"),
    [
        ({"a": {"b": 1, "c": 2}}, {"a": {"c": 3}}, {"a": {"b": 1, "c": 3}}),
        ({"a": [1, 2]}, {"a": [3]}, {"a": [3]}),  # lists replace
        ({"a": {"b": 1}, "d": 1}, {"a": None}, {"d": 1}),  # null deletes the default
        ({"a": {"b": 1}}, {"a": "x"}, {"a": "x"}),
        ({"a": 1}, {"b": {"c": 1}}, {"a": 1, "b": {"c": 1}}),
    ],
)
def test_coalesce_merges_like_helm(base: Any, over: Any, merged: Any) -> None:
    assert chart.coalesce(base, over) == merged
