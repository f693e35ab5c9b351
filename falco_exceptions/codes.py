"""Every diagnostic code with its documentation: `validate --list-checks`, SARIF rules.

Checks document themselves (a module per check, its docstring); the problems found while
reading the files are documented here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import ModuleType

FILE_CODES: dict[str, tuple[str, str]] = {
    "FE101": (
        "yaml-syntax",
        "The file must exist, be readable UTF-8, and be valid YAML. The message gives the "
        "line and column where the parser stopped.",
    ),
    "FE102": (
        "schema",
        "The file must match its JSON schema (exceptions.yaml: schemas/exceptions.schema.json; "
        "the policy file: schemas/policy.schema.json): required keys, types, formats. The "
        "message names the key path and what was expected. A field value is a string or a "
        "list of strings; {startswith: PREFIX} (or a list of prefixes) is the only other "
        "comparison, and only for fd.name, fd.directory, proc.exepath, k8s.pod.name and "
        "container.image.repository.",
    ),
    "FE103": (
        "unknown-key",
        "A key the schema does not know, usually a misspelling (proc_name for proc.name); "
        "the message suggests the closest allowed key. A Falco field this file does not take "
        "(container.image, proc.pexepath, ...) is never turned into a different field without "
        "saying so: the message names the field to write instead.",
    ),
    "FE104": (
        "placeholder-justification",
        "A justification must say why the exception is safe; TODO, TBD, n/a and the like "
        "are refused.",
    ),
    "FE105": (
        "duplicate-entry",
        "The same exception (rule and values) twice, in one file or across layered files.",
    ),
    "FE106": ("bad-date", "expires must be a real calendar date written YYYY-MM-DD."),
    "FE107": (
        "falco-settings-conflict",
        "Layered files disagree on a falco: setting (version, rules, rulesFiles); set it "
        "in one file only.",
    ),
    "FE108": (
        "duplicate-id",
        "An entry id names one entry at a time across the layered files. A later file that "
        "reuses an id must first take the earlier entry out with remove:.",
    ),
    "FE109": (
        "unknown-removal",
        "remove: may only name ids of entries that files given earlier on the command line "
        "define and that are still in effect.",
    ),
    "FE110": (
        "falco-settings",
        "The file's falco: block must name a Falco version this tool supports (0.26 or "
        "newer), a bundled ruleset (falco-exceptions versions), and rules files that ruleset "
        "has.\n\nWhen the deployment is at hand (--chart, --chart-version, --values, the "
        "CHART and -f files of upgrade and template), the block must agree with it: "
        "falco.version with the Falco the chart runs, falco.rules with the ruleset its "
        "falcoctl refs follow, and falco.rulesFiles may not name a file the values do not "
        "load. Every loaded rules file's required_engine_version must be met by the Falco's "
        "engine: Falco refuses to start otherwise.",
    ),
    "FE401": (
        "values-file-shape",
        "A values file given to render --values must be a mapping, and the keys on "
        "--values-path (customRules by default) must be block mappings or empty; flow "
        "mappings with entries and aliases cannot be edited in place, nor a mapping that is "
        "an anchor an alias repeats elsewhere (the new key would appear there too).",
    ),
    "FE402": (
        "values-load",
        "The values must deploy what the exceptions need: falco.rules_files must list "
        "/etc/falco/rules.d (where the chart mounts customRules), and each other customRules "
        "key is a rules file of yours that Falco loads, so it must be a valid rules file "
        "that the selected Falco's engine can load. The message points into the values "
        "file.",
    ),
}


@dataclass(frozen=True)
class CodeDoc:
    code: str
    name: str  # a stable short name, e.g. rule-exists
    summary: str  # one sentence
    doc: str  # the whole documentation, paragraphs separated by a blank line


def all_codes() -> list[CodeDoc]:
    """Every code the tool can report, in code order."""
    from falco_exceptions import checks
    from falco_exceptions.checks import policy

    docs = [
        CodeDoc(code, name, doc.split(". ")[0].rstrip(".") + ".", doc)
        for code, (name, doc) in FILE_CODES.items()
    ]
    for module in (*checks.CHECKS, *policy.CHECKS):
        paragraphs = [" ".join(p.split()) for p in (module.__doc__ or "").strip().split("\n\n")]
        for code in _codes_of(module):
            docs.append(CodeDoc(code, _short_name(module), paragraphs[0], "\n\n".join(paragraphs)))
    return sorted(docs, key=lambda d: d.code)


def _codes_of(module: ModuleType) -> list[str]:
    """CODE and any other FE code a check module declares (rule_exists: FE201, FE202)."""
    return sorted(
        {
            value
            for key, value in vars(module).items()
            if key.isupper() and isinstance(value, str) and re.fullmatch(r"FE\d{3}", value)
        }
    )


def _short_name(module: ModuleType) -> str:
    return module.__name__.rsplit(".", 1)[-1].replace("_", "-")
