"""Shared helpers of the alert tests: a target, and alerts read from text."""

from __future__ import annotations

from pathlib import Path

from falco_exceptions.alerts.model import Alert, Warnings
from falco_exceptions.alerts.resolve import Resolver
from falco_exceptions.document import FalcoSettings
from falco_exceptions.target import Selection, Target, select

SAMPLES = Path(__file__).parent / "samples"
FOUNDING = (SAMPLES / "founding.txt").read_text().strip()


def target(falco: str, rules: str | None = None) -> Target:
    return select(Selection(falco, rules), FalcoSettings())


def read(text: str, falco: str = "0.26.2") -> tuple[list[Alert], Warnings]:
    warnings = Warnings()
    alerts = list(Resolver(target(falco), warnings).alerts(text.splitlines(), "in.txt"))
    return alerts, warnings
