"""FE303: broad exceptions."""

from __future__ import annotations

import pytest

from falco_exceptions.checks.policy import broad
from tests.checks.policy.support import entry, findings

WRITE_BELOW_ETC = "Write below etc"  # priority ERROR in falco-0.26.2, fires on file opens
TERMINAL = "Terminal shell in container"  # NOTICE, fires on process spawns only
IMAGE = "    container.image.repository: registry.example.com/monitoring/probe\n"
NAMESPACE = "    k8s.ns.name: monitoring\n"


def test_process_only_on_a_high_priority_rule() -> None:
    assert findings(broad, entry(rule=WRITE_BELOW_ETC, proc="config-tool")) == [
        (
            6,
            16,
            "warning",
            "broad exception: it trusts everything config-tool does in rule 'Write below etc', "
            "whose priority is ERROR; narrow it by what the process touches (fd.name, "
            "fd.directory) or by its workload (container.image.repository with k8s.ns.name)",
        )
    ]


def test_a_file_narrows_it() -> None:
    narrow = entry(rule=WRITE_BELOW_ETC, proc="bash", extra="    fd.name: /etc/resolv.conf\n")
    assert findings(broad, narrow) == []
    folder = entry(rule=WRITE_BELOW_ETC, proc="bash", extra="    fd.directory: /etc/app\n")
    assert findings(broad, folder) == []


def test_an_image_with_a_namespace_narrows_it() -> None:
    assert findings(broad, entry(proc="python3", extra=IMAGE + NAMESPACE)) == []
    pod = "    k8s.pod.name: {startswith: probe-}\n"
    assert findings(broad, entry(proc="python3", extra=pod + NAMESPACE)) == []


@pytest.mark.parametrize(
    ("extra", "advice"),
    [
        (IMAGE, "add k8s.ns.name"),
        (NAMESPACE, "add container.image.repository or k8s.pod.name"),
        ("    container.name: probe\n", "add container.image.repository or k8s.pod.name"),
        (NAMESPACE + "    container.name: probe\n", "add container.image.repository or"),
    ],
)
def test_half_a_workload_is_still_broad_and_the_advice_completes_it(
    extra: str, advice: str
) -> None:
    (found,) = findings(broad, entry(proc="python3", extra=extra))
    assert f"or by its workload ({advice}" in found[3]


def test_a_prefix_of_every_path_narrows_nothing() -> None:
    root = entry(proc="python3", extra="    fd.name: {startswith: /}\n")
    (found,) = findings(broad, root)
    assert found[3].startswith(
        "broad exception: python3 is an interpreter, so this excepts whatever it runs; "
        "fd.name startswith / matches every path, so it narrows nothing; narrow it"
    )
    assert findings(broad, entry(proc="python3", extra="    fd.name: {startswith: /etc/}\n")) == []


def test_a_registry_alone_does_not_name_a_workload() -> None:
    registry = "    container.image.repository: {startswith: docker.io/}\n"
    (found,) = findings(broad, entry(proc="python3", extra=registry + NAMESPACE))
    assert "container.image.repository startswith docker.io/ matches every image" in found[3]


def test_a_spawn_rule_is_advised_its_workload_and_parent_never_a_file() -> None:
    (found,) = findings(broad, entry(rule=TERMINAL, proc="bash"))
    assert found == (
        6,
        16,
        "warning",
        "broad exception: bash is a shell, so this excepts whatever it runs; narrow it by its "
        "workload (container.image.repository with k8s.ns.name) or its parent (proc.pname): "
        "rule 'Terminal shell in container' fires on process spawn only",
    )
    assert "fd." not in found[3]


def test_a_file_on_a_spawn_rule_does_not_count_as_narrowing() -> None:
    # FE210 refuses the fd.name itself; without it the entry is as broad as before
    (found,) = findings(broad, entry(rule=TERMINAL, proc="bash", extra="    fd.name: /x\n"))
    assert found[3].startswith("broad exception: bash is a shell")
    assert "fd.name" not in found[3]


@pytest.mark.parametrize(
    ("process", "kind"),
    [
        ("bash", "a shell"),
        ("python3.11", "an interpreter"),
        ("node", "an interpreter"),
        ("apt-get", "a package manager"),
        ("pip", "a package manager"),
        ("pip3", "a package manager"),
        ("pip3.11", "a package manager"),
    ],
)
def test_shells_interpreters_and_package_managers(process: str, kind: str) -> None:
    found = findings(broad, entry(proc=process))
    assert len(found) == 1
    assert f"{process} is {kind}, so this excepts whatever it runs" in found[0][3]


def test_reasons_add_up_in_one_warning() -> None:
    found = findings(broad, entry(rule=WRITE_BELOW_ETC, proc="[sh, config-tool]"))
    assert len(found) == 1
    assert "whose priority is ERROR; sh is a shell" in found[0][3]


def test_each_reason_is_said_once_for_all_the_processes_it_concerns() -> None:
    (found,) = findings(broad, entry(proc="[sh, bash, python3, zsh]"))
    assert found[3].startswith(
        "broad exception: sh, bash and zsh are shells, so this excepts whatever they run; "
        "python3 is an interpreter, so this excepts whatever it runs; narrow it"
    )


def test_glob_characters_in_any_value() -> None:
    found = findings(broad, entry(proc="awsagent", extra="    fd.name: '/etc/pam.d/*'\n"))
    assert found == [
        (
            7,
            14,
            "warning",
            "fd.name '/etc/pam.d/*' has glob characters (* ? [), but the exception compares "
            "with =, so Falco matches that exact text; as a pattern it would be broad: for a "
            "prefix, write fd.name: {startswith: /etc/pam.d/}",
        )
    ]


def test_a_glob_that_is_no_prefix_asks_for_the_exact_values() -> None:
    (found,) = findings(broad, entry(proc="awsagent", extra="    user.name: 'svc-*'\n"))
    assert found[3].endswith("list the exact user.name values instead")
    prefix = "    fd.name: {startswith: '/etc/*/x'}\n"
    (found,) = findings(broad, entry(proc="awsagent", extra=prefix))
    assert "compares with startswith" in found[3]
