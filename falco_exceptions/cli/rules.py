"""`rules list` and `rules show NAME`: what the selected ruleset holds, and how each rule
can be excepted on the selected Falco."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from falco_exceptions.cli.app import (
    FalcoVersion,
    RulesFiles,
    RulesVersion,
    app,
    fail,
    guarded,
    note,
)
from falco_exceptions.errors import ExitCode

if TYPE_CHECKING:
    from falco_exceptions.target import Target

rules_app = typer.Typer(
    help="List the rules of a Falco version, or show one.", no_args_is_help=True
)
app.add_typer(rules_app, name="rules")

AllFiles = Annotated[
    bool, typer.Option("--all", help="Include rules of files that Falco does not load by default.")
]


def _target(
    falco_version: str | None, rules_version: str | None, rules_file: list[Path] | None
) -> Target:
    from falco_exceptions.document import FalcoSettings
    from falco_exceptions.target import Selection, select

    target = guarded(
        lambda: select(
            Selection(falco_version, rules_version, tuple(rules_file or ())), FalcoSettings()
        )
    )
    for line in target.notes:
        note(line)
    return target


@rules_app.command("list")
def list_rules(
    falco_version: FalcoVersion = None,
    rules_version: RulesVersion = None,
    rules_file: RulesFiles = None,
    all_files: AllFiles = False,
) -> None:
    """One line per rule: name, file, priority, and how an exception is expressed."""
    from falco_exceptions.mechanism import Refusal, choose

    target = _target(falco_version, rules_version, rules_file)
    typer.echo(f"# Falco {target.engine.text}, rules {target.catalog.name}")
    for rule in target.catalog.rules.values():
        loaded = target.is_loaded(rule.file)
        if not (loaded or all_files):
            continue
        chosen = choose(rule, target)
        how = "refused" if isinstance(chosen, Refusal) else chosen.kind.value
        flags = "" if rule.enabled else " (disabled)"
        flags += "" if loaded else " (not loaded)"
        typer.echo(f"{rule.name}\t{rule.file}\t{rule.priority}\t{how}{flags}")


@rules_app.command("show")
def show_rule(
    name: Annotated[str, typer.Argument(help="The rule name, quoted.")],
    falco_version: FalcoVersion = None,
    rules_version: RulesVersion = None,
    rules_file: RulesFiles = None,
) -> None:
    """How an exception to NAME is expressed on the selected Falco, and why."""
    from falco_exceptions.catalog.events import describe
    from falco_exceptions.mechanism import Refusal, choose

    target = _target(falco_version, rules_version, rules_file)
    rule = target.catalog.rules.get(name)
    if rule is None:
        close = target.catalog.closest_rules(name)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        fail(f"rule {name!r} does not exist in {target.catalog.name}{hint}", ExitCode.FINDINGS)
    chosen = choose(rule, target)
    hooks = ", ".join(f"{h.name}{'' if h.top_level else ' (nested)'}" for h in rule.hooks) or "none"
    lines = [
        f"rule:          {rule.name}",
        f"ruleset:       {target.catalog.name} ({rule.file}, "
        f"{'loaded' if target.is_loaded(rule.file) else 'not loaded by default'})",
        f"falco:         {target.engine.text} ({target.engine.generation}, "
        f"{target.engine.syntax.value} syntax)",
        f"source:        {rule.source}",
        f"priority:      {rule.priority}",
        f"enabled:       {'yes' if rule.enabled else 'no'}",
        f"tags:          {', '.join(rule.tags) or 'none'}",
        f"hook macros:   {hooks}",
        f"top-level or:  {'yes' if rule.top_level_or else 'no'}",
        f"fires on:      {describe(rule.events) if rule.events else 'events of ' + rule.source}",
    ]
    if isinstance(chosen, Refusal):
        lines.append(f"exception:     refused: {chosen.reason}")
    else:
        target_name = f" ({chosen.hook})" if chosen.hook else ""
        lines.append(f"exception:     {chosen.kind.value}{target_name}")
        lines.append(f"why:           {chosen.reason}")
        if chosen.hook:
            others = [r for r in target.catalog.rules_using_hook(chosen.hook) if r != rule.name]
            if others:
                lines.append(f"shared with:   {', '.join(others)}")
    typer.echo("\n".join(lines))
