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
- falcoctl refs in values (`falco-rules:N` under `falcoctl.config.artifact.install.refs`
  or `.follow.refs`, at the top, under the subchart key of --values-path, or under
  `falco`): the newest bundled ruleset of that version (`falco-rules:5` -> 5.1.0).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
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
# The upstream ruleset only: falcoctl's short name, or its full OCI reference.
_RULES_REF = re.compile(r"^(?:ghcr\.io/falcosecurity/rules/)?falco-rules:(?P<tag>[^/\s]+)$")
_VENDORED = re.compile(r"^falco-(?P<version>\d+\.\d+\.\d+)\.tgz$")


def falco_of_chart_version(version: str) -> Hint:
    return Hint(_table(version.strip().lstrip("v"), "--chart-version"), f"chart falco {version}")


def falco_of_chart(
    ref: str, show_args: Sequence[str] = (), env: Mapping[str, str] | None = None
) -> Hint:
    """The Falco that chart `ref` runs (see the module docstring)."""
    local = Path(ref)
    if local.is_dir():
        return _falco_of(_chart_yaml(local / "Chart.yaml"), ref, local)
    from falco_exceptions import helm

    text = helm.show_chart(ref, show_args, env)
    return _falco_of(_parse(text, f"`helm show chart {ref}`"), ref, None)


def _falco_of(meta: dict[str, Any], label: str, local: Path | None) -> Hint:
    name, version = meta.get("name"), meta.get("version")
    if name == "falco":
        app = meta.get("appVersion")
        if app is None:
            return Hint(_table(str(version), f"chart {label}"), f"chart {label} (falco {version})")
        return Hint(str(app), f"chart {label} (falco {version})")
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
    if local is not None:
        sub = local / "charts" / "falco" / "Chart.yaml"
        if sub.is_file():
            return _falco_of(_chart_yaml(sub), f"{label}, subchart charts/falco", None)
        for archive in sorted((local / "charts").glob("falco-*.tgz")):
            found = _VENDORED.match(archive.name)
            if found:
                vendored = found["version"]
                return Hint(_table(vendored, f"chart {label}"), f"chart {label} ({archive.name})")
    wanted = str(dependency.get("version"))
    return Hint(
        _table(wanted, f"chart {label}: dependency falco"),
        f"chart {label} (dependency falco {wanted})",
    )


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
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FatalError(f"cannot read {path}: {exc.strerror or exc}") from None
    return _parse(text, str(path))


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


def falcoctl_rules(
    values: Any, display: str, values_path: tuple[str, ...] = ("customRules",)
) -> Hint | None:
    """The bundled ruleset the falcoctl refs in `values` follow; None without refs."""
    from falco_exceptions.catalog import bundled_catalog_names

    for prefix in dict.fromkeys([values_path[:-1], (), ("falco",)]):
        tags = _rules_tags(values, prefix)
        if not tags:
            continue
        bundled = [n for n in bundled_catalog_names() if n.startswith("falco-rules-")]
        where = ".".join((*prefix, "falcoctl.config.artifact"))
        refs = ", ".join(f"falco-rules:{tag}" for tag in tags)
        source = f"{refs} ({where} in {display})"
        unknown = [tag for tag in tags if _newest(tag, bundled) is None]
        if unknown:
            problem = (
                f"falcoctl ref falco-rules:{unknown[0]} in {display}: no bundled ruleset of "
                f"that version ({', '.join(bundled)}); set falco.rules or --rules-version, "
                "or check against your own files with --rules-file"
            )
            return Hint("", source, problem)
        chosen = max((_newest(tag, bundled) or "" for tag in tags), key=_ruleset_version)
        return Hint(chosen, source)
    return None


def _rules_tags(values: Any, prefix: tuple[str, ...]) -> list[str]:
    node = values
    for key in (*prefix, "falcoctl", "config", "artifact"):
        node = node.get(key) if isinstance(node, dict) else None
    tags: list[str] = []
    for part in ("install", "follow"):
        section = node.get(part) if isinstance(node, dict) else None
        refs = section.get("refs") if isinstance(section, dict) else None
        for ref in refs if isinstance(refs, list) else []:
            found = _RULES_REF.search(str(ref))
            if found and found["tag"] not in tags:
                tags.append(found["tag"])
    return tags


def _newest(tag: str, bundled: list[str]) -> str | None:
    """The newest bundled ruleset a falcoctl tag follows (`5` -> falco-rules-5.1.0)."""
    try:
        wanted = () if tag == "latest" else tuple(int(p) for p in tag.lstrip("v").split("."))
    except ValueError:
        return None
    matching = [n for n in bundled if _ruleset_version(n)[: len(wanted)] == wanted]
    return max(matching, key=_ruleset_version) if matching else None


def _ruleset_version(name: str) -> tuple[int, ...]:
    if not name:
        return ()
    return tuple(int(part) for part in name.removeprefix("falco-rules-").split("."))
