"""The mechanism table of design.md, rule by rule and version by version."""

from __future__ import annotations

from pathlib import Path

import pytest

from falco_exceptions.catalog.build import build_user_catalog
from falco_exceptions.falco.versions import engine
from falco_exceptions.mechanism import Kind, Mechanism, Refusal, choose, silenced_rules
from falco_exceptions.target import Target

RULES = Path(__file__).parent / "golden" / "rules" / "custom_rules.yaml"
HOOK_OR, NO_HOOK_OR = "Netcat launched", "Downloader launched"
HOOK, NO_HOOK = "Secrets read", "Unhooked secrets read"


def _choose(rule: str, version: str) -> Mechanism | Refusal:
    catalog = build_user_catalog([RULES])
    target = Target(engine(version)[0], catalog, catalog.default_files())
    return choose(catalog.rules[rule], target)


def _kind(rule: str, version: str) -> str:
    chosen = _choose(rule, version)
    return "refused" if isinstance(chosen, Refusal) else chosen.kind.name


@pytest.mark.parametrize(
    ("version", "hook_or", "no_hook_or", "hook", "no_hook"),
    [
        ("0.26.2", "HOOK_MACRO", "refused", "HOOK_MACRO", "CONDITION"),
        ("0.29.0", "HOOK_MACRO", "refused", "HOOK_MACRO", "CONDITION"),
        ("0.31.1", "EXCEPTION", "EXCEPTION", "EXCEPTION", "EXCEPTION"),
        ("0.33.1", "HOOK_MACRO", "refused", "EXCEPTION", "EXCEPTION"),
        ("0.37.1", "HOOK_MACRO", "refused", "EXCEPTION", "EXCEPTION"),
        ("0.38.0", "EXCEPTION", "EXCEPTION", "EXCEPTION", "EXCEPTION"),
        ("0.44.1", "EXCEPTION", "EXCEPTION", "EXCEPTION", "EXCEPTION"),
    ],
)
def test_table(version: str, hook_or: str, no_hook_or: str, hook: str, no_hook: str) -> None:
    assert _kind(HOOK_OR, version) == hook_or
    assert _kind(NO_HOOK_OR, version) == no_hook_or
    assert _kind(HOOK, version) == hook
    assert _kind(NO_HOOK, version) == no_hook


def test_hook_is_named_and_refusal_says_what_would_work() -> None:
    chosen = _choose(HOOK_OR, "0.33.1")
    assert isinstance(chosen, Mechanism) and chosen.hook == "user_known_netcat_activities"
    assert chosen.kind is Kind.HOOK_MACRO
    refused = _choose(NO_HOOK_OR, "0.26.2")
    assert isinstance(refused, Refusal)
    assert "Falco 0.31 or >= 0.38 can" in refused.reason


def _bundled_target(version: str) -> Target:
    from falco_exceptions.catalog import load_bundled_catalog
    from falco_exceptions.falco.versions import default_ruleset

    eng = engine(version)[0]
    catalog = load_bundled_catalog(default_ruleset(eng.version))
    return Target(eng, catalog, ("falco_rules.yaml",))


def test_a_hook_macro_append_silences_every_loaded_rule_of_that_macro() -> None:
    target = _bundled_target("0.26.2")
    rule = target.catalog.rules["Read sensitive file untrusted"]
    assert silenced_rules(rule, target) == (
        "Read sensitive file untrusted",
        "Read sensitive file trusted after startup",
    )


def test_a_rule_exception_silences_only_its_rule() -> None:
    target = _bundled_target("0.44.1")
    rule = target.catalog.rules["Read sensitive file untrusted"]
    assert silenced_rules(rule, target) == ("Read sensitive file untrusted",)


def test_a_refused_rule_silences_nothing() -> None:
    catalog = build_user_catalog([RULES])
    target = Target(engine("0.26.2")[0], catalog, catalog.default_files())
    assert silenced_rules(catalog.rules[NO_HOOK_OR], target) == ()
