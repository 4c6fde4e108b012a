"""ISO BMFF box walker: reads box headers only (8 or 16 bytes each) and seeks over every payload.

The layout it returns says where the index (ftyp, moov, moof...) and the media data (mdat) lie,
which lets the MediaInfo window refuse the data, and answers faststart / fragmented / truncated
without any other reader.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from vidlint.probing.reading import SeekableReader

MAX_BOXES = 100_000  # a fragmented hour at one fragment per second is ~7,200 boxes
_HEADER = struct.Struct(">I4s")
_LARGE_SIZE = struct.Struct(">Q")
_INDEX_KINDS = {"moov", "moof", "mfra"}


@dataclass(frozen=True, slots=True)
class Box:
    kind: str  # the four-character type, e.g. "moov"
    offset: int
    size: int  # declared size including the header; "size 0" (to the end) already resolved
    header_size: int  # 8, or 16 with a 64-bit size

    @property
    def payload_start(self) -> int:
        return self.offset + self.header_size

    @property
    def end(self) -> int:
        return self.offset + self.size


@dataclass(frozen=True, slots=True)
class Layout:
    boxes: tuple[Box, ...]
    moov_children: tuple[Box, ...]
    file_size: int

    @property
    def moov(self) -> Box | None:
        return self._first("moov")

    @property
    def faststart(self) -> bool | None:
        """Index before data: False when media data comes first (or there is no index at all, so
        nothing can play until one arrives); None when there is neither index nor media data."""
        moov, mdat = self.moov, self._first("mdat")
        if moov is None:
            return False if mdat is not None else None
        return mdat is None or moov.offset < mdat.offset

    @property
    def fragmented(self) -> bool:
        return self._first("moof") is not None or any(b.kind == "mvex" for b in self.moov_children)

    @property
    def truncation(self) -> str | None:
        """Why the file is shorter than its own structure says, or None when it is not."""
        if self.moov is None:
            return "truncated before the index: no moov box"
        for box in self.boxes:
            if box.end > self.file_size:
                missing = box.end - self.file_size
                return f"truncated: the {box.kind} box at {box.offset} runs {missing} bytes past the end"
        return None

    @property
    def last_index_offset(self) -> int:
        """Offset of the last box MediaInfo must see (moov, moof or mfra); -1 when there is none."""
        return max((box.offset for box in self.boxes if box.kind in _INDEX_KINDS), default=-1)

    @property
    def data_ranges(self) -> tuple[tuple[int, int], ...]:
        """Byte ranges of media payload (mdat), which reading the index never needs."""
        return tuple(
            (box.payload_start, min(box.end, self.file_size)) for box in self.boxes if box.kind == "mdat"
        )

    def _first(self, kind: str) -> Box | None:
        return next((box for box in self.boxes if box.kind == kind), None)


def parse_header(data: bytes, offset: int, limit: int) -> Box | None:
    """The box whose header starts ``data`` (read at ``offset``), or None when it cannot be one.

    ``limit`` is where a box declared with size 0 ("to the end") ends.
    """
    if len(data) < _HEADER.size:
        return None
    size, raw_kind = _HEADER.unpack_from(data)
    header_size = _HEADER.size
    if size == 1:
        if len(data) < header_size + _LARGE_SIZE.size:
            return None
        (size,) = _LARGE_SIZE.unpack_from(data, header_size)
        header_size += _LARGE_SIZE.size
    elif size == 0:
        size = limit - offset
    if size < header_size or not all(0x20 <= c < 0x7F for c in raw_kind):
        return None
    return Box(raw_kind.decode("ascii"), offset, size, header_size)


def walk_boxes(reader: SeekableReader, start: int, end: int) -> tuple[Box, ...]:
    """The sequence of boxes from ``start``; stops at ``end``, at the first bytes that are not a box
    header, or after a box that runs past ``end``."""
    boxes: list[Box] = []
    offset = start
    while offset + _HEADER.size <= end and len(boxes) < MAX_BOXES:
        reader.seek(offset)
        box = parse_header(reader.read(16) or b"", offset, end)
        if box is None:
            break
        boxes.append(box)
        offset = box.end
    return tuple(boxes)


def read_layout(reader: SeekableReader, file_size: int) -> Layout:
    boxes = walk_boxes(reader, 0, file_size)
    moov = next((box for box in boxes if box.kind == "moov"), None)
    children: tuple[Box, ...] = ()
    if moov is not None:
        children = walk_boxes(reader, moov.payload_start, min(moov.end, file_size))
    return Layout(boxes, children, file_size)
