"""Plan the reads of an ISO BMFF (MP4/QuickTime) index so a remote probe costs few requests.

Only top-level box headers are walked (8 or 16 bytes each). When ``moov`` is found, all of it is
prefetched in one ranged GET; when ``mdat`` comes first (a file that is not faststart), the rest
of the file after ``mdat`` is fetched with one suffix range, which is where ``moov`` lives.
Anything that does not look like ISO BMFF is left alone: the probe reads what it needs.
"""

from __future__ import annotations

import struct
from typing import Protocol


class IndexReader(Protocol):
    """What the plan needs of a reader: vidlint.remote.RangeReader, or a bucket object's reader."""

    @property
    def size(self) -> int | None: ...

    def read_at(self, pos: int, count: int) -> bytes: ...

    def prefetch(self, start: int, end: int) -> None: ...

    def prefetch_tail(self, start: int) -> None: ...


_TOP_LEVEL = frozenset(
    {b"ftyp", b"styp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pdin", b"uuid", b"meta"}
)
_MAX_BOXES = 64


def box_header(data: bytes) -> tuple[bytes, int, int] | None:
    """``(type, size, header_length)`` of the box starting ``data``; size 0 means "to the end of file"."""
    if len(data) < 8:
        return None
    size, kind = struct.unpack(">I4s", data[:8])
    if size == 1:
        if len(data) < 16:
            return None
        return kind, struct.unpack(">Q", data[8:16])[0], 16
    return kind, size, 8


def plan_index_reads(reader: IndexReader) -> None:
    """Prefetch the ``moov`` box (or the tail that holds it) through ``reader``'s cache."""
    size = reader.size or 0
    offset = 0
    for _ in range(_MAX_BOXES):
        header = box_header(reader.read_at(offset, 16))
        if header is None or header[0] not in _TOP_LEVEL:
            return
        kind, box_size, header_length = header
        if box_size == 0 or (box_size < header_length):
            return
        if kind == b"moov":
            reader.prefetch(offset, offset + box_size)
            return
        if kind == b"mdat" and offset + box_size < size:
            reader.prefetch_tail(offset + box_size)
        offset += box_size
        if offset >= size:
            return
