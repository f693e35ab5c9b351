"""helm.py: finding helm, putting back its global flags, and the private values file."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from falco_exceptions import helm
from falco_exceptions.errors import FatalError

RECORDER = """\
#!{python}
# A stand-in for helm: logs its argv and the -f file (text, mode, folder mode) as JSON;
# `show chart` prints $FAKE_CHART_YAML, `show values` $FAKE_VALUES_YAML.
import json, os, stat, sys
args = sys.argv[1:]
record = {{"argv": args}}
if args[:2] in (["show", "chart"], ["show", "values"]):
    with open({log!r}, "a") as log:
        log.write(json.dumps(record) + "\\n")
    variable = "FAKE_CHART_YAML" if args[1] == "chart" else "FAKE_VALUES_YAML"
    sys.stdout.write(os.environ.get(variable, ""))
    sys.exit(0 if variable in os.environ or args[1] == "values" else 1)
if "-f" in args:
    path = args[len(args) - 1 - args[::-1].index("-f") + 1]
    record["file"] = path
    record["text"] = open(path).read()
    record["mode"] = stat.S_IMODE(os.stat(path).st_mode)
    record["folder_mode"] = stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode)
with open({log!r}, "a") as log:
    log.write(json.dumps(record) + "\\n")
print("helm says hi")
print("helm warns", file=sys.stderr)
sys.exit(int(os.environ.get("FAKE_HELM_EXIT", "0")))
"""


def recorder(tmp_path: Path) -> Path:
    script = tmp_path / "helm"
    script.write_text(RECORDER.format(python=sys.executable, log=str(tmp_path / "helm.log")))
    script.chmod(0o755)
    return script


def records(tmp_path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (tmp_path / "helm.log").read_text().splitlines()]


def test_helm_bin_wins_over_path(tmp_path: Path) -> None:
    assert helm.helm_binary({"HELM_BIN": "/opt/helm", "PATH": str(tmp_path)}) == "/opt/helm"
    on_path = recorder(tmp_path)
    assert helm.helm_binary({"PATH": str(tmp_path)}) == str(on_path)


def test_missing_helm_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FatalError, match="helm not found: put it on PATH or set HELM_BIN"):
        helm.helm_binary({"PATH": str(tmp_path)})


@pytest.mark.parametrize(
    ("args", "env", "restored"),
    [
        ([], {"HELM_NAMESPACE": "ns"}, ["--namespace", "ns"]),
        (["-n", "mine"], {"HELM_NAMESPACE": "ns"}, []),
        (["-nmine"], {"HELM_NAMESPACE": "ns"}, []),
        (["--namespace=mine"], {"HELM_NAMESPACE": "ns"}, []),
        ([], {"HELM_KUBECONTEXT": "ctx"}, ["--kube-context", "ctx"]),
        ([], {"HELM_KUBECONTEXT": ""}, []),
        (["--kube-context", "x"], {"HELM_KUBECONTEXT": "ctx"}, []),
        ([], {"KUBECONFIG": "/k/config"}, ["--kubeconfig", "/k/config"]),
        ([], {"KUBECONFIG": f"/a{os.pathsep}/b"}, []),  # a list stays in the environment
        (["--kubeconfig=/x"], {"KUBECONFIG": "/k/config"}, []),
        ([], {"HELM_DEBUG": "true"}, ["--debug"]),
        ([], {"HELM_DEBUG": "1"}, ["--debug"]),
        ([], {"HELM_DEBUG": "false"}, []),
        (["--debug"], {"HELM_DEBUG": "true"}, []),
        (
            ["-f", "v.yaml"],
            {
                "HELM_NAMESPACE": "ns",
                "HELM_KUBECONTEXT": "ctx",
                "KUBECONFIG": "/k",
                "HELM_DEBUG": "true",
            },
            ["--namespace", "ns", "--kube-context", "ctx", "--kubeconfig", "/k", "--debug"],
        ),
    ],
)
def test_restore_global_flags(args: list[str], env: dict[str, str], restored: list[str]) -> None:
    assert helm.restore_global_flags(args, env) == restored


def test_show_chart_args_pick_the_chart_locating_flags() -> None:
    args = ["--install", "-f", "v.yaml", "--version", "1.2.3", "--set", "a=b", "--devel"]
    args += ["--repo=https://charts", "--username", "me", "--plain-http", "--version"]
    assert helm.show_chart_args(args) == [
        "--version",
        "1.2.3",
        "--devel",
        "--repo=https://charts",
        "--username",
        "me",
        "--plain-http",
        "--version",
    ]


def test_values_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("a.yaml", "b.yaml", "c.yaml", "d.yaml", "e.yaml"):
        (tmp_path / name).write_text("{}\n")
    args = ["-f", "a.yaml", "--values", "b.yaml,c.yaml", "--values=d.yaml", "-fe.yaml"]
    args += ["-f", "missing.yaml", "--set", "x=y", "-f"]
    assert helm.values_files(args) == [
        Path(n) for n in ("a.yaml", "b.yaml", "c.yaml", "d.yaml", "e.yaml")
    ]


def test_run_with_values(tmp_path: Path) -> None:
    fake = recorder(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    env = {"HELM_BIN": str(fake), "HELM_NAMESPACE": "ns", "PATH": os.environ["PATH"]}
    code = helm.run_with_values(
        "upgrade",
        "falco",
        "repo/falco",
        ["-f", "mine.yaml", "--install"],
        "customRules: {}\n",
        env=env,
        stdout=out,
        stderr=err,
    )
    assert code == 0
    assert (out.getvalue(), err.getvalue()) == ("helm says hi\n", "helm warns\n")
    [record] = records(tmp_path)
    assert record["argv"] == [
        "upgrade", "falco", "repo/falco", "-f", "mine.yaml", "--install",
        "--namespace", "ns", "-f", record["file"],
    ]  # fmt: skip
    assert Path(record["file"]).name == "falco-exceptions.values.yaml"
    assert (record["text"], record["mode"], record["folder_mode"]) == (
        "customRules: {}\n",
        0o600,
        0o700,
    )
    assert not Path(record["file"]).exists()
    assert not Path(record["file"]).parent.exists()


def test_exit_code_passes_through_and_the_file_goes(tmp_path: Path) -> None:
    env = {"HELM_BIN": str(recorder(tmp_path)), "FAKE_HELM_EXIT": "3", "PATH": os.environ["PATH"]}
    code = helm.run_with_values(
        "upgrade", "r", "c", [], "x: 1\n", env=env, stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert code == 3
    assert not Path(records(tmp_path)[0]["file"]).exists()


def test_real_streams_are_inherited(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    env = {"HELM_BIN": str(recorder(tmp_path)), "PATH": os.environ["PATH"]}
    code = helm.run_with_values("template", "r", "c", [], "x: 1\n", env=env)
    assert code == 0
    assert capfd.readouterr() == ("helm says hi\n", "helm warns\n")


def test_killed_by_a_signal(tmp_path: Path) -> None:
    script = tmp_path / "helm"
    script.write_text("#!/bin/sh\nkill -TERM $$\n")
    script.chmod(0o755)
    code = helm.run_with_values("upgrade", "r", "c", [], "x: 1\n", env={"HELM_BIN": str(script)})
    assert code == 128 + 15


def test_helm_that_cannot_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helm.tempfile, "tempdir", str(tmp_path))
    with pytest.raises(FatalError, match=r"cannot run .*/no-helm: No such file or directory"):
        helm.run_with_values("upgrade", "r", "c", [], "x: 1\n", env={"HELM_BIN": "/x/no-helm"})
    assert list(tmp_path.iterdir()) == []


class InterruptedChild:
    """A Popen whose first wait is interrupted by Ctrl-C, as when the user presses it."""

    instances: list[InterruptedChild] = []  # noqa: RUF012

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        self.values = Path(argv[-1])
        self.seen_file = self.values.exists()
        self.waits = 0
        InterruptedChild.instances.append(self)

    def wait(self) -> int:
        self.waits += 1
        if self.waits == 1:
            raise KeyboardInterrupt
        return -2


def test_ctrl_c_waits_for_helm_and_removes_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subprocess, "Popen", InterruptedChild)
    with pytest.raises(KeyboardInterrupt):
        helm.run_with_values("upgrade", "r", "c", [], "x: 1\n", env={"HELM_BIN": "helm"})
    [child] = InterruptedChild.instances
    assert child.seen_file
    assert child.waits == 2  # helm was waited for after the interrupt
    assert not child.values.exists()
    assert not child.values.parent.exists()


def test_values_file_mode_is_private_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        env = {"HELM_BIN": str(recorder(tmp_path)), "PATH": os.environ["PATH"]}
        helm.run_with_values(
            "template", "r", "c", [], "x\n", env=env, stdout=io.StringIO(), stderr=io.StringIO()
        )
    finally:
        os.umask(previous)
    assert stat.S_IMODE(records(tmp_path)[0]["mode"]) == 0o600
