"""One ruleset's output formats, compiled once and indexed, to find the rule of an alert text.

The index maps the first characters of each rule's head (the literal start of its output)
to the formats that start so; an alert text is looked up by its own first characters and
then compared with the few heads found. Formats compile their value splitter on first use.
"""

from __future__ import annotations

from functools import cached_property

from falco_exceptions.alerts.formats import OutputFormat, compile_output, message_of
from falco_exceptions.alerts.shapes import parse_text
from falco_exceptions.catalog import Catalog

KEY_LENGTH = 6
MIN_TEXT = 12  # shorter texts name no rule by their output


class RulesetIndex:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._formats: dict[str, OutputFormat] = {}
        self._by_key: dict[str, list[OutputFormat]] = {}
        self._short: list[OutputFormat] = []  # heads shorter than the key
        for rule in catalog.rules.values():
            if not rule.output:
                continue
            compiled = compile_output(rule.name, rule.output)
            self._formats[rule.name] = compiled
            if len(compiled.head) >= KEY_LENGTH:
                self._by_key.setdefault(compiled.head[:KEY_LENGTH], []).append(compiled)
            else:
                self._short.append(compiled)

    def format(self, rule: str) -> OutputFormat | None:
        return self._formats.get(rule)

    def by_output(self, body: str) -> list[OutputFormat]:
        """The formats whose head starts `body`, longest head first (the most specific)."""
        found = [f for f in self._by_key.get(body[:KEY_LENGTH], ()) if body.startswith(f.head)]
        if self._short:
            found += [f for f in self._short if f.head and body.startswith(f.head)]
        if len(found) > 1:
            found.sort(key=lambda f: len(f.head), reverse=True)
        return found

    @cached_property
    def _messages(self) -> list[tuple[str, str]]:
        return [
            (_normal(message_of(r.output)), r.name) for r in self.catalog.rules.values() if r.output
        ]

    def by_alert_text(self, text: str) -> list[str]:
        """Rules whose alerts read `text`: the start of their message, or a whole alert line.

        For a rule name that is really what the alert said: "Sensitive file opened for
        reading by non-trusted program" is rule "Read sensitive file untrusted".
        """
        wanted = _normal(parse_text(text.strip()).body)
        if len(wanted) < MIN_TEXT:
            return []
        whole = [
            (len(message), name)
            for message, name in self._messages
            if message and wanted.startswith(message) and wanted[len(message) :][:1] in ("", " ")
        ]
        if whole:  # a whole alert line: the most specific message says which rule
            best = max(length for length, _ in whole)
            return [name for length, name in whole if length == best]
        return [name for message, name in self._messages if message.startswith(wanted)]


def _normal(text: str) -> str:
    return " ".join(text.split()).lower().rstrip(" (|:,-")
