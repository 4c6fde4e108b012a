"""The index of an ISO BMFF / QuickTime file (moov, and moof fragments), checked against the file it indexes.

A player finds every sample of a track through its sample table (``stbl``): the sample descriptions
(``stsd``), the sample count and durations (``stts``), the sizes (``stsz`` / ``stz2``), which
samples make each chunk (``stsc``) and where each chunk starts (``stco`` / ``co64``). A file whose
tables contradict each other, or whose chunks lie past its end, does not play, however complete its
header looks: a faststart file cut right after its moov, a chunk offset pointing past the end, a
zeroed sample description or a sample count of 0x7fffffff. ffprobe says "Invalid data", "error
reading header" or "partial file" for those; MediaInfo still reports a picture and a duration (or
spins on the table for as long as it is allowed to).

What is checked, per track: the headers (tkhd, mdhd, hdlr) with a known version and a time scale;
the data references (the media must be in this file); a sample description with the decoder
configuration its type needs (``configs``); every table's count fits its box; the stts and stsz
boxes count the same samples, and the chunks of the stsc runs hold exactly that many, each run
naming a sample description that exists; the edit list shows something; every chunk (its offset
plus the sizes of its samples) lies outside the moov box and inside the file. Fragments are checked
the same way (``fragments``).

Reads nothing: it is given the bytes of the moov (and moof) boxes, which the probe reads once and
then serves to MediaInfo from memory, and the file's size. The same walk collects what MediaInfo
cannot say exactly from the header: a video track's pixel aspect ratio (``pasp``, two integers,
where MediaInfo prints three decimals) and an MPEG audio track's object type, with the offset of
its first sample so that the caller can read the layer from the first frame header (four bytes).
"""

from __future__ import annotations

import struct
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import accumulate, chain, compress, repeat
from operator import add, lt, mul, sub
from typing import Literal

from vidlint.probing import configs, fragments, profiles
from vidlint.probing.bmff import (
    Child,
    IndexBroken,
    children,
    counted_fits,
    find,
    first,
    header,
    table,
    u16,
    u32,
    u64,
    uints,
    version,
)

MAX_SAMPLE_ENTRIES = 1024  # ffmpeg refuses more sample descriptions ("invalid STSD entries")
MPEG_AUDIO_OBJECT_TYPES = frozenset({0x69, 0x6B})  # MPEG-2 and MPEG-1 audio: any layer (I, II or III)
_MPEG_AUDIO_ENTRIES = frozenset({".mp3", ".mp2", ".mp1"})  # QuickTime's own MPEG audio sample entries
_MVHD = {0: 100, 1: 112}  # version -> payload bytes
_TKHD = {0: 84, 1: 96}
_MDHD = {0: 24, 1: 36}
_SAMPLE_TABLES = ("stts", "stsc")  # with stsz or stz2, stco or co64: what every sample table holds
_COUNTED = frozenset({"stss", "stps", "ctts", "sbgp", "sgpd", "saiz", "saio", "subs"})  # other tables


@dataclass(frozen=True, slots=True)
class TrackIndex:
    """What the index says about one track, beyond MediaInfo's reading."""

    track_id: int | None
    handler: str | None  # "vide", "soun", "text", ...
    codec_tag: str | None  # the first sample description's four-character code ("avc1", "mp4a", ...)
    object_type: int | None = None  # esds objectTypeIndication (0x40 AAC, 0x6B MPEG-1 audio, ...)
    pixel_aspect: tuple[int, int] | None = None  # pasp: hSpacing, vSpacing
    nal_length_size: int | None = None  # H.264 / HEVC: bytes of the length before each NAL unit
    sample_descriptions: int = 1
    sample_count: int = 0
    first_sample_offset: int | None = None
    first_sample_size: int | None = None
    truncation: str | None = None  # the first chunk of this track that lies past the end of the file
    profile: str | None = None  # the decoder configuration's (avcC, hvcC, av1C)
    bit_depth: int | None = None
    transfer: profiles.Transfer | None = None  # colr box, else the H.264 VUI
    timing: Timing | None = None  # None: no samples in the moov (a fragmented file)
    edits: bool = False  # its edit list changes what plays (MediaFacts.edit_list)

    @property
    def frame_rate(self) -> float | None:
        """Samples per second, on average over the sample table (stts): a video track's frame rate."""
        return self.timing.rate if self.timing is not None else None

    @property
    def frame_rate_mode(self) -> Literal["constant", "variable"] | None:
        return self.timing.mode if self.timing is not None else None

    @property
    def mpeg_audio(self) -> bool:
        """MPEG-1/2 audio, whose layer (I, II or III) only its frames tell."""
        return self.object_type in MPEG_AUDIO_OBJECT_TYPES or self.codec_tag in _MPEG_AUDIO_ENTRIES


@dataclass(frozen=True, slots=True)
class IndexReport:
    tracks: tuple[TrackIndex, ...] = ()
    problem: str | None = None  # why the index cannot be played: the file is not readable
    truncation: str | None = None  # why the media data is shorter than the index says

    def track(self, track_id: int | None) -> TrackIndex | None:
        return next((t for t in self.tracks if track_id is not None and t.track_id == track_id), None)

    @property
    def edit_list(self) -> bool | None:
        """Whether a track's edit list changes what plays; None when the index could not be read."""
        return None if self.problem is not None else any(t.edits for t in self.tracks)


def check(
    moov: bytes,
    moov_offset: int,
    file_size: int,
    moofs: Sequence[tuple[int, bytes]] = (),
    *,
    media: Sequence[tuple[int, int]] | None = None,
) -> IndexReport:
    """The tracks of ``moov`` (the whole box, header included, read at ``moov_offset``) and whether
    the index (with the ``moofs``: offset and bytes of each moof box) is consistent with itself and
    with a file of ``file_size`` bytes whose media data (mdat payloads) lies in the ``media`` byte
    ranges (None: unknown, only the file's size and the moov's place are checked)."""
    where_data = MediaData(moov_offset, moov_offset + len(moov), file_size, media)
    tracks: list[TrackIndex] = []
    try:
        box = _moov_box(moov)
        found = list(children(moov, box[1], box[2], "the moov box"))
        mvhd = first(found, "mvhd")
        if mvhd is None:
            raise IndexBroken("no movie header (mvhd)")
        version(moov, mvhd, "the movie header (mvhd)", _MVHD)
        if not 0 < _timescale(moov, mvhd) < 2**31:  # ffmpeg reads it signed: "Invalid mvhd time scale"
            raise IndexBroken(f"the movie header's time scale is {_timescale(moov, mvhd):,}")
        mvex = first(found, "mvex")
        fragmented = mvex is not None or bool(moofs)
        traks = [child for child in found if child[0] == "trak"]
        movie_scale = _timescale(moov, mvhd)
        for number, trak in enumerate(traks, start=1):
            tracks.append(_track(moov, trak, number, where_data, fragmented, movie_scale))
        if not tracks:
            raise IndexBroken("no track (trak) in the moov box")
        truncation = next((t.truncation for t in tracks if t.truncation), None)
        if moofs:
            if mvex is None:
                raise IndexBroken("movie fragments (moof) without their defaults (mvex) in the moov box")
            descriptions = {t.track_id: t.sample_descriptions for t in tracks if t.track_id is not None}
            defaults = fragments.defaults(moov, mvex, "the mvex box", descriptions)
            past_the_end, firsts = fragments.check(moofs, defaults, where_data)
            truncation = truncation or past_the_end
            tracks = [_with_first_sample(t, firsts) for t in tracks]
        elif not fragmented and not any(t.sample_count for t in tracks):
            raise IndexBroken("no track has any sample")
    except IndexBroken as exc:
        return IndexReport(tuple(tracks), problem=f"broken index: {exc}")
    return IndexReport(tuple(tracks), truncation=f"truncated: {truncation}" if truncation else None)


def _with_first_sample(track: TrackIndex, firsts: dict[int, tuple[int, int]]) -> TrackIndex:
    """A track of a fragmented file, with where its first sample lies (in the first fragment of it)."""
    found = firsts.get(track.track_id) if track.track_id is not None else None
    if track.first_sample_offset is not None or found is None:
        return track
    return replace(track, first_sample_offset=found[0], first_sample_size=found[1])


def _moov_box(moov: bytes) -> Child:
    """The moov box, its end clamped to the bytes there are (a moov cut short is reported as the
    truncation it is; what is left of it is still checked)."""
    box = header(moov, 0, len(moov))
    if box is None or box[0] != "moov":
        raise IndexBroken("the moov box header is malformed")
    return box[0], box[1], min(box[2], len(moov))


def _timescale(data: bytes, box: Child) -> int:
    """The time scale of an mvhd or mdhd box (version 0: 32-bit times, version 1: 64-bit)."""
    _, payload, end = box
    return u32(data, payload + (20 if data[payload] == 1 else 12), end, f"the {box[0]} box")


def _duration(data: bytes, box: Child) -> int:
    """The duration of an mdhd box, in its time scale (all ones: unknown)."""
    _, payload, end = box
    if data[payload] == 1:
        value = u64(data, payload + 24, end, "the mdhd box")
        return 0 if value == 2**64 - 1 else value
    value = u32(data, payload + 16, end, "the mdhd box")
    return 0 if value == 2**32 - 1 else value


# --- one track --------------------------------------------------------------------------------


def _track(
    data: bytes, trak: Child, number: int, where_data: MediaData, fragmented: bool, movie_scale: int
) -> TrackIndex:
    where = f"track {number}"
    found = _kinds(data, trak, where)
    tkhd = found.get("tkhd")
    if tkhd is None:
        raise IndexBroken(f"{where} has no track header (tkhd)")
    tkhd_version = version(data, tkhd, f"the track header of {where}", _TKHD)
    track_id = u32(data, tkhd[1] + (20 if tkhd_version == 1 else 12), tkhd[2], "tkhd")
    where = f"track {track_id}"
    mdia = _kinds(data, found["mdia"], where) if "mdia" in found else {}
    hdlr, mdhd = mdia.get("hdlr"), mdia.get("mdhd")
    if hdlr is None or mdhd is None or hdlr[2] - hdlr[1] < 12:
        raise IndexBroken(f"{where} has no media header or handler (mdia: mdhd, hdlr)")
    handler = data[hdlr[1] + 8 : hdlr[1] + 12].decode("latin-1")
    if handler.isprintable() and handler.strip():
        where = f"track {track_id} ({handler.strip()})"
    version(data, mdhd, f"the media header of {where}", _MDHD)
    if not 0 < _timescale(data, mdhd) < 2**31:  # ffmpeg reads it signed: "Invalid mdhd time scale"
        raise IndexBroken(f"{where}: the media time scale is {_timescale(data, mdhd):,}")
    minf = _kinds(data, mdia["minf"], where) if "minf" in mdia else {}
    if "stbl" not in minf:
        raise IndexBroken(f"{where} has no sample table (stbl)")
    dinf = minf.get("dinf")
    references = _data_references(data, find(data, dinf, where, "dref") if dinf else None, where)
    tables = _kinds(data, minf["stbl"], where)
    tag, entry, entries = _sample_descriptions(data, tables.get("stsd"), references, where)
    facts = configs.check_entry(data, tag, entry, handler, where)
    track = TrackIndex(
        track_id,
        handler,
        tag,
        object_type=facts.object_type,
        pixel_aspect=facts.pixel_aspect,
        nal_length_size=facts.nal_length_size,
        sample_descriptions=entries,
        profile=facts.profile,
        bit_depth=facts.bit_depth,
        transfer=facts.transfer,
    )
    track = _samples(data, tables, where, track, entries, where_data, _timescale(data, mdhd))
    edts = found.get("edts")
    elst = find(data, edts, where, "elst") if edts is not None else None
    if elst is not None:
        edits = _edit_entries(data, elst, f"the edit list of {where}")
        _edits(edits, f"the edit list of {where}", _duration(data, mdhd), fragmented)
        track = replace(track, edits=_edits_change(edits, track.timing, movie_scale))
    return track


def _kinds(data: bytes, box: Child, where: str) -> dict[str, Child]:
    """The children of ``box`` by type (the first of each type)."""
    found: dict[str, Child] = {}
    for child in children(data, box[1], box[2], where):
        found.setdefault(child[0], child)
    return found


def _data_references(data: bytes, dref: Child | None, where: str) -> list[bool] | None:
    """For each data reference, whether the media is in this file (flag 1); None without a dref box."""
    if dref is None:
        return None
    what = f"the data references (dref) of {where}"
    count, at = table(data, dref, what, 12)
    if count == 0:
        raise IndexBroken(f"{what} are empty")
    local = []
    for _ in range(count):
        entry = children(data, at, dref[2], what, strict=True)
        kind, start, end = next(entry, None) or ("", at, at)
        if end - start < 4:
            raise IndexBroken(f"{what}: a {kind or 'missing'} entry of {end - start + 8} bytes")
        local.append(bool(u32(data, start, end, what) & 1))
        at = end
    return local


def _sample_descriptions(
    data: bytes, stsd: Child | None, references: list[bool] | None, where: str
) -> tuple[str, Child, int]:
    """(type, box, count) of the track's first sample description; every description must be a box
    that fits, whose data reference (when the track has a dref box) is in this file."""
    if stsd is None:
        raise IndexBroken(f"{where} has no sample description (stsd)")
    what = f"the sample descriptions (stsd) of {where}"
    count, at = table(data, stsd, what, 8)
    if not 1 <= count <= MAX_SAMPLE_ENTRIES:
        raise IndexBroken(f"{what}: {count:,} of them")
    first_entry: tuple[str, Child] | None = None
    for _ in range(count):
        size = u32(data, at, stsd[2], what)
        raw = data[at + 4 : at + 8]
        if size < 16 or at + size > stsd[2] or raw == bytes(4):
            raise IndexBroken(f"{what}: an entry of {size:,} bytes, type {raw!r}")
        reference = u16(data, at + 14, stsd[2], what)
        if references is not None and not (1 <= reference <= len(references) and references[reference - 1]):
            raise IndexBroken(f"{what}: its media is not in this file (data reference {reference})")
        if first_entry is None:
            tag = raw.decode("latin-1")
            first_entry = tag, (tag, at + 8, at + size)
        at += size
    assert first_entry is not None
    return first_entry[0], first_entry[1], count


Edit = tuple[int, int, int]  # segment duration (movie time scale), media time, rate (16.16 fixed point)


def _edit_entries(data: bytes, elst: Child, what: str) -> list[Edit]:
    elst_version = version(data, elst, what, {0: 8, 1: 8})
    size = 20 if elst_version == 1 else 12
    count, at = table(data, elst, what, size)  # the entries fit in the box: unpacked in one go
    return list(struct.iter_unpack(">Qqi" if elst_version == 1 else ">Iii", data[at : at + count * size]))


def _edits(edits: list[Edit], what: str, media_duration: int, fragmented: bool) -> None:
    """An edit list must show some of the media: an edit with a duration (not needed in a fragmented
    file) whose media time is in the track; media time -1 is an empty edit. (The rate is not judged:
    0 is QuickTime's still frame, and ffmpeg plays every rate at 1.)"""
    shows = False
    for duration, media_time, _ in edits:
        if media_time < -1:
            raise IndexBroken(f"{what}: an edit starts at media time {media_time}")
        in_track = media_time >= 0 and (media_duration == 0 or media_time < media_duration)
        shows = shows or (in_track and (duration > 0 or fragmented))
    if not shows:  # no edits at all, only empty ones, or none in the media: ffmpeg shows no frame
        raise IndexBroken(f"{what} shows none of its media")


def _edits_change(edits: list[Edit], timing: Timing | None, movie_scale: int) -> bool:
    """Whether the edit list changes what plays (MediaFacts.edit_list): anything but one edit at rate
    1 that starts no later in the media than the encoder delay (AAC priming, the composition offset
    of B-frames: the first sample's duration or composition offset) and, when the track's samples are
    in the moov and the edit has a duration, does not end before the media's last sample starts."""
    if len(edits) != 1:
        return True
    duration, media_time, rate = edits[0]
    if rate != 0x10000 or media_time < 0:
        return True
    if timing is None:  # a fragmented file: its samples (their start and end) are in the fragments
        return False
    if media_time > timing.encoder_delay:
        return True
    if not duration:
        return False
    shown_end = media_time + duration * timing.scale / movie_scale
    return shown_end < timing.total - timing.last


@dataclass(frozen=True, slots=True)
class Timing:
    """A track's sample durations (stts), in its media time scale."""

    scale: int
    samples: int
    total: int  # the sum of every sample's duration
    last: int  # the last sample's duration
    encoder_delay: int  # the first sample's duration, or its composition offset when larger
    variable: bool

    @property
    def rate(self) -> float | None:
        return self.samples * self.scale / self.total if self.total else None

    @property
    def mode(self) -> Literal["constant", "variable"]:
        return "variable" if self.variable else "constant"


_FIRST_RUNS = 256  # variable frame rate shows in the first runs: most tables need no full pass


def _timing(runs: array[int], samples: int, scale: int, first_offset: int) -> Timing:
    """The timing of a track of ``samples`` samples from its stts runs (count, duration; already
    checked to fit and to count those samples) and its first composition offset (ctts). Variable:
    two sample durations differ by more than one tick of the time scale (a 29.97 fps track at a
    1/1000 scale alternates 33 and 34), the last sample left out (muxers write its duration from
    the stream's end). Each pass over the runs runs in C (an hour of variable frame rate has
    ~100,000 of them), and the durations are looked at whole only when the first runs look constant."""
    counts, deltas = runs[0::2], runs[1::2]
    if 0 in counts:  # a run of no sample says nothing about durations
        deltas = array(deltas.typecode, compress(deltas, counts))
        counts = array(counts.typecode, compress(counts, counts))
    body = deltas[:-1] if counts[-1] == 1 and len(deltas) > 1 else deltas
    seen = set(body[:_FIRST_RUNS])
    if max(seen) - min(seen) <= 1 and len(body) > _FIRST_RUNS:
        seen = set(body)
    return Timing(
        scale,
        samples=samples,
        total=sum(deltas) if samples == len(counts) else sum(map(mul, counts, deltas)),
        last=deltas[-1],
        encoder_delay=max(deltas[0], first_offset),
        variable=max(seen) - min(seen) > 1,
    )


def _first_composition_offset(data: bytes, ctts: Child | None) -> int:
    """The composition offset of the first sample (version 1 offsets are signed); 0 without one."""
    if ctts is None or ctts[2] - ctts[1] < 16 or not int.from_bytes(data[ctts[1] + 4 : ctts[1] + 8], "big"):
        return 0
    offset = int.from_bytes(data[ctts[1] + 12 : ctts[1] + 16], "big", signed=data[ctts[1]] == 1)
    return max(offset, 0)


# --- the sample tables ------------------------------------------------------------------------


def _samples(
    data: bytes,
    tables: dict[str, Child],
    where: str,
    track: TrackIndex,
    descriptions: int,
    where_data: MediaData,
    scale: int,
) -> TrackIndex:
    chunk_kind = "stco" if "stco" in tables else "co64"
    size_kind = "stsz" if "stsz" in tables else "stz2"
    missing = [kind for kind in (*_SAMPLE_TABLES, size_kind, chunk_kind) if kind not in tables]
    if missing:
        raise IndexBroken(f"{where} has no {' / '.join(missing)} box")
    for kind, box in tables.items():
        if kind in _COUNTED:
            counted_fits(data, box, f"the {kind} box of {where}")
    stts_count, stts_at = table(data, tables["stts"], f"the stts box of {where}", 8)
    stsc_count, stsc_at = table(data, tables["stsc"], f"the stsc box of {where}", 12)
    width = 8 if chunk_kind == "co64" else 4
    chunk_count, chunk_at = table(data, tables[chunk_kind], f"the {chunk_kind} box of {where}", width)
    sample_size, sample_count, sizes = _sizes(data, tables[size_kind], where)
    durations = uints(data, stts_at, stts_count * 2, 4)  # runs of (sample count, sample duration)
    timed = sum(durations[::2])
    if timed != sample_count:
        raise IndexBroken(
            f"{where}: the stts box times {timed:,} samples, the {size_kind} box has {sample_count:,}"
        )
    if sample_count == 0 and chunk_count == 0:
        return track  # an empty track (a fragmented file keeps its samples in the fragments)
    if chunk_count == 0 or stsc_count == 0 or sample_count == 0:
        raise IndexBroken(f"{where}: {sample_count:,} samples in {chunk_count:,} chunks")
    runs = uints(data, stsc_at, stsc_count * 3, 4)
    per_chunk = _chunk_samples(runs, chunk_count, descriptions, where)
    if sum(per_chunk) != sample_count:
        raise IndexBroken(f"{where}: its chunks hold {sum(per_chunk):,} samples, not {sample_count:,}")
    offsets = uints(data, chunk_at, chunk_count, width)
    truncation = _check_chunks(offsets, per_chunk, sample_size, sizes, where, where_data)
    first_offset, first_size = offsets[0], sample_size
    if sizes is not None:  # the first sample with data: empty ones before it share its offset
        first = next((i for i, size in enumerate(sizes) if size), None)
        if first is not None:
            chunk = bisect_right(list(accumulate(per_chunk)), first)
            first_offset, first_size = offsets[chunk], sizes[first]
    return replace(
        track,
        sample_count=sample_count,
        first_sample_offset=first_offset,
        first_sample_size=first_size,
        truncation=truncation,
        timing=_timing(durations, sample_count, scale, _first_composition_offset(data, tables.get("ctts"))),
    )


def _sizes(data: bytes, box: Child, where: str) -> tuple[int, int, array[int] | None]:
    """(constant sample size or 0, sample count, the sizes when they vary) of an stsz or stz2 box."""
    kind, start, end = box
    what = f"the {kind} box of {where}"
    if kind == "stsz":
        sample_size = u32(data, start + 4, end, what)
        if sample_size:
            return sample_size, u32(data, start + 8, end, what), None
        count, at = table(data, box, what, 4, skip=4)
        return 0, count, uints(data, at, count, 4)
    field_size = u32(data, start + 4, end, what) & 0xFF
    count = u32(data, start + 8, end, what)
    if field_size not in (4, 8, 16) or 12 + (count * field_size + 7) // 8 > end - start:
        raise IndexBroken(f"{count:,} sample sizes of {field_size} bits do not fit in {what}")
    raw = data[start + 12 : end]
    if field_size == 16:
        return 0, count, array("I", uints(raw, 0, count, 2))
    if field_size == 8:
        return 0, count, array("I", list(raw[:count]))
    return 0, count, array("I", [(raw[i // 2] >> (0 if i % 2 else 4)) & 0xF for i in range(count)])


def _chunk_samples(runs: array[int], chunk_count: int, descriptions: int, where: str) -> list[int]:
    """Samples in each chunk, from the sample-to-chunk runs (first chunk, samples per chunk,
    description index). Built with C-level iteration: an hour of video has ~10,000 runs."""
    firsts, counts, indexes = runs[0::3].tolist(), runs[1::3].tolist(), runs[2::3]
    if firsts[0] != 1 or not all(map(lt, firsts, firsts[1:])):
        raise IndexBroken(f"{where}: the chunks of its stsc runs do not start at 1 and increase")
    if min(indexes) < 1 or max(indexes) > descriptions:
        raise IndexBroken(f"{where}: an stsc run names a sample description it does not have")
    used = bisect_right(firsts, chunk_count)  # a run after the last chunk describes nothing (ffmpeg agrees)
    firsts, counts = firsts[:used], counts[:used]
    spans = list(map(sub, [*firsts[1:], chunk_count + 1], firsts))
    return list(chain.from_iterable(map(repeat, counts, spans)))


def _check_chunks(
    offsets: array[int],
    per_chunk: list[int],
    sample_size: int,
    sizes: array[int] | None,
    where: str,
    where_data: MediaData,
) -> str | None:
    """Every chunk (its offset plus the sizes of its samples) lies inside the media data (else
    IndexBroken) and inside the file (else: which chunk is the first to end past it)."""
    if sizes is None:
        lengths = list(map(mul, per_chunk, repeat(sample_size)))
    else:
        prefix = list(accumulate(sizes, initial=0))
        at = list(map(prefix.__getitem__, accumulate(per_chunk, initial=0)))
        lengths = list(map(sub, at[1:], at))
    ends = list(map(add, offsets, lengths))
    if where_data.holds_all(min(offsets), max(ends)):
        return None  # the usual case (one mdat holds every chunk): no loop in Python
    past_the_end = None
    for number, (offset, end) in enumerate(zip(offsets, ends, strict=True), start=1):
        problem = where_data.problem(offset, end)
        if problem == "past":
            past = end - where_data.file_size
            past_the_end = past_the_end or (
                f"chunk {number} of {where}, at byte {offset:,}, ends {past:,} bytes past the end of the file"
            )
        elif problem:
            raise IndexBroken(f"chunk {number} of {where}, at byte {offset:,}, {problem}")
    return past_the_end


class MediaData:
    """Where samples may lie: inside the file, and inside its media data boxes (mdat) when they are
    known, else anywhere but the moov box."""

    def __init__(
        self, index_start: int, index_end: int, file_size: int, media: Sequence[tuple[int, int]] | None
    ) -> None:
        self.index = (index_start, index_end)
        self.file_size = file_size
        self.media = sorted(media) if media is not None else None
        self._starts = [start for start, _ in self.media] if self.media is not None else []

    def holds_all(self, start: int, end: int) -> bool:
        """Whether [start, end) is all media data of the file (so every chunk in it is)."""
        if end > self.file_size or start < 0:
            return False
        if self.media is None:
            return start >= self.index[1] or end <= self.index[0]
        at = bisect_right(self._starts, start) - 1
        return at >= 0 and end <= self.media[at][1]

    def problem(self, start: int, end: int) -> str | None:
        """None for data where it may be; "past" when it ends past the end of the file; else why not."""
        if start < 0:
            return "starts before the file"
        if end > self.file_size:
            return "past"
        if end == start:
            return None
        if self.media is None:
            inside = start < self.index[1] and end > self.index[0]
            return "lies inside the moov box" if inside else None
        at = bisect_right(self._starts, start) - 1
        if at < 0 or end > self.media[at][1]:
            return "is not inside a media data box (mdat)"
        return None
