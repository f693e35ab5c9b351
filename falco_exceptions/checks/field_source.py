"""The fields an entry names (process, user, container, Kubernetes, file) exist only for
rules of the `syscall` source.

A rule of another source (k8s_audit, aws_cloudtrail, a plugin) has no process or file
descriptor fields; Falco would refuse the exception when it loads the rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from falco_exceptions.diagnostics import Diagnostic, error
from falco_exceptions.document import Entry
from falco_exceptions.target import Target

CODE = "FE203"


def check(entry: Entry, target: Target) -> Iterator[Diagnostic]:
    rule = target.catalog.rules[entry.rule]
    if rule.source != "syscall":
        fields = " and ".join(entry.field_names)
        yield error(
            entry.at("rule"),
            CODE,
            f"rule {entry.rule!r} has source {rule.source!r}, which has no {fields} field; "
            "falco-exceptions can only except syscall rules",
        )
