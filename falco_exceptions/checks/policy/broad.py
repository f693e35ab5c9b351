"""Warn when an exception is broad: it silences much more than one program doing one thing.

An entry is narrow when it says what the process touches (`fd.name` or `fd.directory`,
on a rule whose events have a file descriptor) or which workload it runs in: the image
(`container.image.repository`) or the pod (`k8s.pod.name`) together with the namespace,
the container name or the other of the two. A prefix that every value has narrows
nothing: `{startswith: /}` on a path, or an image prefix that names only a registry.

An entry that is not narrow gets one warning, with every reason that applies: it names
a rule of priority ERROR or above (EMERGENCY, ALERT, CRITICAL, ERROR), so everything the
process does is trusted by a rule that matters most; or its process is a shell, an
interpreter or a package manager (sh, bash, python, node, java, apt, dpkg, pip, npm,
...), which run arbitrary code, so the exception covers whatever they run (one reason per
kind, naming every such process). The advice names only fields the rule can use: a rule
that fires on process spawns gets the workload and the parent (`proc.pname`), never
`fd.name`.

Separately, a value with glob characters (`*`, `?`, `[`): the exception compares with
`=` or `startswith`, so Falco matches the text literally; if a pattern was meant, it
would be broad. Where a trailing `*` meant a prefix, the message gives the
`{startswith: ...}` to write.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from falco_exceptions.catalog import RuleInfo
from falco_exceptions.catalog.events import carries_fd, describe
from falco_exceptions.diagnostics import Diagnostic, warning
from falco_exceptions.document import Comparison, Entry, FieldTest
from falco_exceptions.falco.fields import BY_NAME, PREFIXED
from falco_exceptions.policy import Context

CODE = "FE303"

HIGH_PRIORITIES = ("EMERGENCY", "ALERT", "CRITICAL", "ERROR")
KINDS = {  # kind: (plural, the processes of that kind)
    "a shell": ("shells", "sh bash zsh dash ash ksh mksh csh tcsh fish busybox"),
    "an interpreter": (
        "interpreters",
        "python python2 python3 node nodejs deno bun perl ruby php java lua luajit tclsh "
        "Rscript pwsh",
    ),
    "a package manager": (
        "package managers",
        "apt apt-get aptitude dpkg yum dnf microdnf rpm apk zypper pacman snap flatpak pip "
        "pip3 pipx npm npx yarn pnpm gem bundle composer cargo conda",
    ),
}
_VERSIONED = re.compile(r"^(python|pip|php|ruby|perl|node|java|lua)[0-9][0-9.]*$")
GLOB = re.compile(r"[*?\[]")
_PATHS = ("fd.name", "fd.directory", "proc.exepath")
_PINNING = ("container.image.repository", "k8s.pod.name")  # name the workload on their own


def check(entries: Sequence[Entry], context: Context) -> Iterator[Diagnostic]:
    for entry in entries:
        rule = context.target.catalog.rules.get(entry.rule)
        tests = _effective(entry, rule)
        if not _narrow(tests):
            reasons = _reasons(entry, rule)
            if reasons:
                ignored = _ignored(entry, tests)
                yield warning(
                    entry.at("proc.name"),
                    CODE,
                    f"broad exception: {'; '.join(reasons + ignored)}; "
                    f"narrow it {_advice(entry, rule, tests)}",
                )
        yield from _globs(entry)


def kind_of(process: str) -> str | None:
    """`a shell`, `an interpreter`, `a package manager`, or None."""
    versioned = _VERSIONED.match(process)
    base = versioned.group(1) if versioned else process
    for kind, (_, names) in KINDS.items():
        if base in names.split() or process in names.split():
            return kind
    return None


def narrows_nothing(test: FieldTest) -> str | None:
    """Why a prefix test matches (nearly) every value, or None."""
    if test.comparison is not Comparison.STARTSWITH:
        return None
    if test.field in _PATHS and "/" in test.values:
        return f"{test.field} startswith / matches every path"
    if test.field == "container.image.repository":
        wide = [p for p in test.values if "/" not in p.rstrip("/")]
        if wide:
            return f"{test.field} startswith {wide[0]} matches every image of that registry"
    return None


def _effective(entry: Entry, rule: RuleInfo | None) -> list[FieldTest]:
    """The tests that narrow: not a field the rule's events lack (FE210), not a prefix of
    everything."""
    has_fd = rule is None or carries_fd(rule.events)
    return [
        t
        for t in entry.fields
        if (has_fd or not BY_NAME[t.field].needs_fd) and narrows_nothing(t) is None
    ]


def _narrow(tests: Sequence[FieldTest]) -> bool:
    names = {t.field for t in tests}
    if names & {"fd.name", "fd.directory"}:
        return True
    workload = {n for n in names if BY_NAME[n].workload}
    return bool(workload & set(_PINNING)) and len(workload) >= 2


def _reasons(entry: Entry, rule: RuleInfo | None) -> list[str]:
    names = ", ".join(entry.values("proc.name"))
    reasons = []
    if rule is not None and rule.priority.upper() in HIGH_PRIORITIES:
        reasons.append(
            f"it trusts everything {names} does in rule {entry.rule!r}, whose priority is "
            f"{rule.priority.upper()}"
        )
    by_kind: dict[str, list[str]] = {}
    for process in entry.values("proc.name"):
        kind = kind_of(process)
        if kind is not None:
            by_kind.setdefault(kind, []).append(process)
    for kind, processes in by_kind.items():
        if len(processes) == 1:
            reasons.append(f"{processes[0]} is {kind}, so this excepts whatever it runs")
        else:
            listed = ", ".join(processes[:-1]) + " and " + processes[-1]
            reasons.append(f"{listed} are {KINDS[kind][0]}, so this excepts whatever they run")
    return reasons


def _ignored(entry: Entry, tests: Sequence[FieldTest]) -> list[str]:
    """Why a prefix the entry has does not count (the field FE210 refuses says itself)."""
    kept = set(tests)
    found = (narrows_nothing(t) for t in entry.fields if t not in kept)
    return [f"{why}, so it narrows nothing" for why in found if why]


def _advice(entry: Entry, rule: RuleInfo | None, tests: Sequence[FieldTest]) -> str:
    workload = f"by its workload ({_workload_fields({t.field for t in tests})})"
    if rule is None or carries_fd(rule.events):
        return f"by what the process touches (fd.name, fd.directory) or {workload}"
    parent = "" if "proc.pname" in entry.field_names else " or its parent (proc.pname)"
    return f"{workload}{parent}: rule {entry.rule!r} fires on {describe(rule.events)} only"


def _workload_fields(named: set[str]) -> str:
    """What to add so that the workload is pinned (see `_narrow`)."""
    if named & set(_PINNING):
        return "add k8s.ns.name"
    if named & {"k8s.ns.name", "container.name"}:
        return "add container.image.repository or k8s.pod.name"
    return "container.image.repository with k8s.ns.name"


def _globs(entry: Entry) -> Iterator[Diagnostic]:
    for test in entry.fields:
        globbed = [v for v in test.values if GLOB.search(v)]
        if not globbed:
            continue
        op = test.comparison.value
        fix = f"list the exact {test.field} values instead"
        prefixes = [v[:-1] for v in globbed if v.endswith("*") and not GLOB.search(v[:-1])]
        if test.field in PREFIXED and op == "=" and len(prefixes) == len(globbed):
            shown = prefixes[0] if len(prefixes) == 1 else "[" + ", ".join(prefixes) + "]"
            fix = f"for a prefix, write {test.field}: {{startswith: {shown}}}"
        yield warning(
            entry.at(test.field),
            CODE,
            f"{test.field} {', '.join(map(repr, globbed))} has glob characters (* ? [), but "
            f"the exception compares with {op}, so Falco matches that exact text; as a "
            f"pattern it would be broad: {fix}",
        )
