"""The result cache's keys, computed without the cache itself: a ``--no-cache`` run and the pipeline
import this, not sqlite3 (vidlint.run.cache).

A key covers everything a verdict depends on: the file (path, size, mtime, inode), its caption, the
marketplace's rule pack content, the request metadata and vidlint's version.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from vidlint import __version__
from vidlint.packs.digest import digest

if TYPE_CHECKING:
    from vidlint.run.targets import Target


def file_signature(path: str) -> list[Any] | None:
    """What identifies one version of a file; None when it cannot be stat'ed (never cached then)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [os.path.abspath(path), st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev]


def report_key(
    source: str,
    caption: str | None,
    marketplace: str,
    pack_digest: str,
    extra: Mapping[str, Any] | None = None,
) -> str | None:
    """The cache key of one (file, marketplace) verdict, or None when the file has no stable identity."""
    signature = file_signature(source)
    caption_signature = file_signature(caption) if caption else None
    if signature is None or (caption and caption_signature is None):
        return None
    material = [__version__, signature, caption_signature, marketplace, pack_digest, extra or {}]
    blob = json.dumps(material, sort_keys=True, default=str, ensure_ascii=True)
    return digest(blob.encode())


def target_keys(
    target: Target, digests: Mapping[str, str], metadata: Mapping[str, Any] | None
) -> dict[str, str | None]:
    """Each marketplace's key for ``target`` (by its pack's digest); None where the file has none."""
    extra = {"metadata": metadata}
    return {m: report_key(target.source, target.caption, m, d, extra) for m, d in digests.items()}
