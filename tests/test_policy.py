"""The review policy file: its schema, positioned errors, discovery and `checks:` levels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from falco_exceptions import codes, policy
from falco_exceptions.checks.policy import CONFIGURABLE, apply
from falco_exceptions.diagnostics import (
    Position,
    Severity,
    error,
    info,
    sorted_diagnostics,
    warning,
)
from falco_exceptions.schema import POLICY, schema_text
from tests.conftest import REPO, cli, run_entry_point

EXAMPLE = REPO / "examples" / "exceptions.yaml"


@pytest.fixture(autouse=True)
def _text_format_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under GitHub Actions validate prints workflow commands; these tests read text."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def _load(tmp_path: Path, text: str) -> tuple[policy.Policy, list[str]]:
    path = tmp_path / ".falco-exceptions.yaml"
    path.write_text(text)
    found, problems = policy.load(path, "policy.yaml")
    return found, [str(p) for p in sorted_diagnostics(problems)]


def test_a_full_policy_loads_with_positions(tmp_path: Path) -> None:
    found, problems = _load(
        tmp_path,
        "require: [owner, ticket]\nmaxLifetimeDays: 180\nexpiryWarningDays: 30\n"
        "checks:\n  FE303: error\n  FE305: off\n",
    )
    assert problems == []
    assert found.require == ("owner", "ticket")
    assert (found.max_lifetime_days, found.expiry_warning_days) == (180, 30)
    assert found.checks == {"FE303": "error", "FE305": "off"}
    assert found.cite("maxLifetimeDays") == "the policy's maxLifetimeDays (policy.yaml:2:18)"


def test_schema_errors_are_positioned_like_the_exceptions_schema(tmp_path: Path) -> None:
    _, problems = _load(
        tmp_path,
        "require: [owner, team]\nmaxLifetimeDays: 0\nchecks:\n  FE302: silent\n  FE201: off\n"
        "expiry: 3\n",
    )
    assert problems == [
        "policy.yaml:1:18: error[FE102]: require[1] must be one of owner, ticket, expires, "
        "not 'team'",
        "policy.yaml:2:18: error[FE102]: maxLifetimeDays must be at least 1, not 0",
        "policy.yaml:4:10: error[FE102]: checks.FE302 must be one of off, warning, error, "
        "not 'silent'",
        "policy.yaml:5:3: error[FE103]: unknown key 'FE201' in checks; the codes that can be "
        "set here: " + ", ".join(sorted(CONFIGURABLE)),
        "policy.yaml:6:1: error[FE103]: unknown key 'expiry' in the file; allowed keys: "
        "checks, expiryWarningDays, maxLifetimeDays, require",
    ]


def test_empty_file_is_the_default_policy(tmp_path: Path) -> None:
    found, problems = _load(tmp_path, "# nothing yet\n")
    assert problems == []
    assert found.require == () and found.checks == {}


def test_yaml_errors_and_missing_file(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "require: [owner\n")
    assert problems[0].startswith("policy.yaml:2:1: error[FE101]: YAML syntax error")
    _, missing = policy.load(tmp_path / "nope.yaml", "nope.yaml")
    assert [str(m) for m in missing] == ["nope.yaml: error[FE101]: file not found"]


def test_discover_prefers_the_given_file(tmp_path: Path) -> None:
    assert policy.discover(None, tmp_path) is None
    (tmp_path / ".falco-exceptions.yaml").write_text("{}\n")
    assert policy.discover(None, tmp_path) == tmp_path / ".falco-exceptions.yaml"
    assert policy.discover(Path("other.yaml"), tmp_path) == Path("other.yaml")


def test_checks_levels_change_or_drop_diagnostics() -> None:
    at = Position("x.yaml", 3, 1)
    rules = policy.Policy(checks={"FE303": "error", "FE305": "off", "FE207": "warning"})
    found = apply(
        rules,
        [warning(at, "FE303", "broad"), warning(at, "FE305", "short"), info(at, "FE207", "h")],
    )
    assert [(d.code, d.severity) for d in found] == [
        ("FE303", Severity.ERROR),
        ("FE207", Severity.WARNING),
    ]
    assert apply(policy.Policy(), [error(at, "FE301", "x")])[0].severity is Severity.ERROR


def test_schema_lists_exactly_the_configurable_codes_and_each_is_documented() -> None:
    schema = json.loads(schema_text(POLICY))
    assert tuple(schema["properties"]["checks"]["properties"]) == CONFIGURABLE
    documented = {doc.code for doc in codes.all_codes()}
    assert set(CONFIGURABLE) <= documented


def test_policy_file_in_the_working_directory_is_used(tmp_path: Path) -> None:
    (tmp_path / "exceptions.yaml").write_text(EXAMPLE.read_text())
    (tmp_path / ".falco-exceptions.yaml").write_text("require: [owner]\nmaxLifetimeDays: 30\n")
    run = run_entry_point("validate", "--today", "2026-01-01", cwd=tmp_path)
    assert run.exit_code == 1
    assert run.stdout.splitlines()[1] == (
        "exceptions.yaml:12:14: error[FE308]: expires 2027-06-30 is 545 days from 2026-01-01, "
        "but the policy's maxLifetimeDays (.falco-exceptions.yaml:2:18) is 30; set expires to "
        "2026-01-31 or earlier"
    )


def test_policy_option_names_another_file(tmp_path: Path) -> None:
    rules = tmp_path / "team-policy.yaml"
    rules.write_text("require: [ticket]\nchecks: {FE207: off}\n")
    src = tmp_path / "x.yaml"
    src.write_text(EXAMPLE.read_text().replace("    ticket: SEC-1234\n", ""))
    run = cli("validate", src, "--policy", rules, "--today", "2026-01-01")
    assert run.exit_code == 1
    assert "error[FE307]: exception to rule 'Read sensitive file untrusted' has no ticket" in (
        run.stdout
    )
    assert "FE207" not in run.stdout


def test_a_broken_policy_is_reported_with_the_other_problems(tmp_path: Path) -> None:
    rules = tmp_path / "p.yaml"
    rules.write_text("checks: {FE302: loud}\n")
    run = cli("validate", EXAMPLE, "--policy", rules, "--today", "2026-01-01")
    assert run.exit_code == 1
    assert f"{rules}:1:17: error[FE102]: checks.FE302 must be one of off, warning, error, " in (
        run.stdout
    )
    assert "info[FE207]" in run.stdout  # the exceptions were still checked


def test_lifetime_is_bounded_and_far_dates_do_not_overflow(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "maxLifetimeDays: 100000000\n")
    assert problems == [
        "policy.yaml:1:18: error[FE102]: maxLifetimeDays must be at most 36500, not 100000000"
    ]
    (tmp_path / "policy.yaml").write_text("maxLifetimeDays: 36500\n")
    src = tmp_path / "e.yaml"
    src.write_text(
        "apiVersion: falco-exceptions/v1\nfalco: {version: 0.44.1}\nexceptions:\n"
        "  - rule: Read sensitive file untrusted\n    proc.name: awsagent\n"
        "    fd.name: /etc/pam.d/config-util\n"
        "    justification: AWS Systems Manager agent reads PAM config during inventory.\n"
        "    expires: 9999-12-01\n"
    )
    run = cli("validate", src, "--policy", tmp_path / "policy.yaml", "--today", "9999-06-01")
    assert run.exit_code == 0, run.stdout


def test_discover_walks_up_to_the_repository_root(tmp_path: Path) -> None:
    outside = tmp_path / ".falco-exceptions.yaml"
    outside.write_text("{}\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    deep = repo / "deploy" / "cluster-a"
    deep.mkdir(parents=True)
    assert policy.discover(None, deep) is None  # never above the repository
    (repo / ".falco-exceptions.yaml").write_text("{}\n")
    found = policy.discover(None, deep)
    assert found == Path("../../.falco-exceptions.yaml")
    assert (deep / found).resolve() == (repo / ".falco-exceptions.yaml").resolve()
