"""The options that select a Falco, shared by every command, and what they name, read.

Every command that checks or renders exceptions takes the same options (the command line
builds them in `cli/falco_options.py`); `resolve` reads the chart and the values they
name into a `target.Selection`, which `target.select` (through `checker.check`) turns into
the Falco, ruleset and rules files to check against.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from falco_exceptions.errors import FatalError

if TYPE_CHECKING:
    from falco_exceptions.chart import ChartInfo
    from falco_exceptions.deployment import ValuesLayer
    from falco_exceptions.target import Selection

DEFAULT_RULES_FILENAME = "falco-exceptions.yaml"


@dataclass(frozen=True)
class FalcoOptions:
    """What the command line says about the Falco to check and render for.

    `chart` is the chart being deployed: `--chart`, or the CHART of `upgrade`/`template`
    (`deployed`), where `chart_args` are helm's flags that locate it (--version, --repo)
    and `values_files` are its `-f` files. A deployed chart that cannot be read is only a
    problem when no other Falco version is given (helm will say what is wrong with it).
    """

    falco_version: str | None = None
    chart: str | None = None
    chart_version: str | None = None
    rules_version: str | None = None
    rules_files: tuple[Path, ...] = ()
    only_rules_files: bool = False
    values_files: tuple[Path, ...] = ()
    values_path: str | None = None  # None: customRules, or where the chart/values say
    rules_filename: str = DEFAULT_RULES_FILENAME
    chart_args: tuple[str, ...] = ()
    deployed: bool = False


def resolve(options: FalcoOptions, env: Mapping[str, str] | None = None) -> Selection:
    """Read the chart and the values the options name; a Selection for `target.select`.

    The values are the `values_files` merged in order over the chart's own defaults when
    the chart is deployed here (upgrade, template) or given with values files; with no
    values at hand, nothing is known of what the deployment loads beyond its Falco.

    Raises FatalError for bad options or an unreadable chart, ValuesFileError (located)
    for a values file that cannot be read or deployed.
    """
    # chart and deployment are imported only when a chart or values are given: a plain
    # `render` pays nothing for them at start-up
    from falco_exceptions import values
    from falco_exceptions.target import Selection

    values.check_rules_filename(options.rules_filename)
    keys = values.parse_values_path(options.values_path) if options.values_path else None
    if options.only_rules_files and not options.rules_files:
        raise FatalError("--only-rules-files needs the files: give them with --rules-file")
    if options.chart and options.chart_version and not options.deployed:
        raise FatalError("--chart and --chart-version exclude each other: give one of them")
    chart, problem = _chart(options, env)
    chart_falco = chart.falco if chart is not None else None
    if options.chart_version is not None:
        from falco_exceptions import chart as charts

        given = charts.falco_of_chart_version(options.chart_version)
        if chart is not None and chart.version not in (None, options.chart_version):
            raise FatalError(
                f"--chart-version {options.chart_version} differs from chart {chart.ref}, "
                f"which is falco {chart.version} (Falco {chart.falco.value}); leave "
                "--chart-version out, or deploy that version"
            )
        chart_falco = chart_falco or given
    layers = [_layer(path) for path in options.values_files]
    deployment = None
    if layers or (chart is not None and options.deployed):
        from falco_exceptions import chart as charts
        from falco_exceptions import deployment as deployments

        notes = []
        if chart is not None:
            try:
                display, text, data = charts.default_values(chart, env)
                layers.insert(0, deployments.ValuesLayer(display, text, data, chart_defaults=True))
            except FatalError as exc:
                notes.append(f"{exc.message}; only the values files are read")
        deployment = deployments.read(layers, chart, keys, options.rules_filename, notes)
    if deployment is not None:
        keys = deployment.values_path
    elif keys is None and chart is not None and chart.subchart_key is not None:
        keys = (chart.subchart_key, "customRules")
    return Selection(
        options.falco_version,
        options.rules_version,
        options.rules_files,
        chart_falco=chart_falco,
        chart_problem=problem,
        only_rules_files=options.only_rules_files,
        deployment=deployment,
        rules_filename=options.rules_filename,
        values_path=keys or ("customRules",),
    )


def _chart(
    options: FalcoOptions, env: Mapping[str, str] | None
) -> tuple[ChartInfo | None, str | None]:
    if options.chart is None:
        return None, None
    from falco_exceptions import chart as charts

    try:
        return charts.read_chart(options.chart, options.chart_args, env), None
    except FatalError as exc:
        if not options.deployed:
            raise
        return None, exc.message


def _layer(path: Path) -> ValuesLayer:
    from falco_exceptions import deployment as deployments
    from falco_exceptions import values

    loaded = values.load_values(path)
    return deployments.ValuesLayer(str(path), loaded.text, loaded.data)
