"""Header-only probing of a source into MediaFacts.

``probe`` and ``probe_many`` isolate each file in a killable worker process; ``probe_stream`` reads
a seekable binary object in the calling process. Heavy libraries are imported only when used, and
the reading modules only where they run: a caller that probes in workers never loads them itself.
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # not typing's: the console script imports this package before anything else
if TYPE_CHECKING:
    from typing import Any

    from vidlint.probing.local import probe_stream as probe_stream
    from vidlint.probing.worker import probe as probe
    from vidlint.probing.worker import probe_many as probe_many

__all__ = ["probe", "probe_many", "probe_stream"]
_HOMES = {
    "probe": "vidlint.probing.worker",
    "probe_many": "vidlint.probing.worker",
    "probe_stream": "vidlint.probing.local",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'vidlint.probing' has no attribute {name!r}")
    return getattr(import_module(home), name)
