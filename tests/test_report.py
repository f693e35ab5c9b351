"""The pull request report: pairing versions of entries, and Markdown that cannot break."""

from __future__ import annotations

import re

from falco_exceptions import document, markdown
from falco_exceptions.report import ADDED, CHANGED, REMOVED, compare, settings_changes

HEAD = "apiVersion: falco-exceptions/v1\nexceptions:\n"


def _entries(body: str, name: str = "x.yaml") -> tuple[document.Entry, ...]:
    doc, problems = document.load_texts([(name, HEAD + body)])
    assert problems == []
    return doc.entries


def _item(proc: str, extra: str = "", why: str = "") -> str:
    why = why or f"The {proc} agent reads PAM config during inventory."
    return (
        f"  - rule: Read sensitive file untrusted\n    proc.name: {proc}\n{extra}"
        f"    justification: {why}\n"
    )


def test_a_new_file_path_or_date_is_a_change_not_a_removal_and_an_addition() -> None:
    before = _entries(_item("awsagent", "    fd.name: /etc/a\n") + _item("restic"))
    after = _entries(
        _item("awsagent", "    fd.name: /etc/b\n    expires: 2026-06-30\n") + _item("inventory")
    )
    changes = compare(before, after)
    assert [(c.kind, c.entry.values("proc.name")) for c in changes] == [
        (CHANGED, ("awsagent",)),
        (ADDED, ("inventory",)),
        (REMOVED, ("restic",)),
    ]
    assert changes[0].details == ("fd.name: /etc/a → /etc/b", "expires: (none) → 2026-06-30")


def test_a_new_workload_or_prefix_is_a_change_that_says_so() -> None:
    before = _entries(_item("probe", "    fd.name: /etc/pam.d/x\n"))
    after = _entries(
        _item("probe", "    k8s.ns.name: monitoring\n    fd.name: {startswith: /etc/pam.d/}\n")
    )
    (change,) = compare(before, after)
    assert change.details == (
        "k8s.ns.name: (none) → monitoring",
        "fd.name: /etc/pam.d/x → startswith /etc/pam.d/",
    )


def test_ids_pair_entries_even_when_everything_else_changed() -> None:
    before = _entries(_item("awsagent", "    id: agent\n"))
    after = _entries(_item("ssm-agent", "    id: agent\n"))
    assert [c.kind for c in compare(before, after)] == [CHANGED]
    assert compare(before, after)[0].details[0] == "proc.name: awsagent → ssm-agent"


def test_reordered_values_and_untouched_entries_are_no_change() -> None:
    before = _entries(_item("[a, b]", why="Reasons for a and b.") + _item("c"))
    after = _entries(_item("c") + _item("[b, a]", why="Reasons for a and b."))
    assert compare(before, after) == []


def test_cells_escape_pipes_newlines_and_markup() -> None:
    assert markdown.cell("a | b\nc") == "a \\| b<br>c"
    assert markdown.cell("<script>*x*</script> [l](u) `c` &amp; ~s~") == (
        "\\<script\\>\\*x\\*\\</script\\> \\[l\\](u) \\`c\\` \\&amp; \\~s\\~"
    )
    assert markdown.cell("") == "-"


def test_every_table_row_has_as_many_cells_as_its_header() -> None:
    from falco_exceptions.checker import Result
    from falco_exceptions.report import build

    nasty = (
        "  - rule: Read sensitive file untrusted\n    proc.name: 'a|b'\n"
        '    fd.name: "/etc/x\\n|y"\n    justification: "Two | lines\\nof reasons, | pipes"\n'
    )
    doc, _ = document.load_texts([("x.yaml", HEAD + nasty)])
    base, _ = document.load_texts([("base.yaml", HEAD + _item("restic"))])
    text = markdown.render(build(Result(doc), "main", base))
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert rows
    widths = {len(re.split(r"(?<!\\)\|", row)) for row in rows if not row.startswith("|---")}
    assert len(widths) == 2  # one per table (changes: 7 cells, exceptions: 9)
    assert "Two \\| lines<br>of reasons, \\| pipes" in text


def test_cells_do_not_mention_people_or_link_issues() -> None:
    text = markdown.cell("owner @platform-team, see #12 and a@b")
    assert "@platform-team" not in text and "#12" not in text
    assert "@\u2060platform-team" in text and "#\u206012" in text


def test_a_change_of_falco_settings_is_shown() -> None:
    before = document.FalcoSettings(version="0.26.2", rules_files=("falco_rules.yaml",))
    after = document.FalcoSettings(version="0.44.1", rules="falco-rules-5.1.0")
    assert settings_changes(before, after) == (
        "falco.version: 0.26.2 → 0.44.1",
        "falco.rules: (not set) → falco-rules-5.1.0",
        "falco.rulesFiles: falco_rules.yaml → (not set)",
    )
    assert settings_changes(after, after) == ()
