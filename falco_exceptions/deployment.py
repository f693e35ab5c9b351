"""What a deployment loads, read from its values: the truth an exceptions file must match.

The values are the chart's own defaults (when the chart is at hand) with the user's values
files merged over them in order, as Helm merges them (`chart.coalesce`). From them:

- where `customRules` sits (`values_path`): given with `--values-path`, else
  `<key>.customRules` for an umbrella chart that carries falco as the subchart `<key>`,
  else `falco.customRules` when the values themselves are shaped for an umbrella (they
  set `falco.customRules` or `falco.falcoctl`) and `customRules` otherwise. Values that
  set both, or that disagree with the chart, are refused with the `--values-path` to give.
- the bundled ruleset (`ruleset`): falcoctl's install and follow refs
  (`falco-rules:5` -> the newest bundled falco-rules-5.x).
- the upstream rules files Falco loads (`upstream_files`): the entries of
  `falco.rules_files` (`rules_file` before Falco 0.38, `rulesFile` in chart 1.x) under
  `/etc/falco`, of those falcoctl installs there when it runs (a `falco-rules` ref brings
  falco_rules.yaml, `falco-incubating-rules` falco-incubating_rules.yaml, ...). None when
  the values do not say (no rules list and no falcoctl refs); with refs but no rules list,
  the chart's default list ([falco_rules.yaml, falco_rules.local.yaml, rules.d]) applies.
- the user's own rules files in `/etc/falco/rules.d` (`custom_rules`): the other keys of
  `customRules`, which load in alphabetical order of their names beside the rendered one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from falco_exceptions.catalog.build import RulesSource
from falco_exceptions.chart import ChartInfo, coalesce
from falco_exceptions.diagnostics import Position
from falco_exceptions.errors import FatalError
from falco_exceptions.target import Hint
from falco_exceptions.values_edit import ValuesFileError

RULES_D = "/etc/falco/rules.d"
_ETC_FALCO = "/etc/falco"
_LOCAL_RULES = "falco_rules.local.yaml"  # created empty by the chart
_DEFAULT_RULES_LIST = (f"{_ETC_FALCO}/falco_rules.yaml", f"{_ETC_FALCO}/{_LOCAL_RULES}", RULES_D)
_RULES_LIST_KEYS = ("rules_files", "rules_file", "rulesFile")
# falcoctl's upstream rules artifacts, by short name or full OCI reference.
_ARTIFACT = re.compile(
    r"^(?:ghcr\.io/falcosecurity/rules/)?"
    r"falco-(?:(?P<kind>incubating|sandbox|deprecated)-)?rules:(?P<tag>[^/\s]+)$"
)
VALUES_LOAD = "FE402"


@dataclass(frozen=True)
class ValuesLayer:
    """One source of values: the chart's defaults or a values file, with its text (for
    positions) and data."""

    display: str
    text: str
    data: Any
    chart_defaults: bool = False


@dataclass(frozen=True)
class Deployment:
    """What the values say the deployment loads; see the module docstring."""

    source: str = "the values"  # the values files, e.g. "values.yaml, prod.yaml"
    values_path: tuple[str, ...] = ("customRules",)
    ruleset: Hint | None = None
    upstream_files: tuple[str, ...] | None = None
    loads: str = ""  # how `upstream_files` was worked out, for messages
    custom_rules: tuple[RulesSource, ...] = ()
    notes: tuple[str, ...] = field(default=())
    values: Mapping[str, Any] = field(default_factory=dict)  # merged, as the chart sees them


def read(
    layers: Sequence[ValuesLayer],
    chart: ChartInfo | None,
    values_path: tuple[str, ...] | None,
    rules_filename: str,
    notes: Sequence[str] = (),
) -> Deployment:
    """The deployment that `layers` (the chart's defaults first, if any) describe.

    Raises ValuesFileError (located, FE401/FE402) or FatalError for values that cannot be
    deployed as the exceptions need.
    """
    own = [layer for layer in layers if not layer.chart_defaults]
    notes = list(notes)
    keys = values_path or _detect_values_path(own, chart, notes)
    merged: Any = {}
    for layer in layers:
        merged = coalesce(merged, layer.data)
    prefix = keys[:-1]
    root = _get(merged, prefix)
    refs, refs_from = _falcoctl_refs(root, layers, prefix)
    ruleset = _ruleset(refs, refs_from) if refs else None
    upstream, loads = _upstream_files(root, layers, prefix, refs, refs_from, notes)
    custom = _custom_rules(merged, layers, keys, rules_filename)
    source = ", ".join(layer.display for layer in own or layers)
    return Deployment(source, keys, ruleset, upstream, loads, custom, tuple(notes), merged)


def _detect_values_path(
    own: Sequence[ValuesLayer], chart: ChartInfo | None, notes: list[str]
) -> tuple[str, ...]:
    top = next((layer for layer in own if _has(layer.data, ("customRules",))), None)
    nested_key = chart.subchart_key if chart is not None and chart.subchart_key else "falco"
    nested = next(
        (
            (layer, part)
            for layer in own
            for part in ("customRules", "falcoctl")
            if _has(layer.data, (nested_key, part))
        ),
        None,
    )
    if chart is not None and chart.subchart_key is not None:
        if top is not None:
            raise FatalError(
                f"{top.display} sets customRules at the top, but chart {chart.ref} carries falco "
                f"as its subchart {chart.subchart_key!r}, which reads "
                f"{chart.subchart_key}.customRules; move the rules there, or give "
                f"--values-path {chart.subchart_key}.customRules"
            )
        return (chart.subchart_key, "customRules")
    if nested is not None:
        layer, part = nested
        where = f"{nested_key}.{part}"
        if chart is not None:
            raise FatalError(
                f"{layer.display} sets {where}, but chart {chart.ref} is the falco chart "
                "itself, which reads customRules and falcoctl at the top; fix the values, "
                "or give --values-path customRules"
            )
        if top is not None:
            other = "" if layer is top else f"{layer.display} sets "
            raise FatalError(
                f"{top.display} sets customRules at the top and {other}{where} (falco as a "
                "subchart): say where the chart reads the rules with --values-path "
                "customRules or --values-path falco.customRules"
            )
        notes.append(
            f"{layer.display} sets {where}: falco is a subchart here, so the rules go under "
            "falco.customRules (--values-path to change)"
        )
        return ("falco", "customRules")
    return ("customRules",)


def _falcoctl_refs(
    root: Any, layers: Sequence[ValuesLayer], prefix: tuple[str, ...]
) -> tuple[list[str], str]:
    """The refs falcoctl installs (init container) and follows (sidecar) when each runs."""
    refs: list[str] = []
    origins: list[str] = []
    for part in ("install", "follow"):
        if _get(root, ("falcoctl", "artifact", part, "enabled")) is False:
            continue
        path = ("falcoctl", "config", "artifact", part, "refs")
        found = _get(root, path)
        for ref in found if isinstance(found, list) else []:
            if str(ref) not in refs:
                refs.append(str(ref))
        if isinstance(found, list) and found:
            origins.append(_display(_origin(layers, (*prefix, *path))))
    where = ".".join((*prefix, "falcoctl.config.artifact"))
    return refs, f"{where} in {', '.join(dict.fromkeys(origins))}"


def _ruleset(refs: list[str], refs_from: str) -> Hint | None:
    from falco_exceptions.catalog import bundled_catalog_names

    upstream = [(ref, found["tag"]) for ref in refs if (found := _ARTIFACT.match(ref))]
    if not upstream:
        return None
    bundled = [n for n in bundled_catalog_names() if n.startswith("falco-rules-")]
    source = f"{', '.join(ref for ref, _ in upstream)} ({refs_from})"
    unknown = next((ref for ref, tag in upstream if _newest(tag, bundled) is None), None)
    if unknown is not None:
        problem = (
            f"falcoctl ref {unknown} ({refs_from}): no bundled ruleset of that version "
            f"({', '.join(bundled)}); set falco.rules or --rules-version, or check against "
            "your own files with --rules-file and --only-rules-files"
        )
        return Hint("", source, problem)
    tags = [tag for _, tag in upstream]
    chosen = max((_newest(tag, bundled) or "" for tag in tags), key=_ruleset_version)
    return Hint(chosen, source)


def _upstream_files(
    root: Any,
    layers: Sequence[ValuesLayer],
    prefix: tuple[str, ...],
    refs: list[str],
    refs_from: str,
    notes: list[str],
) -> tuple[tuple[str, ...] | None, str]:
    installed = _installed_files(refs)
    listed_key = next((k for k in _RULES_LIST_KEYS if _has(root, ("falco", k))), None)
    if listed_key is not None:
        key_path = (*prefix, "falco", listed_key)
        listed = _get(root, ("falco", listed_key))
        entries = [str(e) for e in listed] if isinstance(listed, list) else [str(listed)]
        origin = _origin(layers, key_path)
        list_text = f"{'.'.join(key_path)} in {_display(origin)}"
        if RULES_D not in [e.rstrip("/") for e in entries]:
            raise located(
                origin,
                key_path,
                f"{'.'.join(key_path)} does not list {RULES_D}, where the chart mounts "
                f"customRules: Falco would not load the exceptions; add {RULES_D} to it",
            )
    elif installed is not None:
        entries = list(_DEFAULT_RULES_LIST)
        list_text = "the chart's default falco.rules_files"
    else:
        return None, ""
    loaded: list[str] = []
    for entry in entries:
        path = entry.rstrip("/")
        if path == _ETC_FALCO:
            loaded += sorted(installed or ())
            continue
        folder, _, name = path.rpartition("/")
        if folder != _ETC_FALCO or name == _LOCAL_RULES or path == RULES_D:
            continue
        if installed is not None and name not in installed:
            notes.append(
                f"{list_text} lists {entry}, which no falcoctl ref installs ({refs_from}); "
                "Falco does not load it"
            )
            continue
        loaded.append(name)
    loads = list_text if installed is None else f"{list_text}, falcoctl refs {', '.join(refs)}"
    return tuple(dict.fromkeys(loaded)), loads


def _installed_files(refs: list[str]) -> set[str] | None:
    """The upstream files falcoctl puts in /etc/falco; None when it does not run."""
    if not refs:
        return None
    files = set()
    for ref in refs:
        found = _ARTIFACT.match(ref)
        if found:
            kind = found["kind"]
            files.add(f"falco-{kind}_rules.yaml" if kind else "falco_rules.yaml")
    return files


def _custom_rules(
    merged: Any, layers: Sequence[ValuesLayer], keys: tuple[str, ...], rules_filename: str
) -> tuple[RulesSource, ...]:
    """The user's other customRules files, as rules files whose positions point into the
    values file that sets each of them."""
    rules = _get(merged, keys)
    if not isinstance(rules, dict):
        return ()
    found = []
    trees: dict[int, Any] = {}  # each layer's text is parsed for positions once
    for name in sorted(str(k) for k in rules):
        text = rules[name]
        if name == rules_filename or not isinstance(text, str):
            continue  # the rendered file itself; a non-string fails `helm template` anyway
        path = (*keys, name)
        found.append(_source(name, text, _origin(layers, path), path, trees))
    return tuple(found)


def _source(
    name: str,
    text: str,
    layer: ValuesLayer | None,
    path: tuple[str, ...],
    trees: dict[int, Any],
) -> RulesSource:
    if layer is None:
        return RulesSource(name, f"customRules {name}", text)
    line, col = _value_start(layer, path, trees)
    raw_lines = layer.text.splitlines()
    if line and line <= len(raw_lines) and raw_lines[line - 1][col - 1 :].startswith("|"):
        # a literal block: its text starts on the next line, indented
        content = next((ln for ln in raw_lines[line:] if ln.strip()), "")
        return RulesSource(
            name, layer.display, text, line + 1, len(content) - len(content.lstrip())
        )
    return RulesSource(name, layer.display, text, line or 1, max(col - 1, 0))


def _value_start(
    layer: ValuesLayer, path: tuple[str, ...], trees: dict[int, Any] | None = None
) -> tuple[int, int]:
    """Where the value at `path` starts in the layer's text (1-based; (0, 0) if unknown)."""
    from falco_exceptions.diagnostics import Diagnostic
    from falco_exceptions.yamlsource import locate, parse

    trees = {} if trees is None else trees
    if id(layer) not in trees:
        trees[id(layer)] = parse(layer.text, layer.display)
    root = trees[id(layer)]
    if isinstance(root, Diagnostic):
        return (0, 0)
    at = locate(root, list(path), layer.display)
    return (at.line, at.col)


def located(layer: ValuesLayer | None, path: tuple[str, ...], message: str) -> FatalError:
    """A problem with the values, at the node `path` of `layer` (FE402)."""
    if layer is None:
        return FatalError(message)
    line, col = _value_start(layer, path)
    return ValuesFileError(Position(layer.display, line, col), message, VALUES_LOAD)


def _origin(layers: Sequence[ValuesLayer], path: tuple[str, ...]) -> ValuesLayer | None:
    """The last layer that sets `path`: the one whose value counts."""
    return next((layer for layer in reversed(layers) if _has(layer.data, path)), None)


def _display(layer: ValuesLayer | None) -> str:
    return layer.display if layer is not None else "the values"


def _get(data: Any, path: Sequence[str]) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _has(data: Any, path: Sequence[str]) -> bool:
    for key in path[:-1]:
        data = data.get(key) if isinstance(data, dict) else None
    return isinstance(data, dict) and path[-1] in data


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
