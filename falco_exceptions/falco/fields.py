"""The Falco fields an exception can name, and what is true of each.

Every one exists in the syscall source of every Falco from 0.26.2 to 0.44.1 (the field
tables of the libraries each release pins; `falco --list=syscall` of 0.44.1). What
differs between them:

- which comparisons an entry may write: `=` (a value, or a list: any of) for all;
  `startswith` too for paths, pod names and image repositories, where a prefix means
  something (a directory, a deployment's generated pod names, a registry);
- which events carry the field: `fd.*` only events that have a file descriptor (a
  file open, a connection), never a process spawn; process, user, container and
  Kubernetes fields every syscall event;
- where the value comes from: from Falco 0.41 `container.*` and `k8s.*` are
  provided by the container plugin (loaded by the falco chart unless its values turn it
  off), before that by the engine itself.

`proc.pexepath` exists only from 0.35 and is not offered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

CONTAINER_PLUGIN = "container"
CONTAINER_PLUGIN_SINCE = (0, 41, 0)


@dataclass(frozen=True)
class Field:
    name: str
    what: str  # a few words for messages and the schema: "the parent process name"
    prefix: bool = False  # may take {startswith: PREFIX}
    needs_fd: bool = False  # only events with a file descriptor carry it
    plugin: str | None = None  # the plugin that provides it from CONTAINER_PLUGIN_SINCE
    workload: bool = False  # says which container or pod (for how narrow an entry is)


# In rendering order: the process first, then the workload, then what it touches.
FIELDS: tuple[Field, ...] = (
    Field("proc.name", "the process name (the executable's base name, at most 15 bytes)"),
    Field("proc.pname", "the parent process name"),
    Field("proc.exepath", "the full path of the process executable", prefix=True),
    Field("user.name", "the user the process runs as"),
    Field(
        "container.image.repository",
        "the container image without its tag (registry/repository)",
        prefix=True,
        plugin=CONTAINER_PLUGIN,
        workload=True,
    ),
    Field("container.name", "the container name", plugin=CONTAINER_PLUGIN, workload=True),
    Field("k8s.ns.name", "the Kubernetes namespace", plugin=CONTAINER_PLUGIN, workload=True),
    Field(
        "k8s.pod.name",
        "the Kubernetes pod name",
        prefix=True,
        plugin=CONTAINER_PLUGIN,
        workload=True,
    ),
    Field("fd.directory", "the directory of the file the event is about", True, needs_fd=True),
    Field("fd.name", "the file (or connection) the event is about", True, needs_fd=True),
)
BY_NAME: Mapping[str, Field] = {f.name: f for f in FIELDS}
NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
PREFIXED: tuple[str, ...] = tuple(f.name for f in FIELDS if f.prefix)

# Real Falco fields people reach for that an entry cannot name, and what to write instead.
# A did-you-mean must not silently turn one of them into a different field.
OTHER_FIELDS: Mapping[str, str] = {
    "proc.pexepath": "exists only from Falco 0.35; write proc.pname (the parent's name)",
    "proc.exe": "is the first command-line argument, not the executable; write proc.exepath",
    "proc.pexe": "is the parent's first argument; write proc.pname",
    "proc.aname": "names an ancestor at any depth; write proc.pname (the parent)",
    "proc.cmdline": "changes with every argument; write proc.name, and narrow by a path",
    "proc.args": "changes with every argument; write proc.name, and narrow by a path",
    "proc.cwd": "is the working directory; narrow by fd.directory or fd.name instead",
    "user.loginname": "is the login user, not the one the process runs as; write user.name",
    "user.uid": "is a number that differs between images; write user.name",
    "fd.filename": "is the base name only; write fd.name (the full path) or fd.directory",
    "container.image": "includes the tag; write container.image.repository (no tag)",
    "container.image.tag": "changes with every release; write container.image.repository",
    "container.id": "changes with every container; write container.name or the image",
    "k8s.ns.id": "changes when the namespace is re-created; write k8s.ns.name",
    "k8s.pod.id": "changes with every pod; write k8s.pod.name (it takes startswith)",
    "k8s.deployment.name": "names the deployment, whose pods are named <deployment>-<suffix>: "
    "write k8s.pod.name: {startswith: <deployment>-}",
}


def event_value(event: Mapping[str, str | None], name: str) -> str | None:
    """The value `event` has for field `name`; fd.directory follows from a file's fd.name.

    Alerts often carry fd.name but not fd.directory; Falco's fd.directory of a file is
    the directory part of its path ("/" for a file at the root).
    """
    value = event.get(name)
    if value is not None or name != "fd.directory":
        return value
    path = event.get("fd.name")
    if path is None or not path.startswith("/"):
        return None
    return directory_of(path)


def directory_of(path: str) -> str:
    return path.rsplit("/", 1)[0] or "/"


def plugin_fields(names: tuple[str, ...] | list[str], version: tuple[int, int, int]) -> list[str]:
    """Of `names`, those the container plugin provides on this Falco version."""
    if version < CONTAINER_PLUGIN_SINCE:
        return []
    return [n for n in names if n in BY_NAME and BY_NAME[n].plugin == CONTAINER_PLUGIN]
