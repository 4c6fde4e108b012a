"""The movie fragments (moof) of a fragmented MP4, checked like the sample tables of a moov.

In a fragmented file the moov describes the tracks and their defaults (``mvex`` / ``trex``); each
``moof`` lists its samples in ``traf`` boxes (``tfhd`` names the track, each ``trun`` gives sample
count, sizes and where the data starts). A fragment of an unknown track, a run whose entries do not
fit its box, or data that starts before the file or ends past it, is what ffprobe reports as "trun
track id unknown", "error reading header" or "partial file".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vidlint.probing.bmff import (
    Child,
    IndexBroken,
    children,
    counted_fits,
    first,
    i32,
    table,
    u32,
    u64,
    uints,
)

if TYPE_CHECKING:
    from vidlint.probing.index import MediaData

_TFHD_FIELDS = ((0x01, 8), (0x02, 4), (0x08, 4), (0x10, 4), (0x20, 4))  # flag, field size in bytes
_TRUN_SAMPLE_FIELDS = (0x100, 0x200, 0x400, 0x800)  # duration, size, flags, composition offset


@dataclass(frozen=True, slots=True)
class TrackDefaults:
    """A track's ``trex`` (what its fragments leave out) and how many sample descriptions it has."""

    description_index: int
    sample_size: int
    descriptions: int


def defaults(data: bytes, mvex: Child, where: str, descriptions: dict[int, int]) -> dict[int, TrackDefaults]:
    """The ``trex`` boxes of an ``mvex`` box, by track id (``descriptions``: each track's count of
    sample descriptions; a trex of a track the moov does not have is left out)."""
    found: dict[int, TrackDefaults] = {}
    for kind, start, end in children(data, mvex[1], mvex[2], where):
        if kind == "trex":
            if end - start < 24:
                raise IndexBroken(f"a trex box of {end - start + 8} bytes in {where}")
            track_id = u32(data, start + 4, end, "trex")
            if track_id in descriptions:
                index, size = u32(data, start + 8, end, "trex"), u32(data, start + 16, end, "trex")
                found[track_id] = TrackDefaults(index, size, descriptions[track_id])
    return found


def check(
    moofs: Sequence[tuple[int, bytes]], tracks: dict[int, TrackDefaults], where_data: MediaData
) -> tuple[str | None, dict[int, tuple[int, int]]]:
    """(why the fragments' data lies past the end of the file or None, where each track's first
    sample lies: offset and size); IndexBroken for fragments that contradict the moov or themselves,
    or whose data is not in the media data. ``moofs``: (offset, bytes) of each whole moof box."""
    past_the_end = None
    firsts: dict[int, tuple[int, int]] = {}
    for number, (offset, moof) in enumerate(moofs, start=1):
        where = f"movie fragment {number} (at byte {offset:,})"
        base = offset  # without a base data offset, the first track fragment's data counts from the moof
        for kind, start, box_end in children(moof, 8, len(moof), where):
            if kind != "traf":
                continue
            base, track_id, runs = _track_fragment(moof, (kind, start, box_end), offset, base, tracks, where)
            for run in runs:
                problem = where_data.problem(run.start, run.end)
                if problem == "past":
                    past = run.end - where_data.file_size
                    past_the_end = (
                        past_the_end or f"{where}: its data ends {past:,} bytes past the end of the file"
                    )
                elif problem:
                    raise IndexBroken(f"{where}: its data (at byte {run.start:,}) {problem}")
                if run.first_size is not None and track_id not in firsts:
                    firsts[track_id] = (run.start, run.first_size)
    return past_the_end, firsts


def _track_fragment(
    moof: bytes,
    traf: Child,
    moof_offset: int,
    base: int,
    tracks: dict[int, TrackDefaults],
    where: str,
) -> tuple[int, int, list[Run]]:
    """(where the next track fragment's data starts by default, this one's track id and runs)."""
    boxes = list(children(moof, traf[1], traf[2], where))
    tfhd = first(boxes, "tfhd")
    if tfhd is None:
        raise IndexBroken(f"{where} has a track fragment without a header (tfhd)")
    _, at, end = tfhd
    flags = u32(moof, at, end, "tfhd") & 0xFFFFFF
    track_id = u32(moof, at + 4, end, "tfhd")
    if track_id not in tracks:
        raise IndexBroken(f"{where} is a fragment of track {track_id}, which the moov does not declare")
    at += 8
    fields: dict[int, int] = {}
    for flag, size in _TFHD_FIELDS:
        if flags & flag:
            fields[flag] = (u64 if size == 8 else u32)(moof, at, end, "tfhd")
            at += size
    description = fields.get(0x02, tracks[track_id].description_index)
    if not 1 <= description <= tracks[track_id].descriptions:
        raise IndexBroken(f"{where}: track {track_id}'s samples name sample description {description}")
    if 0x01 in fields:
        base = fields[0x01]
    elif flags & 0x20000:  # default-base-is-moof
        base = moof_offset
    default_size = fields.get(0x10, tracks[track_id].sample_size)
    ranges: list[Run] = []
    position = base
    for box in boxes:
        if box[0] in ("sbgp", "sgpd", "saiz", "saio", "subs"):
            counted_fits(moof, box, f"the {box[0]} box of {where}")
        if box[0] == "trun":
            position, run = _run(moof, box, base, position, default_size, f"{where}, track {track_id}")
            ranges.append(run)
    return position, track_id, ranges


def _run(
    moof: bytes, trun: Child, base: int, position: int, default_size: int, where: str
) -> tuple[int, Run]:
    _, at, end = trun
    flags = u32(moof, at, end, "trun") & 0xFFFFFF
    optional = 4 * (bool(flags & 0x01) + bool(flags & 0x04))
    per_sample = 4 * sum(bool(flags & flag) for flag in _TRUN_SAMPLE_FIELDS)
    count, entries = table(moof, trun, f"the trun box of {where}", per_sample, skip=0)
    entries += optional
    if entries + count * per_sample > end:
        raise IndexBroken(f"{count:,} samples do not fit in the trun box of {where}")
    start = base + i32(moof, at + 8, end, "trun") if flags & 0x01 else position
    if flags & 0x200:
        values = uints(moof, entries, count * (per_sample // 4), 4)
        column = sum(bool(flags & flag) for flag in _TRUN_SAMPLE_FIELDS if flag < 0x200)
        sizes = values[column :: per_sample // 4]
        first_size = sizes[0] if count else 0
        size = sum(sizes)
        smallest = min(sizes) if count else 1
    else:
        first_size = smallest = default_size
        size = count * default_size
    if count and smallest == 0:  # ffprobe refuses the whole file ("error reading header")
        raise IndexBroken(f"a sample of 0 bytes in the trun box of {where}")
    return start + size, Run(start, start + size, first_size if count else None)


@dataclass(frozen=True, slots=True)
class Run:
    """The bytes of one trun's samples, and the size of its first sample (None: no sample)."""

    start: int
    end: int
    first_size: int | None
