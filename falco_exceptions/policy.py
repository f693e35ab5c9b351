"""The review policy: what a repository requires of its exceptions, and how strict each check is.

Read from the file `--policy` names, else `.falco-exceptions.yaml` in the working directory
or the nearest folder above it, up to the root of the git repository it is in,
and checked against `schemas/policy.schema.json` with positioned errors. Without a file,
the defaults apply: nothing extra required, no lifetime limit, every check at its own
severity.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from falco_exceptions import schema
from falco_exceptions.diagnostics import Diagnostic, Position, has_errors
from falco_exceptions.yamlcompose import Source, compose
from falco_exceptions.yamlsource import read_text

if TYPE_CHECKING:
    from falco_exceptions.target import Target

POLICY_FILE = ".falco-exceptions.yaml"
DEFAULT_EXPIRY_WARNING_DAYS = 14
OFF = "off"


@dataclass(frozen=True)
class Policy:
    source: str | None = None  # the file it came from, as shown to the user
    require: tuple[str, ...] = ()
    max_lifetime_days: int | None = None
    expiry_warning_days: int | None = None
    checks: Mapping[str, str] = field(default_factory=dict)  # code -> off | warning | error
    positions: Mapping[str, Position] = field(default_factory=dict, compare=False)

    def cite(self, key: str) -> str:
        """`the policy's KEY (FILE:LINE:COL)`, for messages."""
        where = self.positions.get(key)
        return f"the policy's {key} ({where})" if where else f"the policy's {key}"


@dataclass(frozen=True)
class Options:
    """What the command line says about the review; None where it said nothing."""

    policy_file: Path | None = None
    today: datetime.date | None = None
    expiry_warning_days: int | None = None


@dataclass(frozen=True)
class Context:
    """Everything a policy check may look at besides the entries."""

    target: Target
    policy: Policy
    today: datetime.date
    expiry_warning_days: int


def discover(explicit: Path | None, cwd: Path) -> Path | None:
    """The policy file to use: the one given, else the nearest `.falco-exceptions.yaml`
    in `cwd` or above it, without leaving the git repository (`.git`) it is in."""
    if explicit is not None:
        return explicit
    for folder in (cwd, *cwd.resolve().parents):
        found = folder / POLICY_FILE
        if found.is_file():
            return found if folder is cwd else Path(os.path.relpath(found, cwd))
        if (folder / ".git").exists():
            break
    return None


def load(path: Path | None, display: str | None = None) -> tuple[Policy, list[Diagnostic]]:
    """The policy in `path` (the defaults when None), and its problems as diagnostics."""
    if path is None:
        return Policy(), []
    shown = display or str(path)
    text = read_text(path, shown)
    if isinstance(text, Diagnostic):
        return Policy(), [text]
    source = compose(text, shown)
    if isinstance(source, Diagnostic):
        return Policy(), [source]
    root = {} if source.data is None else source.data
    problems = schema.check(root, source, shown, schema.POLICY, source=text)
    if has_errors(problems) or not isinstance(root, dict):
        return Policy(), problems
    return _policy(root, source, shown), problems


def _policy(root: dict[str, Any], source: Source, shown: str) -> Policy:
    positions = {str(k): source.at([str(k)]) for k in root}
    checks = root.get("checks") or {}
    return Policy(
        source=shown,
        require=tuple(str(r) for r in root.get("require") or ()),
        max_lifetime_days=root.get("maxLifetimeDays"),
        expiry_warning_days=root.get("expiryWarningDays"),
        checks={str(code): str(level) for code, level in checks.items()},
        positions=positions,
    )


def context(target: Target, policy: Policy, options: Options) -> Context:
    days = options.expiry_warning_days
    if days is None:
        days = policy.expiry_warning_days
    return Context(
        target=target,
        policy=policy,
        today=options.today or datetime.date.today(),
        expiry_warning_days=DEFAULT_EXPIRY_WARNING_DAYS if days is None else days,
    )
