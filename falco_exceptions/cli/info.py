"""`versions` and `schema`: reference output that needs no exceptions file."""

from __future__ import annotations

import typer

from falco_exceptions.cli.app import app


@app.command()
def versions() -> None:
    """The Falco versions this tool knows: generation, syntax, engine and default ruleset."""
    from falco_exceptions.catalog import bundled_catalog_names
    from falco_exceptions.falco.versions import KNOWN_RELEASES, engine

    typer.echo("falco\tgeneration\tsyntax\tparser\tengine\tdefault ruleset")
    for release, ruleset in KNOWN_RELEASES:
        eng, _ = engine(release)
        typer.echo(
            f"{release}\t{eng.generation}\t{eng.syntax.value}\t{eng.parser.value}\t"
            f"{eng.engine_version}\t{ruleset}"
        )
    typer.echo(f"\nbundled rulesets: {', '.join(bundled_catalog_names())}")


@app.command()
def schema() -> None:
    """Print the JSON schema of exceptions.yaml (for editors and other tools)."""
    from falco_exceptions.schema import schema_text

    typer.echo(schema_text(), nl=False)
