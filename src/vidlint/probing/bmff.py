"""ISO BMFF boxes inside bytes already in memory (a moov or moof box), read strictly for the index checks.

``boxes.py`` walks the top level of a file through a reader; this module reads the nested boxes of an
index the probe has read whole. Unlike a player, it does not repair what it reads: a box that runs
past its parent, a header that is not one, a table whose count does not fit its box, are each an
``IndexBroken`` naming the box, which is how a damaged index is told from a sound one.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Iterator

Child = tuple[str, int, int]  # four-character type, payload start, end (offsets into the data)
_HEADER = struct.Struct(">I4s")
_U16 = struct.Struct(">H")
_U32 = struct.Struct(">I")
_I32 = struct.Struct(">i")
_U64 = struct.Struct(">Q")
_I64 = struct.Struct(">q")


class IndexBroken(Exception):
    """The index contradicts itself or its file: the message says where and how, on one line."""


def header(data: bytes, offset: int, limit: int, *, to_end: bool = True) -> Child | None:
    """The box whose header is at ``offset`` (size 0: up to ``limit``, unless ``to_end`` is false);
    None when no header fits or its size is smaller than the header itself."""
    if offset + 8 > limit:
        return None
    size, raw = _HEADER.unpack_from(data, offset)
    head = 8
    if size == 1:
        if offset + 16 > limit:
            return None
        size, head = _U64.unpack_from(data, offset + 8)[0], 16
    elif size == 0 and to_end:
        size = limit - offset
    if size < head:
        return None
    return raw.decode("latin-1"), offset + head, offset + size


def children(data: bytes, start: int, end: int, where: str, *, strict: bool = True) -> Iterator[Child]:
    """The boxes that fill ``data[start:end]``, the payload of the box named ``where``.

    Raises IndexBroken for a child that runs past its parent and for a header whose size is smaller
    than the header itself, 0 included ("to the end" is for top-level boxes only); fewer than eight
    trailing bytes (a QuickTime terminator) end it. Any four bytes are a type: an unknown box is
    skipped, as players do. ``strict=False`` (the extensions of a sample description, where writers
    leave padding) stops at the first thing that is not a box instead."""
    offset = start
    while offset + 8 <= end:
        child = header(data, offset, end, to_end=False)
        if child is None or child[2] > end:
            if not strict:
                return
            if child is not None:
                raise IndexBroken(
                    f"the {_shown(child[0])} box in {where} runs {child[2] - end:,} bytes past its end"
                )
            raise IndexBroken(f"bytes at offset {offset - start:,} of {where} are not a box header")
        yield child
        offset = child[2]


def _shown(kind: str) -> str:
    return kind if kind.isprintable() else repr(kind)


def first(found: list[Child], kind: str) -> Child | None:
    return next((child for child in found if child[0] == kind), None)


def find(data: bytes, box: Child, where: str, *kinds: str) -> Child | None:
    """The box at the end of a path of first children (e.g. "mdia", "minf", "stbl"), or None."""
    found: Child | None = box
    for kind in kinds:
        assert found is not None
        found = first(list(children(data, found[1], found[2], where)), kind)
        if found is None:
            return None
        where = f"{kind} of {where}"
    return found


def u8(data: bytes, offset: int, end: int, what: str) -> int:
    if offset + 1 > end:
        raise IndexBroken(f"{what} is cut short")
    return data[offset]


def u16(data: bytes, offset: int, end: int, what: str) -> int:
    if offset + 2 > end:
        raise IndexBroken(f"{what} is cut short")
    value: int = _U16.unpack_from(data, offset)[0]
    return value


def u32(data: bytes, offset: int, end: int, what: str) -> int:
    if offset + 4 > end:
        raise IndexBroken(f"{what} is cut short")
    value: int = _U32.unpack_from(data, offset)[0]
    return value


def i32(data: bytes, offset: int, end: int, what: str) -> int:
    if offset + 4 > end:
        raise IndexBroken(f"{what} is cut short")
    value: int = _I32.unpack_from(data, offset)[0]
    return value


def u64(data: bytes, offset: int, end: int, what: str) -> int:
    if offset + 8 > end:
        raise IndexBroken(f"{what} is cut short")
    value: int = _U64.unpack_from(data, offset)[0]
    return value


def i64(data: bytes, offset: int, end: int, what: str) -> int:
    if offset + 8 > end:
        raise IndexBroken(f"{what} is cut short")
    value: int = _I64.unpack_from(data, offset)[0]
    return value


def version(data: bytes, box: Child, what: str, payload: dict[int, int]) -> int:
    """A full box's version, checked against ``payload`` (version -> the payload bytes it needs)."""
    _, start, end = box
    found = u8(data, start, end, what)
    needed = payload.get(found)
    if needed is None:
        raise IndexBroken(f"{what} has version {found}, not {' or '.join(map(str, payload))}")
    if end - start < needed:
        raise IndexBroken(f"{what} (version {found}) has {end - start} bytes, not {needed}")
    return found


def table(data: bytes, box: Child, what: str, entry_size: int, *, skip: int = 0) -> tuple[int, int]:
    """(entry count, offset of the first entry) of a full box whose u32 count follows the version
    and flags (and ``skip`` more bytes); IndexBroken when that many entries do not fit in the box."""
    _, start, end = box
    count = u32(data, start + 4 + skip, end, what)
    first_entry = start + 8 + skip
    if count * entry_size > end - first_entry:
        raise IndexBroken(f"{count:,} entries do not fit in {what} ({end - start + 8:,} bytes)")
    return count, first_entry


def uints(data: bytes, start: int, count: int, width: int) -> array[int]:
    """``count`` big-endian unsigned integers of ``width`` bytes (2, 4 or 8) from ``start``."""
    code = {2: "H", 4: "I" if array("I").itemsize == 4 else "L", 8: "Q"}[width]
    values = array(code)
    values.frombytes(data[start : start + count * width])
    if sys.byteorder == "little":
        values.byteswap()
    return values


def counted_fits(data: bytes, box: Child, what: str) -> None:
    """The entries that a table other than the sample tables counts fit its box (stss, stps, ctts,
    sbgp, sgpd, saiz, saio, subs); MediaInfo spins for minutes on an sbgp count of 0x7fffffff."""
    kind, start, end = box
    box_version = u8(data, start, end, what)
    flags = u32(data, start, end, what) & 0xFFFFFF
    if kind in ("stss", "stps"):
        table(data, box, what, 4)
    elif kind == "ctts":
        table(data, box, what, 8)
    elif kind == "sbgp":  # grouping type [and its parameter], then entries of count and group index
        table(data, box, what, 8, skip=8 if box_version == 1 else 4)
    elif kind == "sgpd":  # grouping type, [default length or description index], then entries
        default_length = u32(data, start + 8, end, what) if box_version == 1 else 0
        table(
            data,
            box,
            what,
            default_length or (4 if box_version == 1 else 1),
            skip=4 if box_version == 0 else 8,
        )
    elif kind == "subs":
        table(data, box, what, 6)
    elif kind in ("saiz", "saio"):
        at = start + 4 + (8 if flags & 1 else 0)  # aux_info_type and its parameter
        if kind == "saiz":
            default_size, count = u8(data, at, end, what), u32(data, at + 1, end, what)
            needed, at = (0 if default_size else count), at + 5
        else:
            count = u32(data, at, end, what)
            needed, at = count * (8 if box_version == 1 else 4), at + 4
        if needed > end - at:
            raise IndexBroken(f"{count:,} entries do not fit in {what} ({end - start + 8:,} bytes)")
