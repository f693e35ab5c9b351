"""A `report.Report` as GitHub-flavoured Markdown, for a pull request comment.

Deterministic (same input, same bytes). Every value from the files goes through `cell`,
so a `|` or a newline cannot break the table and no text turns into markup or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from falco_exceptions.diagnostics import Diagnostic
from falco_exceptions.document import Entry
from falco_exceptions.report import Change, Report, Row
from falco_exceptions.reporters.text import summary

MARKER = "<!-- falco-exceptions report -->"  # lets a workflow find and update its comment
NONE = "-"
_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~])")


class Markup(str):
    """Text that is Markdown already (built from escaped parts): a cell takes it as it is."""


def cell(text: str) -> str:
    """`text` as the content of one table cell: escaped, on one line."""
    escaped = _SPECIAL.sub(r"\\\1", text)
    # A word joiner after `@` and `#` keeps GitHub from pinging a team or linking an issue.
    quiet = re.sub(r"([@#])(?=\w)", "\\1\u2060", escaped)
    return "<br>".join(part.strip() for part in quiet.splitlines()) or NONE


def render(report: Report) -> str:
    lines = [MARKER, f"### {_title(report)}", "", _summary(report.diagnostics), ""]
    if report.base is not None:
        lines += _changes(report)
    lines += _exceptions(report)
    if report.removed_by_layers:
        lines += _removed_by_layers(report)
    if report.other_findings:
        lines += ["#### Other findings", ""]
        lines += [f"- {cell(str(d.position))}: {_finding(d)}" for d in report.other_findings]
        lines.append("")
    return "\n".join(lines)


def _title(report: Report) -> str:
    count = len(report.rows)
    noun = "exception" if count == 1 else "exceptions"
    files = ", ".join(report.files)
    target = f" for Falco {report.falco} (rules {report.ruleset})" if report.falco else ""
    return cell(f"Falco exceptions: {count} {noun} in {files}{target}")


def _summary(diagnostics: Sequence[Diagnostic]) -> str:
    if not diagnostics:
        return "No findings."
    return f"{summary(diagnostics).strip()}: see the findings."


def _changes(report: Report) -> list[str]:
    assert report.base is not None
    head = [f"#### Changes compared with {cell(report.base)}", ""]
    if report.settings_changes:
        head += ["The `falco:` settings changed, so every exception may render differently:", ""]
        head += [f"- {cell(change)}" for change in report.settings_changes] + [""]
    if not report.changes:
        return [*head, "No exception was added, removed or changed.", ""]
    counts = ", ".join(
        f"{sum(1 for c in report.changes if c.kind == kind)} {kind}"
        for kind in ("added", "changed", "removed")
    )
    rows = [_change_row(c) for c in report.changes]
    header = ["change", "where", "rule", "excepted", "justification", "what changed", "findings"]
    return [*head, counts + ".", "", *_table(header, rows)]


def _exceptions(report: Report) -> list[str]:
    if not report.rows:
        return ["No exceptions are in effect.", ""]
    title = f"Exceptions in effect ({len(report.rows)})"
    header = ["where", "rule", "excepted", "justification", "owner", "ticket", "expires"]
    header += [f"rendered for Falco {report.falco}" if report.falco else "rendered", "findings"]
    rows = [_exception_row(row) for row in report.rows]
    if report.base is None:
        return [f"#### {title}", "", *_table(header, rows)]
    # After the changes, the whole list folds away.
    return [f"<details><summary>{title}</summary>", "", *_table(header, rows), "</details>", ""]


def _change_row(c: Change) -> list[str]:
    e = c.entry
    return [c.kind, _where(e), *_what(e), e.justification, "\n".join(c.details), _all(c.findings)]


def _exception_row(row: Row) -> list[str]:
    e = row.entry
    return [
        _where(e),
        *_what(e),
        e.justification,
        e.owner or "",
        e.ticket or "",
        str(e.expires or ""),
        row.rendering,
        _all(row.findings),
    ]


def _removed_by_layers(report: Report) -> list[str]:
    header = ["id", "rule", "excepted", "defined at", "removed at"]
    rows = [
        [r.id, *_what(r.entry), str(r.entry.position), str(r.position)]
        for r in report.removed_by_layers
    ]
    return ["#### Removed by a later file", "", *_table(header, rows)]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = [_table_row(header), "|" + "---|" * len(header)]
    return [*lines, *(_table_row(row) for row in rows), ""]


def _table_row(values: Sequence[str]) -> str:
    cells = [v if isinstance(v, Markup) else cell(v) for v in values]
    return "| " + " | ".join(cells) + " |"


def _what(entry: Entry) -> list[str]:
    return [entry.rule, "\n".join(f"{t.field}: {t.value_text()}" for t in entry.fields)]


def _where(entry: Entry) -> str:
    p = entry.position
    return f"{p.file}:{p.line}" if p.line else p.file


def _all(findings: Sequence[Diagnostic]) -> Markup:
    return Markup("<br>".join(_finding(d) for d in findings) or NONE)


def _finding(d: Diagnostic) -> str:
    return f"**{d.severity.value}** {d.code}: {cell(d.message)}"
