"""FE304: one exception covers another."""

from __future__ import annotations

from falco_exceptions.checks.policy import overlap
from tests.checks.policy.support import entry, findings

PAM = "    fd.name: /etc/pam.d/config-util\n"


def test_process_only_covers_the_same_process_with_a_file() -> None:
    text = entry(extra=PAM) + entry(proc="[awsagent, ssm-agent]", justification="b" * 30)
    assert findings(overlap, text) == [
        (
            5,
            5,
            "warning",
            "the exception at x.yaml:9:5 (proc.name awsagent, ssm-agent with any fd.name) "
            "already covers this one; delete this one, or narrow that one",
        )
    ]


def test_wider_file_list_covers_a_narrower_one() -> None:
    wide = "    fd.name: [/etc/pam.d/config-util, /etc/shadow]\n"
    found = findings(overlap, entry(extra=wide) + entry(extra=PAM, justification="b" * 30))
    assert [f[0] for f in found] == [9]


def test_reordered_values_are_left_to_fe105() -> None:
    first = entry(proc="[a, b]", justification="a" * 30)
    second = entry(proc="[b, a]", justification="b" * 30)
    assert findings(overlap, first + second, expect_problems=True) == []


def test_different_processes_or_files_do_not_overlap() -> None:
    text = entry(extra=PAM) + entry(proc="ssm-agent", justification="b" * 30)
    assert findings(overlap, text) == []
    shadow = entry(extra="    fd.name: /etc/shadow\n", justification="b" * 30)
    assert findings(overlap, entry(extra=PAM) + shadow) == []


def test_identical_entries_are_left_to_fe105() -> None:
    text = entry(proc="[a, b]") + entry(proc="[a, b]")
    assert findings(overlap, text, expect_problems=True) == []


def test_different_rules_sharing_a_hook_macro_overlap_on_old_falco() -> None:
    text = entry(extra=PAM) + entry(
        rule="Read sensitive file trusted after startup", justification="b" * 30
    )
    found = findings(overlap, text, falco="0.26.2")
    assert found == [
        (
            5,
            5,
            "warning",
            "on Falco 0.26.2 this exception and the one at x.yaml:9:5 (rule 'Read sensitive "
            "file trusted after startup', proc.name awsagent with any fd.name) both go into "
            "hook macro user_known_read_sensitive_files_activities, and that one already "
            "covers this one; delete this one, or narrow that one",
        )
    ]
    assert findings(overlap, text, falco="0.44.1") == []  # separate rule exceptions there


def test_a_prefix_covers_an_equal_value_and_a_longer_prefix() -> None:
    etc = entry(extra="    fd.name: {startswith: /etc/}\n")
    deeper = entry(extra="    fd.name: {startswith: /etc/pam.d/}\n", justification="b" * 30)
    exact = entry(extra=PAM, justification="c" * 30)
    found = findings(overlap, etc + deeper + exact)
    assert [(f[0], f[3]) for f in found] == [
        (
            9,
            "the exception at x.yaml:5:5 (proc.name awsagent; fd.name startswith /etc/) already "
            "covers this one; delete this one, or narrow that one",
        ),
        (
            13,
            "the exception at x.yaml:5:5 (proc.name awsagent; fd.name startswith /etc/) already "
            "covers this one; delete this one, or narrow that one",
        ),
    ]


def test_a_value_never_covers_a_prefix() -> None:
    exact = entry(extra="    fd.name: /etc/\n")
    prefix = entry(extra="    fd.name: {startswith: /etc/}\n", justification="b" * 30)
    assert [f[0] for f in findings(overlap, exact + prefix)] == [5]


def test_the_workload_fields_must_be_covered_too() -> None:
    ns = "    k8s.ns.name: monitoring\n"
    image = "    container.image.repository: {startswith: registry.example.com/}\n"
    narrow = entry(extra=ns + "    container.image.repository: registry.example.com/team/probe\n")
    assert [f[0] for f in findings(overlap, entry(extra=ns + image) + narrow)] == [10]
    other_ns = entry(extra="    k8s.ns.name: default\n" + image, justification="b" * 30)
    assert findings(overlap, entry(extra=ns + image) + other_ns) == []


def test_a_directory_covers_the_files_in_it_and_a_prefix_the_directory() -> None:
    folder = entry(extra="    fd.directory: /etc/pam.d\n")
    found = findings(overlap, folder + entry(extra=PAM, justification="b" * 30))
    assert [f[0] for f in found] == [9]
    below = entry(extra="    fd.name: {startswith: /etc/pam.d/}\n")
    found = findings(overlap, below + entry(extra="    fd.directory: /etc/pam.d\n"))
    assert [f[0] for f in found] == [9]
    deeper_file = entry(extra="    fd.name: /etc/pam.d/sub/x\n", justification="b" * 30)
    assert findings(overlap, folder + deeper_file) == []
