"""What a record holds: Falco text, Falco JSON, or a log shipper's wrapping of either."""

from __future__ import annotations

import json

from falco_exceptions.alerts.shapes import JsonAlert, NotAnAlert, TextAlert, parse_text, shapes

LINE = "02:05:21.813285480: Warning Sensitive file opened (user=root)"
FALCO = {"rule": "r", "output": LINE, "output_fields": {"user.name": "root"}, "time": "t"}


def test_text_lines_with_and_without_time_and_priority() -> None:
    assert parse_text(LINE) == TextAlert(
        "Sensitive file opened (user=root)",
        "02:05:21.813285480",
        "Warning",
        "Warning Sensitive file opened (user=root)",
    )
    assert parse_text("Sensitive file opened (user=root)").time is None
    iso = parse_text("2021-06-15T02:05:21.813285480+0000: Notice x (a=b)")
    assert (iso.time, iso.priority, iso.body) == (
        "2021-06-15T02:05:21.813285480+0000",
        "Notice",
        "x (a=b)",
    )
    kubectl = parse_text("2021-06-15T02:05:21.9Z 02:05:21.8: Error y")
    assert (kubectl.time, kubectl.body) == ("02:05:21.8", "y")


def test_falco_json() -> None:
    assert list(shapes(FALCO)) == [JsonAlert("r", LINE, {"user.name": "root"}, "t")]


def test_fluent_bit_cloudwatch_and_loki_wrappings() -> None:
    record = {"log": LINE + "\n", "stream": "stdout", "kubernetes": {"pod_name": "falco-1"}}
    event = {"message": json.dumps(record), "timestamp": 1}
    loki = {"labels": {"app": "falco"}, "line": json.dumps(record)}
    expected = [parse_text(LINE)]
    assert list(shapes(record)) == expected
    assert list(shapes(event)) == expected
    assert list(shapes({"events": [event]})) == expected
    assert list(shapes(loki)) == expected
    assert list(shapes({"log": json.dumps(FALCO)})) == list(shapes(FALCO))


def test_json_without_an_alert_says_what_it_expected() -> None:
    [found] = shapes({"level": "info", "msg": "started"})
    assert isinstance(found, NotAnAlert)
    assert "keys: level, msg" in found.problem
    assert isinstance(next(iter(shapes(42))), NotAnAlert)
