"""`suggest`: exceptions.yaml entries from alerts (stdout, -o FILE, or --append FILE)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from falco_exceptions.cli.alert_options import inputs, read, show_warnings
from falco_exceptions.cli.app import app, fail, guarded, note, tell
from falco_exceptions.cli.falco_options import falco_options
from falco_exceptions.errors import ExitCode

if TYPE_CHECKING:
    from falco_exceptions.alerts.suggest import Suggested
    from falco_exceptions.document import Entry, FalcoSettings
    from falco_exceptions.options import FalcoOptions


@app.command()
@falco_options()
def suggest(
    alerts: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Alert files: Falco text or JSON lines, fluent-bit, CloudWatch or Loki "
            "records; - (or none) for standard input.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", metavar="FILE", help="Write the document to this file (atomically)."
        ),
    ] = None,
    append_to: Annotated[
        Path | None,
        typer.Option(
            "--append",
            "-f",
            metavar="FILE",
            help="Add the entries to this exceptions file (comments and order kept; "
            "alerts it already excepts are skipped); its falco: block selects the Falco.",
        ),
    ] = None,
    *,
    falco: FalcoOptions,
) -> None:
    """Suggest exceptions.yaml entries that would silence the given alerts."""
    from falco_exceptions.alerts.append import existing_entries
    from falco_exceptions.alerts.model import Warnings
    from falco_exceptions.alerts.resolve import Resolver
    from falco_exceptions.alerts.silencing import Silencers
    from falco_exceptions.alerts.suggest import document_text
    from falco_exceptions.alerts.suggest import suggest as suggest_entries
    from falco_exceptions.document import FalcoSettings, display_name
    from falco_exceptions.options import resolve
    from falco_exceptions.target import select

    if output is not None and append_to is not None:
        fail("-o/--output and --append exclude each other: the entries go to one place")
    paths = inputs(alerts)
    chosen = guarded(lambda: resolve(falco))
    existing_text = _read_existing(append_to) if append_to is not None else None
    settings: FalcoSettings = FalcoSettings()
    entries: tuple[Entry, ...] = ()
    if append_to is not None and existing_text is not None:
        shown = display_name(append_to)
        settings, entries = guarded(lambda: existing_entries(existing_text, shown))
    target = guarded(lambda: select(chosen, settings))
    tell(target)
    warnings = Warnings()
    resolver = Resolver(target, warnings)
    silencers = Silencers(entries, target) if existing_text is not None else None
    result = guarded(
        lambda: suggest_entries(
            read(resolver, paths),
            target,
            warnings,
            silencers,
            adds_rules_files=existing_text is None,
        )
    )
    show_warnings(warnings)
    _check_result(result, append_to)
    if append_to is not None and existing_text is not None:
        _append(append_to, existing_text, result)
        return
    if append_to is not None:
        output = append_to  # a new file: the whole document
    sources = [display_name(p) if str(p) != "-" else "<stdin>" for p in paths]
    text = document_text(result, target, sources)
    if output is None:
        typer.echo(text, nl=False)
    else:
        from falco_exceptions.values import atomic_write

        guarded(lambda: atomic_write(output, text))
    _summary(result, output)


def _read_existing(path: Path) -> str | None:
    """The --append file's exact text; None when there is no such file yet (it is created)."""
    from falco_exceptions.values import read_current

    return guarded(lambda: read_current(path))


def _check_result(result: Suggested, append_to: Path | None) -> None:
    if result.alerts == 0:
        fail("no Falco alert in the input", ExitCode.FINDINGS)
    if result.suggestions:
        return
    if append_to is not None and result.excepted == result.alerts:
        note(f"all {result.alerts} alerts are already excepted by {append_to}; nothing to add")
        raise typer.Exit(0)
    fail(f"no entry could be suggested from {result.alerts} alert(s)", ExitCode.FINDINGS)


def _append(path: Path, text: str, result: Suggested) -> None:
    from falco_exceptions.alerts.append import append
    from falco_exceptions.alerts.suggest import entry_lines
    from falco_exceptions.document import display_name
    from falco_exceptions.values import atomic_write

    writers = [lambda indent, s=s: entry_lines(s, indent) for s in result.suggestions]
    new_text = guarded(lambda: append(text, display_name(path), writers))
    guarded(lambda: atomic_write(path, new_text))
    _summary(result, path)


def _summary(result: Suggested, written: Path | None) -> None:
    from falco_exceptions.document import display_name

    count = len(result.suggestions)
    message = f"{count} entr{'y' if count == 1 else 'ies'} from {result.alerts} alert(s)"
    if result.excepted:
        message += f" ({result.excepted} already excepted)"
    if written is not None:
        message += f", written to {display_name(written)}"
    note(message)
    with_errors = sum(1 for s in result.suggestions if any(n.startswith("error") for n in s.notes))
    if with_errors:
        note(f"{with_errors} of them need changes before they render (see their comments)")
