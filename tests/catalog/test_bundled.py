from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from falco_exceptions.catalog import Catalog, Hook, bundled_catalog_names, load_bundled_catalog
from falco_exceptions.catalog.build import build_upstream_catalogs, catalog_json

UPSTREAM = Path(__file__).parents[2].parent / "shared" / "falco-rules"
FOLDERS = [
    "falco-0.26.2",
    "falco-0.27.0",
    "falco-0.28.0",
    "falco-0.31.1",
    "falco-0.32.2",
    "falco-0.33.1",
    "falco-0.34.1",
    "falco-0.35.1",
    "falco-rules-0.1.0",
    "falco-rules-1.0.2",
    "falco-rules-2.0.0",
    "falco-rules-3.2.0",
    "falco-rules-4.0.0",
    "falco-rules-5.1.0",
]
PRIORITIES = {"EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG"}


def test_all_versions_are_bundled_in_order() -> None:
    assert bundled_catalog_names() == FOLDERS


@pytest.mark.parametrize("name", FOLDERS)
def test_bundled_catalog_loads(name: str) -> None:
    catalog = load_bundled_catalog(name)
    assert catalog.name == name
    assert catalog.rules
    assert "falco_rules.yaml" in catalog.default_files()
    assert Catalog.from_json(catalog.to_json()) == catalog


@pytest.mark.skipif(not UPSTREAM.is_dir(), reason=f"upstream rules files not found at {UPSTREAM}")
def test_bundled_catalogs_match_the_upstream_rules_files() -> None:
    built = build_upstream_catalogs(UPSTREAM)
    assert sorted(built) == sorted(FOLDERS)
    for name, catalog in built.items():
        committed = Path(__file__).parents[2] / "falco_exceptions" / "catalog" / "data"
        text = (committed / f"{name}.json").read_text(encoding="utf-8")
        assert catalog_json(catalog) == text, f"{name}.json is stale: run scripts/build-catalogs"


def rules_per_file(catalog: Catalog) -> dict[str, int]:
    return dict(Counter(r.file for r in catalog.rules.values()))


@pytest.mark.parametrize(
    ("name", "counts"),  # from ../shared/falco-rules/INVENTORY.md
    [
        ("falco-0.26.2", {"falco_rules.yaml": 59, "k8s_audit_rules.yaml": 39}),
        ("falco-0.31.1", {"falco_rules.yaml": 69, "k8s_audit_rules.yaml": 39}),
        ("falco-0.35.1", {"falco_rules.yaml": 80}),
        (
            "falco-rules-2.0.0",
            {
                "falco_rules.yaml": 25,
                "falco-incubating_rules.yaml": 27,
                "falco-sandbox_rules.yaml": 30,
                "falco-deprecated_rules.yaml": 4,
            },
        ),
        (
            "falco-rules-3.2.0",
            {
                "falco_rules.yaml": 25,
                "falco-incubating_rules.yaml": 31,
                "falco-sandbox_rules.yaml": 29,
                "falco-deprecated_rules.yaml": 4,
            },
        ),
        (
            "falco-rules-5.1.0",
            {
                "falco_rules.yaml": 25,
                "falco-incubating_rules.yaml": 31,
                "falco-sandbox_rules.yaml": 37,
            },
        ),
    ],
)
def test_rule_counts_match_the_inventory(name: str, counts: dict[str, int]) -> None:
    assert rules_per_file(load_bundled_catalog(name)) == counts


@pytest.mark.parametrize(
    ("name", "file", "disabled"),
    [
        ("falco-0.33.1", "falco_rules.yaml", 21),
        ("falco-rules-5.1.0", "falco-sandbox_rules.yaml", 12),
    ],
)
def test_disabled_counts_match_the_inventory(name: str, file: str, disabled: int) -> None:
    rules = load_bundled_catalog(name).rules.values()
    assert sum(1 for r in rules if r.file == file and not r.enabled) == disabled


def test_read_sensitive_file_untrusted_in_falco_0_26_2() -> None:
    rule = load_bundled_catalog("falco-0.26.2").rules["Read sensitive file untrusted"]
    assert (rule.file, rule.source, rule.priority, rule.enabled) == (
        "falco_rules.yaml",
        "syscall",
        "WARNING",
        True,
    )
    assert rule.hooks == (  # condition order
        Hook("user_read_sensitive_file_conditions", True),
        Hook("user_known_read_sensitive_files_activities", True),
        Hook("user_read_sensitive_file_containers", True),
    )
    assert rule.top_level_or is False
    assert rule.output.startswith("Sensitive file opened for reading by non-trusted program (")


@pytest.mark.parametrize("name", FOLDERS)
def test_read_sensitive_file_untrusted_has_its_hook_everywhere(name: str) -> None:
    rule = load_bundled_catalog(name).rules["Read sensitive file untrusted"]
    assert Hook("user_known_read_sensitive_files_activities", True) in rule.hooks


def test_whole_condition_in_parentheses_still_has_top_level_hooks() -> None:
    rule = load_bundled_catalog("falco-0.26.2").rules["Read ssh information"]
    assert rule.hooks == (Hook("user_known_read_ssh_information_activities", True),)


def test_lists_are_not_hooks() -> None:
    catalog = load_bundled_catalog("falco-0.26.2")
    hooks = {h.name for h in catalog.rules["User mgmt binaries"].hooks}
    assert hooks == {"user_known_user_management_activities"}
    assert "user_mgmt_binaries" in catalog.lists


def test_k8s_audit_rules() -> None:
    catalog = load_bundled_catalog("falco-0.31.1")
    k8s = [r for r in catalog.rules.values() if r.file == "k8s_audit_rules.yaml"]
    assert k8s and all(r.source == "k8s_audit" for r in k8s)
    assert catalog.file("k8s_audit_rules.yaml").loaded_by_default is True
    assert catalog.file("application_rules.yaml").loaded_by_default is False
    assert catalog.rules["Create NodePort Service"].hooks == (
        Hook("user_known_node_port_service", True),
    )


def test_write_below_etc_is_sandbox_only_in_falco_rules_5_1_0() -> None:
    catalog = load_bundled_catalog("falco-rules-5.1.0")
    assert catalog.rules["Write below etc"].file == "falco-sandbox_rules.yaml"
    assert catalog.file("falco-sandbox_rules.yaml").loaded_by_default is False
    assert catalog.file("falco-incubating_rules.yaml").loaded_by_default is False
    assert catalog.default_files() == ("falco_rules.yaml",)


@pytest.mark.parametrize(
    ("name", "version"),
    [
        ("falco-0.26.2", "7"),
        ("falco-0.31.1", "9"),
        ("falco-rules-2.0.0", "26"),
        ("falco-rules-3.2.0", "0.31.0"),
        ("falco-rules-5.1.0", "0.57.0"),
    ],
)
def test_required_engine_version(name: str, version: str) -> None:
    assert load_bundled_catalog(name).required_engine_version == version


def test_priorities_are_upper_case() -> None:
    priorities = {r.priority for name in FOLDERS for r in load_bundled_catalog(name).rules.values()}
    assert priorities <= PRIORITIES
