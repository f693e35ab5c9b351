"""A versioned JSON document: `{"version": 1, "diagnostics": [...], "summary": {...}}`."""

from __future__ import annotations

import json
from collections.abc import Sequence

from falco_exceptions.diagnostics import Diagnostic, Severity

FORMAT_VERSION = 1


def report(diagnostics: Sequence[Diagnostic]) -> str:
    document = {
        "version": FORMAT_VERSION,
        "diagnostics": [
            {
                "file": d.position.file,
                "line": d.position.line,
                "col": d.position.col,
                "code": d.code,
                "severity": d.severity.value,
                "message": d.message,
            }
            for d in diagnostics
        ],
        "summary": {s.value: sum(1 for d in diagnostics if d.severity is s) for s in Severity},
    }
    return json.dumps(document, indent=2) + "\n"
