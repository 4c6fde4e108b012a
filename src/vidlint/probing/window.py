"""A file-like view that lets MediaInfo read a container's index but never its media data.

pymediainfo feeds MediaInfo from any seekable binary object and seeks wherever MediaInfo asks.
This view never reads the refused ranges (mdat payloads) from the source:

* once MediaInfo has been served every index box (moov, moof, mfra), a read that starts in a
  refused range gets end-of-file, which ends the parse with the facts complete;
* before that, MediaInfo may read through a small mdat sequentially instead of seeking over it,
  so the view serves zeros in its place (capped by ``filler_budget``) to let it reach the next
  index box.

Every other read is clipped at the next refused range; at most ``budget`` bytes are served from
the source, and reads inside the already-read head (or another range the caller has read already,
such as the moov box) are answered from memory.
"""

from __future__ import annotations

import bisect
import io
from collections.abc import Sequence

from vidlint.probing.reading import SeekableReader

# MediaInfo reads through an mdat smaller than ~64 KiB rather than seek over it, so a fragmented
# file with small fragments takes up to 64 KiB of zeros per fragment. Zeros cost no I/O and ~1 ms
# of CPU per MiB (measured: 3,600 fragments, 36 MiB of zeros, 34 ms); the cap bounds hostile files.
FILLER_BUDGET = 512 * 1024 * 1024


class IndexWindow(io.RawIOBase):
    def __init__(
        self,
        source: SeekableReader,
        size: int,
        *,
        budget: int,
        head: bytes = b"",
        cached: Sequence[tuple[int, bytes]] = (),
        refused: Sequence[tuple[int, int]] = (),
        last_index_offset: int = -1,
        filler_budget: int = FILLER_BUDGET,
    ) -> None:
        super().__init__()
        self._source = source
        self._size = size
        self._head = head
        regions = sorted((offset, data) for offset, data in cached if data)
        self._cached_starts = [offset for offset, _ in regions]
        self._cached = [data for _, data in regions]
        self._refused = sorted(refused)
        self._refused_starts = [start for start, _ in self._refused]
        self._last_index_offset = last_index_offset
        self._budget = budget
        self._filler_budget = filler_budget
        self._pos = 0
        self._furthest = 0
        self.bytes_served = 0  # real bytes of the source, from memory or from the source
        self.filler_served = 0
        self.budget_exhausted = False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        wanted = self._size - self._pos if size is None or size < 0 else min(size, self._size - self._pos)
        if wanted <= 0:
            return b""
        index = bisect.bisect_right(self._refused_starts, self._pos)  # ranges starting at or before pos
        inside = index > 0 and self._pos < self._refused[index - 1][1]
        if inside:
            data = self._filler(wanted, self._refused[index - 1][1])
        else:
            next_start = self._refused_starts[index] if index < len(self._refused) else None
            data = self._real(wanted if next_start is None else min(wanted, next_start - self._pos))
        self._pos += len(data)
        return data

    def _filler(self, wanted: int, refused_end: int) -> bytes:
        if self._furthest > self._last_index_offset:
            return b""  # the whole index has been read: nothing after this data matters
        length = min(wanted, refused_end - self._pos, self._filler_budget - self.filler_served)
        if length <= 0:
            self.budget_exhausted = True
            return b""
        self.filler_served += length
        return bytes(length)

    def _real(self, length: int) -> bytes:
        if self.bytes_served + length > self._budget:
            self.budget_exhausted = True
            length = self._budget - self.bytes_served
        if length <= 0:
            return b""
        data = self._fetch(self._pos, length)
        self.bytes_served += len(data)
        self._furthest = max(self._furthest, self._pos + len(data))
        return data

    def _fetch(self, pos: int, length: int) -> bytes:
        if pos + length <= len(self._head):
            return self._head[pos : pos + length]
        at = bisect.bisect_right(self._cached_starts, pos) - 1
        if at >= 0 and pos + length <= self._cached_starts[at] + len(self._cached[at]):
            offset = self._cached_starts[at]
            return self._cached[at][pos - offset : pos - offset + length]
        self._source.seek(pos)
        return self._source.read(length) or b""
