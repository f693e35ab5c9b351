"""`rules list` and `rules show NAME`: what the selected ruleset holds, and how each rule
can be excepted on the selected Falco.

They choose the Falco as the other commands do, with the same options and the `falco:`
block of ./exceptions.yaml when there is one; a note says what was used.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from falco_exceptions.cli.app import DEFAULT_FILE, app, fail, guarded, note, tell
from falco_exceptions.cli.falco_options import falco_options
from falco_exceptions.errors import ExitCode

if TYPE_CHECKING:
    from falco_exceptions.document import FalcoSettings
    from falco_exceptions.options import FalcoOptions
    from falco_exceptions.target import Target

rules_app = typer.Typer(
    help="List the rules of a Falco version, or show one.", no_args_is_help=True
)
app.add_typer(rules_app, name="rules")

AllFiles = Annotated[
    bool, typer.Option("--all", help="Include rules of files that Falco does not load by default.")
]


def _target(falco: FalcoOptions) -> Target:
    from falco_exceptions.options import resolve
    from falco_exceptions.target import select

    selection = guarded(lambda: resolve(falco))
    settings = _file_settings()
    target = guarded(lambda: select(selection, settings))
    tell(target)
    note(f"using {target.origin}")
    return target


def _file_settings() -> FalcoSettings:
    """The `falco:` block of ./exceptions.yaml, as the other commands read it."""
    from falco_exceptions import document
    from falco_exceptions.diagnostics import has_errors

    if not DEFAULT_FILE.is_file():
        return document.FalcoSettings()
    doc, problems = document.load([DEFAULT_FILE])
    if has_errors(problems):
        used = "is used" if doc.falco != document.FalcoSettings() else "cannot be used"
        note(
            f"{DEFAULT_FILE} has errors (see `falco-exceptions validate`); its falco: block {used}"
        )
    return doc.falco


class Format(StrEnum):
    text = "text"
    json = "json"


@rules_app.command("list")
@falco_options()
def list_rules(
    all_files: AllFiles = False,
    output_format: Annotated[
        Format, typer.Option("--format", help="text: one tab-separated line per rule.")
    ] = Format.text,
    *,
    falco: FalcoOptions,
) -> None:
    """One line per rule: name, file, priority, how an exception is expressed, output."""
    from falco_exceptions.mechanism import Mechanism, Refusal, choose

    target = _target(falco)
    shown = [
        rule for rule in target.catalog.rules.values() if all_files or target.is_loaded(rule.file)
    ]
    if output_format is Format.json:
        rows = []
        for rule in shown:
            chosen = choose(rule, target)
            rows.append(
                {
                    "name": rule.name,
                    "file": rule.file,
                    "loaded": target.is_loaded(rule.file),
                    "source": rule.source,
                    "priority": rule.priority,
                    "enabled": rule.enabled,
                    "tags": list(rule.tags),
                    "exception": chosen.kind.value if isinstance(chosen, Mechanism) else None,
                    "hook": chosen.hook if isinstance(chosen, Mechanism) else None,
                    "refused": chosen.reason if isinstance(chosen, Refusal) else None,
                    "output": _one_line(rule.output),
                }
            )
        doc = {"falco": target.engine.text, "ruleset": target.catalog.name, "rules": rows}
        typer.echo(json.dumps(doc, indent=2))
        return
    typer.echo(f"# Falco {target.engine.text}, rules {target.catalog.name}")
    typer.echo("# name\tfile\tpriority\texception\toutput")
    for rule in shown:
        chosen = choose(rule, target)
        how = "refused" if isinstance(chosen, Refusal) else chosen.kind.value
        flags = "" if rule.enabled else " (disabled)"
        flags += "" if target.is_loaded(rule.file) else " (not loaded)"
        typer.echo(
            f"{rule.name}\t{rule.file}\t{rule.priority}\t{how}{flags}\t{_one_line(rule.output)}"
        )


def _one_line(text: str) -> str:
    return " ".join(text.split())


@rules_app.command("show")
@falco_options()
def show_rule(
    name: Annotated[str, typer.Argument(help="The rule name, quoted.")],
    *,
    falco: FalcoOptions,
) -> None:
    """How an exception to NAME is expressed on the selected Falco, and why.

    NAME may also be what the alerts say (the start of the rule's output, or a whole alert
    line): the rule whose output it is is shown.
    """
    from falco_exceptions.catalog.events import describe
    from falco_exceptions.checks.rule_exists import by_alert_text
    from falco_exceptions.mechanism import Refusal, choose

    target = _target(falco)
    rule = target.catalog.rules.get(name)
    if rule is None:
        by_text = by_alert_text(name, target.catalog)
        if len(by_text) == 1:
            note(f"{name!r} is the alert text of rule {by_text[0]!r}")
            rule = target.catalog.rules[by_text[0]]
        elif by_text:
            names = " or ".join(repr(n) for n in by_text)
            fail(
                f"{name!r} starts the alert text of several rules of {target.catalog.name}: "
                f"{names}; give more of the text, or the rule name",
                ExitCode.FINDINGS,
            )
        else:
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
        f"output:        {_one_line(rule.output)}",
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
