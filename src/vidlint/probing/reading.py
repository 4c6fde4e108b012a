"""Reading helpers over a seekable binary source."""

from __future__ import annotations

from typing import Protocol


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
