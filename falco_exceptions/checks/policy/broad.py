"""Warn when an exception is broad: it silences much more than one program doing one thing.

Three cases. An exception that names only `proc.name` (no `fd.name`) on a rule of priority
ERROR or above (EMERGENCY, ALERT, CRITICAL, ERROR): everything that process does is
trusted by a rule that matters most. One that names only `proc.name` where the process is
a shell, an interpreter or a package manager (sh, bash, python, node, java, apt, dpkg,
pip, npm, ...): these run arbitrary code, so the exception covers whatever they run. And a
value with glob characters (`*`, `?`, `[`): the exception compares with `=`, so Falco
matches the text literally; if a pattern was meant, it would be broad. Each message says
why, and how to narrow it (usually: add `fd.name: <path>`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from falco_exceptions.diagnostics import Diagnostic, warning
from falco_exceptions.document import Entry
from falco_exceptions.policy import Context

CODE = "FE303"

HIGH_PRIORITIES = ("EMERGENCY", "ALERT", "CRITICAL", "ERROR")
KINDS = {
    "a shell": "sh bash zsh dash ash ksh mksh csh tcsh fish busybox",
    "an interpreter": (
        "python python2 python3 node nodejs deno bun perl ruby php java lua luajit tclsh "
        "Rscript pwsh"
    ),
    "a package manager": (
        "apt apt-get aptitude dpkg yum dnf microdnf rpm apk zypper pacman snap flatpak pip "
        "pip3 pipx npm npx yarn pnpm gem bundle composer cargo conda"
    ),
}
_VERSIONED = re.compile(r"^(python|pip|php|ruby|perl|node|java|lua)[0-9][0-9.]*$")
GLOB = re.compile(r"[*?\[]")


def check(entries: Sequence[Entry], context: Context) -> Iterator[Diagnostic]:
    for entry in entries:
        if "fd.name" not in entry.field_names:
            reasons = _reasons(entry, context)
            if reasons:
                yield warning(
                    entry.at("proc.name"),
                    CODE,
                    f"broad exception: {'; '.join(reasons)}; narrow it to what the process "
                    "touches, e.g. add fd.name: <path>",
                )
        for name, values in entry.fields:
            globbed = [v for v in values if GLOB.search(v)]
            if globbed:
                yield warning(
                    entry.at(name),
                    CODE,
                    f"{name} {', '.join(map(repr, globbed))} has glob characters (* ? [), but "
                    "the exception compares with =, so Falco matches that exact text; as a "
                    f"pattern it would be broad: list the exact {name} values instead",
                )


def kind_of(process: str) -> str | None:
    """`a shell`, `an interpreter`, `a package manager`, or None."""
    versioned = _VERSIONED.match(process)
    base = versioned.group(1) if versioned else process
    for kind, names in KINDS.items():
        if base in names.split() or process in names.split():
            return kind
    return None


def _reasons(entry: Entry, context: Context) -> list[str]:
    names = ", ".join(entry.values("proc.name"))
    reasons = []
    rule = context.target.catalog.rules.get(entry.rule)
    if rule is not None and rule.priority.upper() in HIGH_PRIORITIES:
        reasons.append(
            f"it trusts everything {names} does in rule {entry.rule!r}, whose priority is "
            f"{rule.priority.upper()}"
        )
    for process in entry.values("proc.name"):
        kind = kind_of(process)
        if kind is not None:
            reasons.append(f"{process} is {kind}, so this excepts whatever it runs")
    return reasons
