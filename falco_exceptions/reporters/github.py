"""GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=CODE::message`.

GitHub turns each into an annotation on the file and line of the pull request. Warnings
become `::warning`, infos `::notice`. Values are escaped as GitHub requires: `%`, CR and
LF everywhere, and `:` and `,` inside properties too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from falco_exceptions.diagnostics import Diagnostic, Severity
from falco_exceptions.reporters import text
from falco_exceptions.reporters.paths import relative

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def report(diagnostics: Sequence[Diagnostic], base: Path | None = None) -> str:
    root = base or Path.cwd()
    lines = [command(d, root) for d in diagnostics]
    return "\n".join(lines) + ("\n" if lines else "") + text.summary(diagnostics)


def command(diagnostic: Diagnostic, base: Path) -> str:
    p = diagnostic.position
    props = [("file", relative(p.file, base))]
    if p.line:
        props += [("line", str(p.line)), ("col", str(p.col or 1))]
    props.append(("title", diagnostic.code))
    rendered = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMANDS[diagnostic.severity]} {rendered}::{escape_data(diagnostic.message)}"


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")
