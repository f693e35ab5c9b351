"""Options of the commands that review exceptions (`validate`, `report`): policy and dates."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from falco_exceptions.policy import Options

PolicyFile = Annotated[
    Path | None,
    typer.Option(
        "--policy",
        metavar="FILE",
        help="Review policy file (default: ./.falco-exceptions.yaml, when it exists).",
        show_default=False,
    ),
]


def _date(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date written YYYY-MM-DD") from None


Today = Annotated[
    datetime.date | None,
    typer.Option(
        "--today",
        parser=_date,
        metavar="YYYY-MM-DD",
        help="The date that expiry is judged on (default: today).",
        show_default=False,
    ),
]


def _days(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 5):
        raise typer.BadParameter(f"{text!r} is not a number of days: write 0 to 99999, e.g. 14")
    return int(text)


ExpiryWarningDays = Annotated[
    int | None,
    typer.Option(
        "--expiry-warning-days",
        parser=_days,
        metavar="N",
        help="Warn about exceptions that expire within N days (default: 14, or the policy's).",
        show_default=False,
    ),
]


def review_options(
    policy_file: Path | None, today: datetime.date | None, expiry_warning_days: int | None
) -> Options:
    from falco_exceptions.policy import Options, discover

    return Options(
        policy_file=discover(policy_file, Path()),
        today=today,
        expiry_warning_days=expiry_warning_days,
    )
