"""`report`: Markdown for a pull request comment about the exceptions and their change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from falco_exceptions.cli.app import Files, app, fail, files_or_default, guarded, tell
from falco_exceptions.cli.falco_options import falco_options
from falco_exceptions.cli.review_options import (
    ExpiryWarningDays,
    PolicyFile,
    Today,
    review_options,
)

if TYPE_CHECKING:
    from falco_exceptions.options import FalcoOptions


@app.command()
@falco_options()
def report(
    files: Files = None,
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            metavar="REF|FILE",
            help="Compare with this version: a file, or a git revision (e.g. origin/main) "
            "whose version of each file `git show` gives.",
        ),
    ] = None,
    policy_file: PolicyFile = None,
    today: Today = None,
    expiry_warning_days: ExpiryWarningDays = None,
    *,
    falco: FalcoOptions,
) -> None:
    """Markdown for a pull request: the exceptions, how they render, what the change does.

    Exit 0 whenever the report is written, findings or not: validate is the gate.

    Exit 2 on bad usage or an unknown --base.
    """
    from falco_exceptions import baseline, checker, document, markdown
    from falco_exceptions import report as reporting
    from falco_exceptions.diagnostics import has_errors
    from falco_exceptions.options import resolve

    paths = files_or_default(files)
    selection = guarded(lambda: resolve(falco))
    review = review_options(policy_file, today, expiry_warning_days)
    result = guarded(lambda: checker.check(paths, selection, review=review))
    if result.target is not None:
        tell(result.target)
    before = None
    if base is not None:
        texts = guarded(lambda: baseline.base_texts(base, paths))
        before, problems = document.load_texts(texts)
        if has_errors(problems):
            # A broken base would read as "everything was added": say so instead.
            for problem in problems:
                typer.echo(str(problem), err=True)
            fail(f"the base {base!r} cannot be read as exceptions files; nothing compared")
    typer.echo(markdown.render(reporting.build(result, base, before)), nl=False)
