"""SARIF 2.1.0, the format GitHub code scanning (and other tools) import.

One run: the tool with every code it can report as a rule (its documentation as the
descriptions and help), and one result per diagnostic with its level and location.
Paths are relative to the working directory, which in CI is the checkout.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from falco_exceptions import __version__
from falco_exceptions.codes import CodeDoc, all_codes
from falco_exceptions.diagnostics import Diagnostic, Severity
from falco_exceptions.reporters.paths import uri

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FALLBACK_URI = "https://pypi.org/project/falco-exceptions/"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def report(diagnostics: Sequence[Diagnostic], base: Path | None = None) -> str:
    root = base or Path.cwd()
    codes = all_codes()
    index = {doc.code: i for i, doc in enumerate(codes)}
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "falco-exceptions",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": information_uri(),
                        "rules": [_rule(doc) for doc in codes],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, index, root) for d in diagnostics],
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def information_uri() -> str:
    """The project's home page from the package metadata (`[project.urls]`), if it has one."""
    try:
        urls: list[str] = metadata.metadata("falco-exceptions").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        url = str(entry).partition(",")[2].strip()
        if url.startswith("https://"):
            return url
    return FALLBACK_URI


def _rule(doc: CodeDoc) -> dict[str, Any]:
    return {
        "id": doc.code,
        "name": "".join(part.capitalize() for part in doc.name.split("-")),
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": doc.doc},
        "help": {"text": doc.doc, "markdown": doc.doc},
    }


def _result(d: Diagnostic, index: dict[str, int], base: Path) -> dict[str, Any]:
    # GitHub code scanning requires a region; a problem with the whole file is at 1:1.
    location: dict[str, Any] = {
        "artifactLocation": {"uri": uri(d.position.file, base)},
        "region": {"startLine": max(d.position.line, 1), "startColumn": max(d.position.col, 1)},
    }
    result: dict[str, Any] = {
        "ruleId": d.code,
        "level": LEVELS[d.severity],
        "message": {"text": d.message},
        "locations": [{"physicalLocation": location}],
    }
    if d.code in index:
        result["ruleIndex"] = index[d.code]
    return result
