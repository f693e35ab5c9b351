"""What a record holds: a Falco text line, Falco's JSON output, or a log shipper's wrapping.

Detected per record from its content, never from a flag (falco-facts section 9):

- Falco JSON output (`json_output: true`, and falcosidekick's webhook body): an object with
  `output` and `rule` or `output_fields`.
- aws-for-fluent-bit (and Docker's json-file): `{"log": "<Falco line or JSON>", ...}`.
- `aws logs filter-log-events`: `{"events": [{"message": "<record>"}, ...]}`; each event
  alone (as `sources` reads them from a pretty document) has `message`.
- Loki (`logcli --output=jsonl`): `{"labels": {...}, "line": "<record>", ...}`.
- Anything else on a line is taken as Falco text: `[<time>: ][<Priority> ]<output>`.

Wrapped text that starts with `{` is decoded again, so a fluent-bit record inside a
CloudWatch event inside a Loki line still comes out as the Falco alert it holds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

WRAPPING_KEYS = ("log", "line", "message")  # fluent-bit / Docker, Loki, CloudWatch event
PRIORITIES = (
    "Emergency",
    "Alert",
    "Critical",
    "Error",
    "Warning",
    "Notice",
    "Informational",
    "Info",
    "Debug",
)
_PREFIX = re.compile(
    # an optional RFC 3339 stamp a log collector put in front (kubectl logs --timestamps)
    r"(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)\s+(?=\S+:\s))?"
    # Falco's time: 02:05:21.813285480 or, with time_format_iso_8601, 2021-06-15T02:05:...
    r"(?:(?P<time>(?:\d{4}-\d\d-\d\dT)?\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?):\s+)?"
    r"(?:(?P<priority>" + "|".join(PRIORITIES) + r")\s+)?"
)


class TextAlert(NamedTuple):
    """A Falco text line without its time and priority."""

    body: str
    time: str | None
    priority: str | None
    with_priority: str  # the body with the priority word kept (a message may start with one)


class JsonAlert(NamedTuple):
    """Falco's JSON output for one alert."""

    rule: str | None
    output: str
    output_fields: Mapping[str, Any] | None
    time: str | None


class NotAnAlert(NamedTuple):
    problem: str


Shape = TextAlert | JsonAlert | NotAnAlert


def shapes(value: Any) -> Iterator[Shape]:
    """The alerts a record holds (usually one)."""
    if isinstance(value, str):
        yield from _text(value)
    elif isinstance(value, dict):
        yield from _object(value)
    elif isinstance(value, list):
        for item in value:
            yield from shapes(item)
    else:
        yield NotAnAlert(f"a JSON {type(value).__name__}, not a Falco alert")


def falco_json(value: dict[str, Any]) -> JsonAlert | None:
    """The record itself as Falco's JSON output, when it is that (the common case, fast)."""
    output = value.get("output")
    if output.__class__ is not str or ("rule" not in value and "output_fields" not in value):
        return None
    rule, fields, time = value.get("rule"), value.get("output_fields"), value.get("time")
    return JsonAlert(
        rule if isinstance(rule, str) else None,
        output,
        fields if isinstance(fields, dict) else None,
        time if isinstance(time, str) else None,
    )


def _object(value: dict[str, Any]) -> Iterator[Shape]:
    alert = falco_json(value)
    if alert is not None:
        yield alert
        return
    for key in WRAPPING_KEYS:
        inner = value.get(key)
        if isinstance(inner, str):
            yield from _text(inner)
            return
    events = value.get("events")
    if isinstance(events, list):
        for event in events:
            yield from shapes(event)
        return
    keys = ", ".join(sorted(value)[:5]) or "none"
    yield NotAnAlert(
        f"a JSON object without a Falco alert (keys: {keys}; expected Falco's rule/output, "
        "or a log, line, message or events field holding one)"
    )


def _text(text: str) -> Iterator[Shape]:
    text = text.strip()
    if text.startswith("{"):
        try:
            decoded = json.loads(text)
        except ValueError:
            pass
        else:
            yield from shapes(decoded)
            return
    if not text:
        yield NotAnAlert("an empty log message")
        return
    yield parse_text(text)


def parse_text(text: str) -> TextAlert:
    """Split `02:05:21.813285480: Warning <output>` into its parts; both are optional."""
    prefix = _PREFIX.match(text)
    assert prefix is not None  # every part is optional
    body = text[prefix.end() :]
    priority = prefix.group("priority")
    with_priority = text[prefix.start("priority") :] if priority else body
    return TextAlert(body, prefix.group("time"), priority, with_priority)
