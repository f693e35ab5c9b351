"""`render --values F --in-place` on a corpus of values-file shapes: the files under
`tests/cases/values/` (each says what it reproduces in a `# shape:` comment) and the falco
chart's own values.yaml of every release in ../shared/charts (read there, not copied).

Each file is edited in a temporary copy. The edit must change nothing but the managed key
(both files parsed, the key removed, the data compared), keep the byte order mark and the
line breaks, and a second run must leave the file as it is. A file with a `# refused:`
comment must be refused with exactly that line, and left byte for byte as it was.
`# values-path:` names where customRules sits (default: customRules).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, SHARED, cli, run_entry_point
from tests.values_data import KEY, load, managed, without_managed_key

EXAMPLE = REPO / "examples" / "exceptions.yaml"
# The example without its falco: block, for a chart's own values: the chart says which Falco.
UNVERSIONED = "\n".join(
    line for line in EXAMPLE.read_text(encoding="utf-8").splitlines() if "version:" not in line
).replace("falco:\n", "")
CORPUS = sorted((Path(__file__).parents[1] / "cases" / "values").glob("*.yaml"))
CHARTS = sorted((SHARED / "charts").glob("falco-*/values.yaml"))
FILES = CORPUS + CHARTS
IDS = [p.name if p.parent.name == "values" else p.parent.name for p in FILES]


def header(text: str, key: str) -> str | None:
    prefix = f"# {key}: "
    for line in text.lstrip("\ufeff").splitlines():
        if line.startswith(prefix):
            return line[len(prefix) :]
    return None


def rendered(exceptions: Path, chart: list[str | Path]) -> str:
    """The rules that `render` prints without a values file (for a chart's own values.yaml:
    the chart and its defaults, which that values file repeats)."""
    run = cli("render", exceptions, *chart)
    assert run.exit_code == 0, run.stderr
    text: str = load(run.stdout)["customRules"][KEY]
    return text


def exceptions_for(source: Path, tmp_path: Path) -> tuple[Path, list[str | Path]]:
    """The exceptions file and the chart options to render `source` with."""
    if source in CORPUS:
        return EXAMPLE, []
    unversioned = tmp_path.parent / f"{tmp_path.name}-exceptions.yaml"
    unversioned.write_text(UNVERSIONED, encoding="utf-8")
    return unversioned, ["--chart", source.parent]


@pytest.mark.parametrize("source", FILES, ids=IDS)
def test_in_place_edit_of_every_shape(source: Path, tmp_path: Path) -> None:
    original = source.read_bytes()
    text = original.decode("utf-8")
    path = tuple((header(text, "values-path") or "customRules").split("."))
    values = tmp_path / source.name if source in CORPUS else tmp_path / "values.yaml"
    values.write_bytes(original)
    exceptions, chart = exceptions_for(source, tmp_path)
    args = (
        "render", exceptions, *chart, "--values", values, "--in-place",
        "--values-path", ".".join(path),
    )  # fmt: skip
    run = cli(*args)
    assert "Traceback" not in run.stderr
    refused = header(text, "refused")
    if refused is not None:
        assert run.exit_code == 1, run.stderr
        assert refused.replace(source.name, str(values), 1) in run.stderr.splitlines()
        assert values.read_bytes() == original
        assert [p.name for p in tmp_path.iterdir()] == [values.name]
        return
    assert run.exit_code == 0, run.stderr
    edited_bytes = values.read_bytes()
    edited = edited_bytes.decode("utf-8")
    assert edited.startswith("\ufeff") == text.startswith("\ufeff")
    for nl in ("\r\n", "\r"):  # a file with CRLF or CR line breaks gets no LF alone
        if nl in text:
            assert "\n" not in edited.replace(nl, "")
            break
    after = load(edited)
    assert managed(after, path) == rendered(exceptions, chart)
    old, new = without_managed_key(load(text), after, path)
    assert new == old
    again = cli(*args)
    assert again.exit_code == 0, again.stderr
    assert values.read_bytes() == edited_bytes
    assert [p.name for p in tmp_path.iterdir()] == [values.name]


@pytest.mark.parametrize(
    "name", ["issue-11-reproduction.yaml", "crlf-bom-no-final-newline.yaml", "falco-9.1.0"]
)
def test_through_the_installed_command(name: str, tmp_path: Path) -> None:
    """The same edits through the console script a user runs."""
    source = next(p for p, i in zip(FILES, IDS, strict=True) if i == name)
    shutil.copyfile(source, tmp_path / "values.yaml")
    exceptions, chart = exceptions_for(source, tmp_path)
    args = ("render", exceptions, *chart, "--values", "values.yaml")
    first = run_entry_point(*args, "--in-place", cwd=tmp_path)
    assert first.exit_code == 0, first.stderr
    edited = (tmp_path / "values.yaml").read_bytes()
    assert edited != source.read_bytes()
    check = run_entry_point(*args, "--check", cwd=tmp_path)
    assert (check.exit_code, check.stdout) == (0, ""), check.stderr
    assert "note: values.yaml is up to date" in check.stderr


def test_the_corpus_has_every_chart_and_enough_shapes() -> None:
    if not CHARTS:
        pytest.skip(f"{SHARED / 'charts'} is absent")
    assert len(CORPUS) >= 25
    releases = {p.name for p in (SHARED / "charts").iterdir() if p.is_dir()}
    assert {p.parent.name for p in CHARTS} == releases
