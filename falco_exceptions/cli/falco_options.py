"""The Falco-selection options, in one place: every command that selects a Falco takes them.

A command adopts them with the `@falco_options()` decorator (under `@app.command()`) and a
parameter `falco: FalcoOptions`; the decorator adds the options below to the command's
signature (typer reads `__signature__`) and hands their values over as one typed object,
which `options.resolve` turns into a Selection:

    @app.command()
    @falco_options()
    def check_something(files: Files = None, *, falco: FalcoOptions) -> None:
        selection = guarded(lambda: resolve(falco))

`upgrade` and `template` use `@falco_options(deployed=True)`: their chart is the CHART
argument and their values are helm's `-f` files, so `--chart` and `--values` are left out.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any, TypeVar

import typer

from falco_exceptions.options import DEFAULT_RULES_FILENAME, FalcoOptions

PANEL = "Which Falco (the same options for every command)"

FalcoVersion = Annotated[
    str | None,
    typer.Option(
        "--falco-version",
        help="The Falco to check and render for; wins over the chart and falco.version "
        "(with a warning when the chart runs another).",
        rich_help_panel=PANEL,
    ),
]
Chart = Annotated[
    str | None,
    typer.Option(
        "--chart",
        help="The chart you deploy (directory, repo/name, OCI ref, .tgz): the Falco it runs "
        "(`helm show chart`), its default values, and falco's key in an umbrella chart.",
        rich_help_panel=PANEL,
    ),
]
ChartVersion = Annotated[
    str | None,
    typer.Option(
        "--chart-version",
        help="The falco chart version you deploy: the Falco it runs (see `charts`).",
        rich_help_panel=PANEL,
    ),
]
Values = Annotated[
    list[Path] | None,
    typer.Option(
        "--values",
        help="A values file of the deployment (repeatable, merged in order as helm -f "
        "does, over the --chart's defaults): what it loads is checked. render also writes "
        "the rules into the last one (to stdout, -o, or the file with --in-place).",
        rich_help_panel=PANEL,
    ),
]
ValuesPath = Annotated[
    str | None,
    typer.Option(
        "--values-path",
        help="Where customRules sits in the values, dotted (default: customRules, or "
        "falco.customRules when the chart or values carry falco as a subchart).",
        show_default=False,
        rich_help_panel=PANEL,
    ),
]
RulesFilename = Annotated[
    str,
    typer.Option(
        "--rules-filename",
        help="The customRules key of the rendered rules (a .yaml file name; files in "
        "/etc/falco/rules.d load in name order).",
        rich_help_panel=PANEL,
    ),
]
RulesVersion = Annotated[
    str | None,
    typer.Option(
        "--rules-version",
        help="Bundled ruleset to check against, e.g. falco-rules-3.2.0 (see `versions`).",
        rich_help_panel=PANEL,
    ),
]
RulesFiles = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules-file",
        help="A rules file of yours that Falco loads after the ruleset (repeatable).",
        rich_help_panel=PANEL,
    ),
]
OnlyRulesFiles = Annotated[
    bool,
    typer.Option(
        "--only-rules-files",
        help="Check against the --rules-file files alone: the deployment loads no "
        "upstream ruleset.",
        rich_help_panel=PANEL,
    ),
]

# name -> (annotation, default); in the order --help lists them
_OPTIONS: dict[str, tuple[Any, Any]] = {
    "falco_version": (FalcoVersion, None),
    "chart": (Chart, None),
    "chart_version": (ChartVersion, None),
    "values_files": (Values, None),
    "values_path": (ValuesPath, None),
    "rules_filename": (RulesFilename, DEFAULT_RULES_FILENAME),
    "rules_version": (RulesVersion, None),
    "rules_file": (RulesFiles, None),
    "only_rules_files": (OnlyRulesFiles, False),
}
_NOT_DEPLOYED = ("chart", "values_files")  # given by upgrade/template's CHART and -f

T = TypeVar("T")


def falco_options(*, deployed: bool = False) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Give a command the shared options; it receives them as `falco: FalcoOptions`."""
    names = [n for n in _OPTIONS if not (deployed and n in _NOT_DEPLOYED)]

    def decorate(command: Callable[..., T]) -> Callable[..., T]:
        # the command's own annotations, resolved in its module (`falco` may be a name that
        # module imports only for type checking)
        annotations = {k: v for k, v in command.__annotations__.items() if k != "falco"}
        hints = typing.get_type_hints(
            SimpleNamespace(__annotations__=annotations),
            globalns=getattr(command, "__globals__", None),
            include_extras=True,
        )
        own = [
            p.replace(annotation=hints.get(p.name, p.annotation))
            for p in inspect.signature(command).parameters.values()
            if p.name != "falco"
        ]
        added = [
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, annotation=_OPTIONS[name][0],
                default=_OPTIONS[name][1],
            )
            for name in names
        ]  # fmt: skip

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> T:
            given = {name: kwargs.pop(name) for name in names}
            kwargs["falco"] = FalcoOptions(
                falco_version=given["falco_version"],
                chart=given.get("chart"),
                chart_version=given["chart_version"],
                rules_version=given["rules_version"],
                rules_files=tuple(given["rules_file"] or ()),
                only_rules_files=given["only_rules_files"],
                values_files=tuple(given.get("values_files") or ()),
                values_path=given["values_path"],
                rules_filename=given["rules_filename"],
            )
            return command(*args, **kwargs)

        parameters = own + added
        wrapper.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
        return wrapper

    return decorate
