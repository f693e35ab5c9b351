"""Records from an input: lines, JSON lines, pretty-printed documents read element by element."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

from falco_exceptions.alerts.sources import Record, Unreadable, records


def test_text_and_json_lines_are_records_blank_lines_are_skipped() -> None:
    found = list(records(["02:05:21: Warning x\n", "\n", '{"rule": "r", "output": "o"}\n']))
    assert found == [
        Record(1, "02:05:21: Warning x"),
        Record(3, {"rule": "r", "output": "o"}),
    ]


def test_a_pretty_document_of_events_is_read_one_event_at_a_time() -> None:
    doc = {"events": [{"message": f"m{i}", "timestamp": i} for i in range(3)], "nextToken": "t"}
    lines = json.dumps(doc, indent=4).splitlines(keepends=True)
    found = list(records(lines))
    assert [r.value for r in found] == [{"message": f"m{i}", "timestamp": i} for i in range(3)]
    assert [r.line for r in found] == [3, 7, 11]  # where each event starts


def test_a_pretty_document_without_record_arrays_is_one_record() -> None:
    alert = {"rule": "r", "output": "o", "tags": ["a", "b"], "output_fields": {"fd.name": "/x"}}
    found = list(records(json.dumps(alert, indent=2).splitlines()))
    assert found == [Record(1, alert)]


def test_a_top_level_array_of_alerts_is_read_element_by_element() -> None:
    items = [{"rule": "r", "output": str(i)} for i in range(2)]
    found = list(records(json.dumps(items, indent=2).splitlines()))
    assert [r.value for r in found] == items


def test_reading_is_streamed() -> None:
    """An endless input yields its first records: nothing waits for the end."""

    def endless() -> Iterator[str]:
        for i in itertools.count():
            yield f'{{"rule": "r", "output": "{i}"}}\n'

    first = list(itertools.islice(records(endless()), 3))
    assert [r.value["output"] for r in first] == ["0", "1", "2"]


def test_an_endless_pretty_document_yields_its_events_as_they_come() -> None:
    def endless() -> Iterator[str]:
        yield '{"events": [\n'
        for i in itertools.count():
            yield f'  {{"message": "{i}"}},\n'

    first = list(itertools.islice(records(endless()), 2))
    assert [r.value for r in first] == [{"message": "0"}, {"message": "1"}]


def test_broken_json_is_reported_with_its_line_and_the_rest_goes_on() -> None:
    found = list(records(['{"cut": "a JSON line\n', "02:05:21: Warning x\n"]))
    assert isinstance(found[0], Unreadable) and found[0].line == 1
    assert "not valid JSON" in found[0].problem
    assert found[1] == Record(2, "02:05:21: Warning x")


def test_a_document_never_closed_is_reported_at_its_start() -> None:
    found = list(records(["{\n", '  "events": [\n', '    {"message": "x"}\n']))
    assert found[0] == Record(3, {"message": "x"})
    assert found[-1] == Unreadable(1, "a JSON document starts here but is never closed")
