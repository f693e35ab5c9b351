"""The Falco version a falco chart runs, and the ruleset its falcoctl follows.

- `--chart-version X`: the bundled table below (falco chart release -> appVersion, from
  docs falco-facts.md section 6). A chart version not in it is an error that lists the
  known ones, rather than a guess from the nearest release: a guess can land in another
  Falco generation or ruleset, and an exception Falco cannot load stops Falco at start.
- `--chart PATH|REF` (and the CHART of `upgrade`/`template`): the chart's Chart.yaml, read
  directly for a local directory and through `$HELM_BIN show chart` for anything else
  (repo/name, OCI, URL, .tgz). A chart named `falco` gives its appVersion. Another chart
  (an umbrella) gives the Falco of its `falco` dependency: the vendored
  `charts/falco/Chart.yaml` (or `charts/falco-X.Y.Z.tgz`) of a local directory, else the
  dependency's version looked up in the table.
- An umbrella chart's falco values sit under the dependency's alias (else `falco`);
  `default_values` gives the chart's own defaults, with a vendored falco subchart's under
  that key, for `deployment` to merge the user's values over (`coalesce`, as Helm does).
"""

from __future__ import annotations

import re
import tarfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from falco_exceptions.errors import FatalError
from falco_exceptions.target import Hint

# falco chart version -> the Falco it runs (Chart.yaml appVersion).
CHART_RELEASES: tuple[tuple[str, str], ...] = (
    ("1.5.7", "0.26.2"),
    ("1.19.4", "0.32.0"),
    ("2.5.5", "0.33.1"),
    ("3.8.7", "0.36.2"),
    ("4.22.0", "0.41.0"),
    ("5.0.3", "0.41.1"),
    ("6.4.1", "0.41.3"),
    ("7.2.1", "0.42.1"),
    ("8.0.5", "0.43.1"),
    ("9.1.0", "0.44.1"),
)
_VENDORED = re.compile(r"^falco-(?P<version>\d+\.\d+\.\d+)\.tgz$")


def falco_of_chart_version(version: str) -> Hint:
    return Hint(_table(version.strip().lstrip("v"), "--chart-version"), f"chart falco {version}")


@dataclass(frozen=True)
class ChartInfo:
    """The chart being deployed: the Falco it runs, and where its values come from."""

    ref: str
    falco: Hint
    version: str | None  # the falco chart's version (the subchart's, for an umbrella)
    subchart_key: str | None = None  # umbrella: the key falco's values sit under
    local: Path | None = None  # a chart directory
    show_args: tuple[str, ...] = ()  # the flags that locate it for `helm show`
    subchart: Path | None = None  # umbrella: the vendored falco chart (directory or .tgz)


def falco_of_chart(
    ref: str, show_args: Sequence[str] = (), env: Mapping[str, str] | None = None
) -> Hint:
    """The Falco that chart `ref` runs (see the module docstring)."""
    return read_chart(ref, show_args, env).falco


def read_chart(
    ref: str, show_args: Sequence[str] = (), env: Mapping[str, str] | None = None
) -> ChartInfo:
    local = Path(ref)
    if local.is_dir():
        return _chart_of(_chart_yaml(local / "Chart.yaml"), ref, local, ())
    from falco_exceptions import helm

    text = helm.show_chart(ref, show_args, env)
    return _chart_of(_parse(text, f"`helm show chart {ref}`"), ref, None, tuple(show_args))


def _chart_of(
    meta: dict[str, Any], label: str, local: Path | None, show_args: tuple[str, ...]
) -> ChartInfo:
    name, version = meta.get("name"), meta.get("version")
    if name == "falco":
        app = meta.get("appVersion")
        falco = (
            Hint(_table(str(version), f"chart {label}"), f"chart {label} (falco {version})")
            if app is None
            else Hint(str(app), f"chart {label} (falco {version})")
        )
        return ChartInfo(label, falco, str(version), None, local, show_args)
    dependency = next(
        (
            d
            for d in meta.get("dependencies") or []
            if isinstance(d, dict) and d.get("name") == "falco"
        ),
        None,
    )
    if dependency is None:
        raise FatalError(
            f"chart {label} ({name} {version}) is not the falco chart and has no falco "
            "dependency; give the Falco version with --falco-version or --chart-version"
        )
    key = str(dependency.get("alias") or "falco")
    umbrella = ChartInfo(label, Hint("", ""), None, key, local, show_args)
    if local is not None:
        sub = local / "charts" / "falco" / "Chart.yaml"
        if sub.is_file():
            inner = _chart_of(_chart_yaml(sub), f"{label}, subchart charts/falco", None, ())
            return replace(umbrella, falco=inner.falco, version=inner.version, subchart=sub.parent)
        for archive in sorted((local / "charts").glob("falco-*.tgz")):
            found = _VENDORED.match(archive.name)
            if found:
                vendored = found["version"]
                falco = Hint(_table(vendored, f"chart {label}"), f"chart {label} ({archive.name})")
                return replace(umbrella, falco=falco, version=vendored, subchart=archive)
    wanted = str(dependency.get("version"))
    falco = Hint(
        _table(wanted, f"chart {label}: dependency falco"),
        f"chart {label} (dependency falco {wanted})",
    )
    return replace(umbrella, falco=falco, version=wanted)


def default_values(
    chart: ChartInfo, env: Mapping[str, str] | None = None
) -> tuple[str, str, dict[str, Any]]:
    """The chart's own values.yaml: (display, text, data), with an umbrella's vendored falco
    subchart's defaults under its key (Helm gives a subchart its own defaults there, with
    the parent's values for that key over them)."""
    if chart.local is not None:
        display = f"{chart.local / 'values.yaml'}"
        path = chart.local / "values.yaml"
        text = _read(path) if path.is_file() else ""
    else:
        from falco_exceptions import helm

        display = f"values of chart {chart.ref} (helm show values)"
        text = helm.show_values(chart.ref, chart.show_args, env)
    data = _values(text, display)
    if chart.subchart_key is not None and chart.subchart is not None:
        sub_text = _subchart_values(chart.subchart)
        sub = _values(sub_text, f"{chart.subchart} values.yaml")
        data = coalesce({chart.subchart_key: sub}, data)
    return display, text, data


def coalesce(base: Any, over: Any) -> Any:
    """Helm's merge of values `over` onto `base`: maps merge key by key, a null removes the
    key, anything else (lists too) replaces."""
    if not (isinstance(base, dict) and isinstance(over, dict)):
        return over
    merged = dict(base)
    for key, value in over.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = coalesce(merged[key], value)
        else:
            merged[key] = value
    return merged


def _subchart_values(subchart: Path) -> str:
    if subchart.is_dir():
        path = subchart / "values.yaml"
        return _read(path) if path.is_file() else ""
    try:
        with tarfile.open(subchart) as archive:
            member = next(
                (
                    m
                    for m in archive.getmembers()
                    if m.name.endswith("/values.yaml") and m.name.count("/") == 1
                ),
                None,
            )
            handle = archive.extractfile(member) if member is not None else None
            return handle.read().decode("utf-8") if handle is not None else ""
    except (OSError, tarfile.TarError, UnicodeDecodeError) as exc:
        raise FatalError(f"cannot read {subchart}: {exc}") from None


def _values(text: str, display: str) -> dict[str, Any]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe", pure=True).load(text)  # YAML 1.2: libyaml refuses `[a:5]`
    except YAMLError as exc:
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise FatalError(f"{display}: cannot read the chart's default values ({problem})") from None
    return data if isinstance(data, dict) else {}


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FatalError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None


def _table(chart_version: str, what: str) -> str:
    for chart, falco in CHART_RELEASES:
        if chart == chart_version:
            return falco
    known = ", ".join(chart for chart, _ in CHART_RELEASES)
    raise FatalError(
        f"{what} {chart_version} is not a falco chart version this tool knows ({known}); "
        "give the chart's Falco with --falco-version (its appVersion: "
        "helm show chart falcosecurity/falco --version X)"
    )


def _chart_yaml(path: Path) -> dict[str, Any]:
    return _parse(_read(path), str(path))


def _parse(text: str, display: str) -> dict[str, Any]:
    from falco_exceptions.diagnostics import Diagnostic
    from falco_exceptions.yamlsource import parse, to_plain

    root = parse(text, display)
    if isinstance(root, Diagnostic):
        raise FatalError(str(root))
    if not isinstance(root, dict):
        raise FatalError(f"{display}: Chart.yaml is not a mapping")
    data: dict[str, Any] = to_plain(root)
    return data
