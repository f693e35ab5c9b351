"""Whether the falco chart's values turn the container plugin off.

From Falco 0.41 the `container.*` and `k8s.*` fields come from the container plugin. The
falco chart loads it by default: chart 4.x - 6.x (Falco 0.41) when
`collectors.containerEngine.enabled` or one of the older `collectors.docker`,
`collectors.containerd`, `collectors.crio` is enabled; chart 7.0 (Falco 0.42) and newer
only through `collectors.containerEngine.enabled` (the older keys were removed). Either
way only when `driver.enabled` and `collectors.enabled` hold, unless
`falco.load_plugins` names `container` itself.

`off_reason` reads the values a user passes to the chart. A key the values do not set
keeps the chart's default (on), so the answer is "off" only when the values say so; a key
set to a value Helm's templates read as false (false, 0, "", null) says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from falco_exceptions.falco.fields import CONTAINER_PLUGIN, CONTAINER_PLUGIN_SINCE

LEGACY_COLLECTORS = ("docker", "containerd", "crio")  # chart 4.x - 6.x only
LEGACY_UNTIL = (0, 42, 0)


def off_reason(
    values: Mapping[str, Any], falco: tuple[int, int, int], prefix: Sequence[str] = ()
) -> str | None:
    """Why these chart values leave the container plugin out on this Falco, or None.

    `prefix` is where the falco chart's values start (`falco` when it is a subchart).
    """
    if falco < CONTAINER_PLUGIN_SINCE:
        return None
    root = _get(values, prefix)
    shown = "".join(f"{p}." for p in prefix)
    loaded = _get(root, ("falco", "load_plugins"))
    if isinstance(loaded, list) and CONTAINER_PLUGIN in loaded:
        return None
    for path in (("driver", "enabled"), ("collectors", "enabled")):
        if _set_false(root, path):
            return f"{shown}{'.'.join(path)} is false"
    if not _set_false(root, ("collectors", "containerEngine", "enabled")):
        return None
    engine = f"{shown}collectors.containerEngine.enabled is false"
    if falco >= LEGACY_UNTIL:
        return engine
    if all(_set_false(root, ("collectors", name, "enabled")) for name in LEGACY_COLLECTORS):
        names = ", ".join(f"{shown}collectors.{n}.enabled" for n in LEGACY_COLLECTORS)
        return f"{engine}, and so are {names}"
    return None


def _get(node: Any, path: Sequence[str]) -> Any:
    for key in path:
        node = node.get(key) if isinstance(node, Mapping) else None
    return node


def _set_false(node: Any, path: Sequence[str]) -> bool:
    """The values set the key at `path`, to something Helm's `if` reads as false."""
    parent = _get(node, path[:-1])
    return isinstance(parent, Mapping) and path[-1] in parent and not parent[path[-1]]
