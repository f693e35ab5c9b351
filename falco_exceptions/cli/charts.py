"""`charts`: the falco chart versions `--chart-version` knows, and the Falco each runs."""

from __future__ import annotations

import typer

from falco_exceptions.cli.app import app


@app.command()
def charts() -> None:
    """The falco chart versions this tool knows: the Falco each runs, its syntax and ruleset."""
    from falco_exceptions.chart import CHART_RELEASES
    from falco_exceptions.falco.versions import default_ruleset, engine

    typer.echo("chart\tfalco\tgeneration\tsyntax\tdefault ruleset")
    for chart, falco in CHART_RELEASES:
        eng, _ = engine(falco)
        typer.echo(
            f"{chart}\t{falco}\t{eng.generation}\t{eng.syntax.value}\t{default_ruleset(eng.version)}"
        )
