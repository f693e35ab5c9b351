"""Suggestions: grouped, ordered, as narrow as the alert allows, and honest about their needs."""

from __future__ import annotations

from falco_exceptions import document
from falco_exceptions.alerts.model import Alert, Warnings
from falco_exceptions.alerts.silencing import Silencers
from falco_exceptions.alerts.suggest import document_text, suggest
from tests.alerts.support import read, target

UNTRUSTED = "Read sensitive file untrusted"


def alert(rule: str, line: int, **event: str | None) -> Alert:
    return Alert(rule, event, "alerts.log", line, f"02:05:{line:02d}.0")


def test_same_entries_are_grouped_most_alerts_first_then_first_seen() -> None:
    alerts = [
        alert(UNTRUSTED, 1, **{"proc.name": "a", "fd.name": "/x"}),
        alert(UNTRUSTED, 2, **{"proc.name": "b", "fd.name": "/y"}),
        alert(UNTRUSTED, 3, **{"proc.name": "c", "fd.name": None}),
        alert(UNTRUSTED, 4, **{"proc.name": "b", "fd.name": "/y"}),
    ]
    result = suggest(alerts, target("0.44.1"), Warnings())
    assert [(s.fields, s.count, s.first.line) for s in result.suggestions] == [
        ((("proc.name", "b"), ("fd.name", "/y")), 2, 2),
        ((("proc.name", "a"), ("fd.name", "/x")), 1, 1),
        ((("proc.name", "c"),), 1, 3),  # fd.name unset: the entry cannot name it
    ]
    assert result.alerts == 4


def test_the_document_and_its_comments() -> None:
    alerts = [alert(UNTRUSTED, i, **{"proc.name": "awsagent", "fd.name": "/e"}) for i in (7, 9)]
    result = suggest(alerts, target("0.26.2"), Warnings())
    text = document_text(result, target("0.26.2"), ["alerts.log"])
    assert text.splitlines()[1:] == [
        "apiVersion: falco-exceptions/v1",
        "falco:",
        "  version: 0.26.2",
        "exceptions:",
        "  # 2 alerts, first at 02:05:07.0 (alerts.log:7)",
        "  # info FE207: on Falco 0.26.2 this goes into hook macro "
        "user_known_read_sensitive_files_activities, which also excepts it from 'Read "
        "sensitive file trusted after startup'",
        "  - rule: Read sensitive file untrusted",
        "    proc.name: awsagent",
        "    fd.name: /e",
        "    justification: TODO  # why is this safe? validate rejects TODO (FE104)",
    ]
    _, problems = document.load_texts([("s.yaml", text)])
    assert [p.code for p in problems] == ["FE104"]


def test_what_an_entry_still_needs_is_said() -> None:
    alerts = [
        alert(UNTRUSTED, 1, **{"proc.name": "bash", "fd.name": None}),
        alert(
            UNTRUSTED,
            2,
            **{"proc.name": "update-ca-certi", "proc.exepath": "/usr/sbin/update-ca-certificates"},
        ),
        alert("Read ssh information", 3, **{"proc.name": "backup", "fd.name": "/root/.ssh/id"}),
    ]
    result = suggest(alerts, target("0.44.1"), Warnings())
    bash, truncated, incubating = (s.notes for s in result.suggestions)
    assert any(n.startswith("warning FE303: broad exception") for n in bash)
    assert truncated == [
        "proc.name 'update-ca-certi' is 'update-ca-certificates' (proc.exepath "
        "/usr/sbin/update-ca-certificates) cut to 15 bytes by the kernel; Falco compares the "
        "cut name, as written"
    ]
    assert incubating == []  # the document loads the file the rule is in
    assert result.rules_files == ("falco_rules.yaml", "falco-incubating_rules.yaml")
    text = document_text(result, target("0.44.1"), ["a"])
    assert "  rulesFiles: [falco_rules.yaml, falco-incubating_rules.yaml]" in text


def test_a_value_the_falco_cannot_write_is_said() -> None:
    odd = alert(UNTRUSTED, 1, **{"proc.name": "agent", "fd.name": '/tmp/it\'s "odd"'})
    [suggestion] = suggest([odd], target("0.26.2"), Warnings()).suggestions
    assert any(n.startswith("error FE205:") for n in suggestion.notes)


def test_an_alert_without_proc_name_gives_no_entry_and_says_why() -> None:
    warnings = Warnings()
    result = suggest([alert(UNTRUSTED, 5, **{"fd.name": "/x"})], target("0.44.1"), warnings)
    assert result.suggestions == ()
    assert str(warnings.shown[0]).startswith("alerts.log:5: warning: the alert of rule")


def test_alerts_the_existing_file_already_excepts_are_skipped() -> None:
    doc, _ = document.load_texts(
        [
            (
                "e.yaml",
                "apiVersion: falco-exceptions/v1\nexceptions:\n  - rule: Read sensitive file "
                "untrusted\n    proc.name: a\n    justification: The agent reads it at start.\n",
            )
        ]
    )
    chosen = target("0.44.1")
    alerts = [alert(UNTRUSTED, 1, **{"proc.name": "a"}), alert(UNTRUSTED, 2, **{"proc.name": "b"})]
    result = suggest(alerts, chosen, Warnings(), Silencers(doc.entries, chosen))
    assert result.excepted == 1
    assert [s.fields for s in result.suggestions] == [(("proc.name", "b"),)]


def test_appending_to_a_file_that_does_not_load_the_rule_says_so() -> None:
    incubating = alert("Read ssh information", 3, **{"proc.name": "backup", "fd.name": "/r/id"})
    result = suggest([incubating], target("0.44.1"), Warnings(), adds_rules_files=False)
    assert result.rules_files is None
    [note] = result.suggestions[0].notes
    assert note.startswith("error FE202: rule 'Read ssh information' is in falco-incubating_rules")


def test_an_alert_from_a_container_narrows_by_image_and_namespace() -> None:
    line = (
        "02:05:21.1: Warning Sensitive file opened for reading by non-trusted program | "
        "file=/etc/shadow gparent=containerd-shim ggparent=<NA> gggparent=<NA> evt_type=openat "
        "user=root user_uid=0 user_loginuid=-1 process=nginx proc_exepath=/usr/sbin/nginx "
        "parent=nginx command=nginx -g daemon off; terminal=0 k8s.ns=web k8s.pod=web-5d9c-x2 "
        "container=0123456789ab"
    )
    [alert], _ = read(line, "0.41.3")
    assert alert.event["k8s.ns.name"] == "web"
    result = suggest([alert], target("0.41.3"), Warnings())
    [suggestion] = result.suggestions
    # the -pk tail has no image: only what the alert has set is used
    assert suggestion.fields == (
        ("proc.name", "nginx"),
        ("k8s.ns.name", "web"),
        ("fd.name", "/etc/shadow"),
    )


def test_image_and_namespace_from_json_but_never_on_the_host() -> None:
    workload = {
        "proc.name": "nginx",
        "container.image.repository": "docker.io/library/nginx",
        "k8s.ns.name": "web",
        "fd.name": "/etc/shadow",
    }
    in_container = alert(UNTRUSTED, 1, **workload, **{"container.id": "0123456789ab"})
    on_host = alert(UNTRUSTED, 2, **workload, **{"container.id": "host"})
    first, second = suggest([in_container, on_host], target("0.44.1"), Warnings()).suggestions
    assert first.fields == tuple(workload.items())
    assert second.fields == (("proc.name", "nginx"), ("fd.name", "/etc/shadow"))


def test_a_value_the_schema_refuses_is_said() -> None:
    blank = alert(UNTRUSTED, 1, **{"proc.name": "agent", "fd.name": " "})
    [suggestion] = suggest([blank], target("0.44.1"), Warnings()).suggestions
    assert [n.split(":")[0] for n in suggestion.notes] == ["error FE102"]
