"""Header-only probing of a source into MediaFacts.

``probe`` and ``probe_many`` isolate each file in a killable worker process; ``probe_stream`` reads
a seekable binary object in the calling process. Heavy libraries are imported only when used.
"""

from __future__ import annotations

from vidlint.probe.local import probe_stream
from vidlint.probe.worker import probe, probe_many

__all__ = ["probe", "probe_many", "probe_stream"]
