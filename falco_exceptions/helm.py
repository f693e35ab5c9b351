"""Running helm: `helm show chart`, and `helm upgrade|template` with the rendered values.

The binary is `$HELM_BIN` (Helm sets it for plugins), else `helm` on PATH.

Helm takes its global flags off a plugin's command line and hands them over in the
environment (docs falco-facts.md section 7). `restore_global_flags` puts back the ones a
wrapped `helm upgrade` needs, each only when it is not on the command line already:
HELM_NAMESPACE -> --namespace, HELM_KUBECONTEXT -> --kube-context, KUBECONFIG ->
--kubeconfig (only when it names one file: a list of files stays in the environment,
which helm reads too) and HELM_DEBUG=true -> --debug. The other global settings
(--kube-token, --repository-config, ...) reach the child helm through the environment it
inherits, which helm reads as well.

The rendered values go to a private temporary file (0600, in a 0700 directory of its own),
given last (`-f`) so they win over the user's values files, and removed whatever happens:
helm fails, cannot be started, or the user presses Ctrl-C. On Ctrl-C helm got the same
SIGINT from the terminal, so it is waited for (it may be cleaning up a release) before the
file goes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from falco_exceptions.errors import FatalError

VALUES_NAME = "falco-exceptions.values.yaml"
_GLOBALS = (  # environment variable, flag, short spellings
    ("HELM_NAMESPACE", "--namespace", ("-n",)),
    ("HELM_KUBECONTEXT", "--kube-context", ()),
    ("KUBECONFIG", "--kubeconfig", ()),
)
_TRUE = ("1", "t", "true")  # Go's strconv.ParseBool, which helm uses
# `helm upgrade` flags that also decide which chart `helm show chart` reads.
_SHOW_VALUE_FLAGS = frozenset(
    ("--version", "--repo", "--username", "--password", "--ca-file", "--cert-file", "--key-file")
)
_SHOW_BOOL_FLAGS = frozenset(("--devel", "--insecure-skip-tls-verify", "--plain-http"))


def helm_binary(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    configured = env.get("HELM_BIN")
    if configured:
        return configured
    found = shutil.which("helm", path=env.get("PATH"))
    if found is None:
        raise FatalError("helm not found: put it on PATH or set HELM_BIN to its path")
    return found


def show_chart(ref: str, args: Sequence[str] = (), env: Mapping[str, str] | None = None) -> str:
    """`helm show chart REF` (with the chart-locating flags in `args`): Chart.yaml's text."""
    return _show("chart", ref, args, env)


def show_values(ref: str, args: Sequence[str] = (), env: Mapping[str, str] | None = None) -> str:
    """`helm show values REF`: the chart's own values.yaml (not its subcharts')."""
    return _show("values", ref, args, env)


def _show(what: str, ref: str, args: Sequence[str], env: Mapping[str, str] | None) -> str:
    argv = [helm_binary(env), "show", what, ref, *show_chart_args(args)]
    try:
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise FatalError(f"cannot run {argv[0]}: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        said = " ".join(proc.stderr.split()) or f"exit code {proc.returncode}"
        raise FatalError(f"`helm show {what} {ref}` failed: {said}")
    return proc.stdout


def show_chart_args(args: Sequence[str]) -> list[str]:
    """The flags among `args` that locate the chart (--version, --repo, --devel, ...)."""
    picked: list[str] = []
    rest = iter(args)
    for arg in rest:
        name = arg.split("=", 1)[0]
        if name in _SHOW_BOOL_FLAGS or (name in _SHOW_VALUE_FLAGS and "=" in arg):
            picked.append(arg)
        elif name in _SHOW_VALUE_FLAGS:
            picked += [arg, *[value for value in [next(rest, None)] if value is not None]]
    return picked


def values_files(args: Sequence[str]) -> list[Path]:
    """The local files among the `-f/--values` arguments, in order."""
    found: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg in ("-f", "--values"):
            found += (next(rest, "") or "").split(",")
        elif arg.startswith("--values="):
            found += arg.removeprefix("--values=").split(",")
        elif arg.startswith("-f") and not arg.startswith("--"):
            found += arg[2:].removeprefix("=").split(",")
    return [Path(name) for name in found if name and Path(name).is_file()]


_SET_FLAGS = frozenset(("--set", "--set-string", "--set-json", "--set-file", "--set-literal"))


def unread_settings(args: Sequence[str], values_path: Sequence[str]) -> list[str]:
    """The `--set`-style settings among `args` that touch what the deployment loads (falco,
    falcoctl, customRules under `values_path`'s parent), which only helm reads."""
    parent = list(values_path[:-1])
    watched = [".".join([*parent, key]) for key in ("falco", "falcoctl", values_path[-1])]
    found: list[str] = []
    rest = iter(args)
    for arg in rest:
        flag, equals, value = arg.partition("=")
        if flag not in _SET_FLAGS:
            continue
        text = value if equals else next(rest, "")
        for assignment in text.split(","):
            key = assignment.split("=", 1)[0].strip()
            if any(key == w or key.startswith((f"{w}.", f"{w}[")) for w in watched):
                found.append(f"{flag} {key}")
    return found


def restore_global_flags(args: Sequence[str], env: Mapping[str, str]) -> list[str]:
    flags: list[str] = []
    for variable, flag, shorts in _GLOBALS:
        value = env.get(variable, "")
        if not value or _given(args, flag, shorts):
            continue
        if variable == "KUBECONFIG" and os.pathsep in value:
            continue
        flags += [flag, value]
    if env.get("HELM_DEBUG", "").lower() in _TRUE and not _given(args, "--debug", ()):
        flags.append("--debug")
    return flags


def _given(args: Sequence[str], flag: str, shorts: tuple[str, ...]) -> bool:
    for arg in args:
        if arg == flag or arg.startswith(flag + "="):
            return True
        if any(arg.startswith(short) and not arg.startswith("--") for short in shorts):
            return True
    return False


def run_with_values(
    verb: str,
    release: str,
    chart: str,
    args: Sequence[str],
    values_text: str,
    *,
    env: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """`helm VERB RELEASE CHART ARGS <global flags> -f <values_text in a private file>`.

    helm's output goes to `stdout`/`stderr` (default: this process's), and its exit code
    comes back (128 + N when a signal N ended it).
    """
    env = dict(os.environ if env is None else env)
    binary = helm_binary(env)
    folder = tempfile.mkdtemp(prefix="falco-exceptions-")
    try:
        values = Path(folder) / VALUES_NAME
        fd = os.open(values, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(values_text)
        argv = [binary, verb, release, chart, *args, *restore_global_flags(args, env)]
        code = _run([*argv, "-f", str(values)], env, stdout or sys.stdout, stderr or sys.stderr)
        return code if code >= 0 else 128 - code
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(argv: list[str], env: dict[str, str], stdout: TextIO, stderr: TextIO) -> int:
    inherit = _has_fd(stdout) and _has_fd(stderr)  # else in-process (tests): copy the output
    stdout.flush()
    stderr.flush()
    try:
        if not inherit:
            proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
            stdout.write(proc.stdout)
            stderr.write(proc.stderr)
            return proc.returncode
        child = subprocess.Popen(argv, env=env, stdout=stdout, stderr=stderr)
    except OSError as exc:
        raise FatalError(f"cannot run {argv[0]}: {exc.strerror or exc}") from None
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.wait()  # the terminal sent helm the same SIGINT: let it finish its cleanup
        raise


def _has_fd(stream: TextIO) -> bool:
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    return True
