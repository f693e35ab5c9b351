"""The console script keeps only the command asked for; everything still works as a user
types it."""

from __future__ import annotations

from tests.conftest import REPO, run_entry_point

EXAMPLE = REPO / "examples" / "exceptions.yaml"


def test_each_command_runs_alone() -> None:
    assert run_entry_point("render", EXAMPLE).stdout.startswith("customRules:\n")
    assert run_entry_point("validate", EXAMPLE).exit_code == 0
    assert run_entry_point("lint", EXAMPLE).exit_code == 0
    rules = run_entry_point("rules", "list", "--falco-version", "0.26.2")
    assert rules.exit_code == 0
    assert "Read sensitive file untrusted" in rules.stdout
    assert run_entry_point("versions").stdout.startswith("falco\tgeneration")


def test_top_level_help_and_version_see_the_whole_app() -> None:
    help_text = run_entry_point("--help").stdout
    for command in ("render", "validate", "report", "upgrade", "rules", "schema"):
        assert f"  {command} " in help_text
    assert run_entry_point("--version").stdout == "falco-exceptions 0.1.0\n"


def test_an_unknown_command_is_a_usage_error() -> None:
    unknown = run_entry_point("rendr", EXAMPLE)
    assert unknown.exit_code == 2
    assert "No such command 'rendr'" in unknown.stderr


def test_a_command_help_is_its_own() -> None:
    shown = run_entry_point("render", "--help").stdout
    assert "Render the exceptions as falco chart values" in shown


def test_every_command_is_found_in_the_module_that_defines_it() -> None:
    """`cli.load` imports only COMMAND_MODULES[command]: the map must name every command
    of the whole application, and the module that registers it."""
    from typer.main import get_command_name

    from falco_exceptions.cli import COMMAND_MODULES, load_all

    app = load_all()
    found = {
        command.name or get_command_name(command.callback.__name__): command.callback.__module__
        for command in app.registered_commands
        if command.callback is not None
    }
    for group in app.registered_groups:
        assert group.typer_instance is not None
        modules = {
            c.callback.__module__ for c in group.typer_instance.registered_commands if c.callback
        }
        assert len(modules) == 1
        found[group.name] = modules.pop()
    assert {name: f"falco_exceptions.cli.{m}" for name, m in COMMAND_MODULES.items()} == found


def test_a_command_imports_only_its_own_module() -> None:
    import subprocess
    import sys

    probe = (
        "import sys; from falco_exceptions.cli import load; load('render'); "
        "print(sorted(m for m in sys.modules if m.startswith('falco_exceptions.cli.')))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert "falco_exceptions.cli.render" in shown
    for other in ("suggest", "coverage", "upgrade", "report", "validate", "rules"):
        assert f"falco_exceptions.cli.{other}'" not in shown
