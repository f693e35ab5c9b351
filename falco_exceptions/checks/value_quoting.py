"""Every value must be writable for the condition parser of the selected Falco.

Values that are not plain words are quoted for that parser. Refused: control characters;
a value ending in a backslash, which no Falco can load (verified on 0.35.1 and 0.44.1);
and on Falco <= 0.31 (no escapes in its parser), a value holding both `"` and `'`, or one
naming a list of the ruleset. The message says which Falco can express the value, if any.
"""

from __future__ import annotations

from collections.abc import Iterator

from falco_exceptions.diagnostics import Diagnostic, error
from falco_exceptions.document import Entry
from falco_exceptions.falco.quoting import Unrepresentable, literal
from falco_exceptions.target import Target

CODE = "FE205"


def check(entry: Entry, target: Target) -> Iterator[Diagnostic]:
    for test in entry.fields:
        name = test.field
        for value in test.values:
            try:
                literal(value, target.engine.parser, target.catalog.lists)
            except Unrepresentable as exc:
                yield error(
                    entry.at_value(name, value),
                    CODE,
                    f"{name} value {value!r} cannot be written for Falco "
                    f"{target.engine.text}: {exc}",
                )
