"""Reading helpers over a seekable binary source."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer


class SeekableReader(Protocol):
    """A seekable binary source: an open file, a raw reader, an HTTP range reader...

    ``read`` may return None (a raw reader with nothing available), taken as end of data.
    """

    def read(self, size: int = -1, /) -> bytes | None: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def tell(self) -> int: ...


def read_at(reader: SeekableReader, offset: int, length: int) -> bytes:
    """Exactly ``length`` bytes from ``offset`` unless the source ends first (raw reads may be short)."""
    reader.seek(offset)
    chunks: list[bytes] = []
    remaining = length
    while remaining > 0:
        chunk = reader.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


class ReadAtFile(io.RawIOBase):
    """A seekable, read-only binary file whose reads all go through ``read_at(pos, count)``: what
    pymediainfo and the probe read through. Subclasses give ``read_at`` and ``end`` (where SEEK_END
    counts from); a seek before the start raises ValueError, as io's own files do."""

    _pos = 0

    def read_at(self, pos: int, count: int) -> bytes:
        raise NotImplementedError

    @property
    def end(self) -> int:
        raise NotImplementedError

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.end}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read_at(self._pos, len(view))
        view[: len(data)] = data
        self._pos += len(data)
        return len(data)


class BlockCache:
    """What a ranged reader has fetched of one source: fixed-size, block-aligned pieces by index, so
    that many small reads near each other cost one request (the URL and the bucket readers)."""

    def __init__(self, block: int) -> None:
        self.block = block
        self._blocks: dict[int, bytes] = {}

    def __contains__(self, index: int) -> bool:
        return index in self._blocks

    def store(self, start: int, data: bytes) -> None:
        """Keep ``data`` read from ``start`` (a block boundary), block by block."""
        for offset in range(0, len(data), self.block):
            self._blocks[(start + offset) // self.block] = data[offset : offset + self.block]

    def read(self, pos: int, count: int) -> bytes:
        """Up to ``count`` bytes at ``pos``, as far as the blocks fetched reach without a gap."""
        out = bytearray()
        while len(out) < count:
            index, offset = divmod(pos + len(out), self.block)
            block = self._blocks.get(index)
            if block is None or offset >= len(block):
                break
            out += block[offset : offset + count - len(out)]
        return bytes(out)

    def missing_runs(self, start: int, end: int) -> list[tuple[int, int]]:
        """The runs ``(first, last)`` of consecutive block indexes in ``[start, end)`` not fetched yet:
        one request each."""
        runs: list[tuple[int, int]] = []
        for index in range(start // self.block, (end - 1) // self.block + 1):
            if index in self._blocks:
                continue
            if runs and runs[-1][1] == index - 1:
                runs[-1] = (runs[-1][0], index)
            else:
                runs.append((index, index))
        return runs
