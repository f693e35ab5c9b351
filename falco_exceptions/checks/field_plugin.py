"""From Falco 0.41, `container.*` and `k8s.*` need the container plugin.

Those fields used to come from the Falco engine; since 0.41 the container plugin provides
them. The falco chart loads it by default; values that turn it off (`driver.enabled`,
`collectors.enabled` or `collectors.containerEngine.enabled` false, and on chart 4.x - 6.x
also the older `collectors.docker`/`containerd`/`crio`) leave those fields unknown, and
Falco refuses to load a condition that names them. Checked when the values are at hand
(`render --values FILE`).
"""

from __future__ import annotations

from collections.abc import Iterator

from falco_exceptions.diagnostics import Diagnostic, error
from falco_exceptions.document import Entry
from falco_exceptions.falco.fields import plugin_fields
from falco_exceptions.target import Target

CODE = "FE211"


def check(entry: Entry, target: Target) -> Iterator[Diagnostic]:
    if target.container_plugin_off is None:
        return
    needing = plugin_fields(list(entry.field_names), target.engine.version)
    if not needing:
        return
    names = " and ".join(needing)
    verb = "needs" if len(needing) == 1 else "need"
    yield error(
        entry.at(needing[0]),
        CODE,
        f"{names} {verb} the container plugin on Falco {target.engine.text} (it provides "
        f"container.* and k8s.* from 0.41), and it is off: {target.container_plugin_off}; "
        f"turn it on, or remove {names}",
    )
