"""FE303: broad exceptions."""

from __future__ import annotations

import pytest

from falco_exceptions.checks.policy import broad
from tests.checks.policy.support import entry, findings

WRITE_BELOW_ETC = "Write below etc"  # priority ERROR in falco-0.26.2


def test_process_only_on_a_high_priority_rule() -> None:
    assert findings(broad, entry(rule=WRITE_BELOW_ETC, proc="config-tool")) == [
        (
            6,
            16,
            "warning",
            "broad exception: it trusts everything config-tool does in rule 'Write below etc', "
            "whose priority is ERROR; narrow it to what the process touches, e.g. add "
            "fd.name: <path>",
        )
    ]


def test_a_file_narrows_it() -> None:
    narrow = entry(rule=WRITE_BELOW_ETC, proc="bash", extra="    fd.name: /etc/resolv.conf\n")
    assert findings(broad, narrow) == []


def test_lower_priority_and_an_ordinary_process_is_fine() -> None:
    assert findings(broad, entry()) == []  # Read sensitive file untrusted is WARNING


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


def test_glob_characters_in_any_value() -> None:
    found = findings(broad, entry(proc="awsagent", extra="    fd.name: '/etc/pam.d/*'\n"))
    assert found == [
        (
            7,
            14,
            "warning",
            "fd.name '/etc/pam.d/*' has glob characters (* ? [), but the exception compares "
            "with =, so Falco matches that exact text; as a pattern it would be broad: list "
            "the exact fd.name values instead",
        )
    ]
