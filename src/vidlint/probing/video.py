"""The audio/video path: box layout and sample tables (ISO BMFF), MediaInfo through the index window,
ffprobe when needed."""

from __future__ import annotations

import subprocess
import time
from dataclasses import replace

from vidlint.model.facts import MediaFacts, VideoTrack
from vidlint.probing import assemble, boxes, codecs, ffprobe, index, mediainfo
from vidlint.probing.assemble import Source
from vidlint.probing.parts import StreamPart, one_line
from vidlint.probing.reading import SeekableReader, read_at
from vidlint.probing.sniff import Sniff
from vidlint.probing.window import IndexWindow

INDEX_BUDGET = 32 * 1024 * 1024  # ISO BMFF: ftyp + moov (+ moof...) of a long video, never its mdat
HEAD_BUDGET = 1024 * 1024  # other containers: MediaInfo sees at most this much of the file
FFPROBE_TIMEOUT_S = 10.0
MAX_FIRST_SAMPLE_NALS = 64  # NAL units of a first H.264 / HEVC sample walked (x264 writes 2 to ~10)
_UNNAMED = frozenset({"", "application/octet-stream"})  # libmagic does not know what it is
_MEDIA_APPLICATIONS = frozenset({"application/mxf", "application/ogg", "application/vnd.rn-realmedia"})
# What MediaInfo also names, without libmagic to say so first: archives and documents
_NOT_MEDIA = frozenset({"gzip", "zip", "bzip2", "xz", "7-zip", "rar", "ace", "tar", "pdf"})


def probe_video(
    reader: SeekableReader,
    source: Source,
    head: bytes,
    sniffed: Sniff,
    *,
    local_path: str | None,
    deadline_s: float | None,
) -> MediaFacts:
    size = source.size_bytes or 0
    layout = boxes.read_layout(reader, size) if sniffed.iso else None
    boxes_read = _read_index(reader, head, layout, size)
    report = None
    if layout is not None and boxes_read:
        moov_offset, moov = boxes_read[0]
        report = index.check(moov, moov_offset, size, boxes_read[1:], media=layout.data_ranges)
        if report.problem is None and report.truncation is None:
            report = replace(report, problem=_first_frame_problem(report, reader))
    if report is not None and report.problem is not None:
        # Nothing plays such a file, and its tables are what makes readers hang or allocate
        # gigabytes (an stts count of 2,751,463,425: MediaInfo spun past any time limit, ffprobe ran
        # out of memory): the problem is the whole answer.
        return assemble.video(source, sniffed, layout, StreamPart(error=report.problem), "index", report)
    part = _mediainfo(reader, size, head, layout, boxes_read)
    backend = "mediainfo"
    if _wants_second_opinion(sniffed, layout, part):
        ffprobe_source: str | bytes = local_path if local_path else read_at(reader, 0, min(size, HEAD_BUDGET))
        part = merge(part, _ffprobe(ffprobe_source, deadline_s))
        backend = "mediainfo+ffprobe"
    if report is not None:
        part = with_index(part, report, reader, size)
    return assemble.video(source, sniffed, layout, part, backend, report)


def _read_index(
    reader: SeekableReader, head: bytes, layout: boxes.Layout | None, size: int
) -> list[tuple[int, bytes]]:
    """(offset, bytes) of the moov box, then of every complete moof box, each read once: the index
    is checked here and MediaInfo is served the same bytes from memory. Empty without a moov, or
    when the index is larger than INDEX_BUDGET (MediaInfo then reads what it can, as before)."""
    moov = layout.moov if layout is not None else None
    if layout is None or moov is None:
        return []
    wanted = [moov, *(box for box in layout.boxes if box.kind == "moof" and box.end <= size)]
    if sum(box.size for box in wanted) > INDEX_BUDGET:
        return []
    return [(box.offset, _read_box(reader, head, box.offset, min(box.end, size))) for box in wanted]


def _read_box(reader: SeekableReader, head: bytes, start: int, end: int) -> bytes:
    if end <= len(head):
        return head[start:end]
    if start < len(head):
        return head[start:] + read_at(reader, len(head), end - len(head))
    return read_at(reader, start, end - start)


def _first_frame_problem(report: index.IndexReport, reader: SeekableReader) -> str | None:
    """Whether the first sample of each H.264 / HEVC track is made of whole NAL units: their length
    prefixes and headers, a few bytes each (MAX_FIRST_SAMPLE_NALS at most), the only media data the
    probe reads besides an MPEG audio frame header. A sample table whose first sample size or chunk
    offset is wrong, yet inside the file, passes every check of the index alone; ffprobe then decodes
    no first frame ("Invalid NAL unit size (6161 > 6053)")."""
    for track in report.tracks:
        width, offset, size = track.nal_length_size, track.first_sample_offset, track.first_sample_size
        if track.handler != "vide" or width is None or offset is None or not size:
            continue
        at, units = 0, 0
        for _ in range(MAX_FIRST_SAMPLE_NALS):
            if at + width >= size:
                break
            head = read_at(reader, offset + at, width + 1)
            length = int.from_bytes(head[:width], "big")
            if length == 0:  # zero padding, which decoders skip
                at += width
                continue
            if len(head) <= width or at + width + length > size or head[width] & 0x80:
                return (
                    f"broken index: the first sample of track {track.track_id} (vide), {size:,} bytes at byte"
                    f" {offset:,}, is not made of whole NAL units (one of {length:,} bytes at {at:,})"
                )
            at, units = at + width + length, units + 1
        if units == 0:
            return f"broken index: the first sample of track {track.track_id} (vide) holds no NAL unit"
    return None


def with_index(part: StreamPart, report: index.IndexReport, reader: SeekableReader, size: int) -> StreamPart:
    """What the sample tables say exactly, over the backend's reading: the pasp box's pixel aspect
    ratio (MediaInfo prints three decimals) and the layer of MPEG audio (MP4's object type 0x6B is any
    layer; the first frame's header, four bytes, tells)."""
    video = list(part.video)
    for i, track_id in enumerate(part.video_ids):
        found = report.track(track_id)
        if found is not None and i < len(video):
            video[i] = _with_track_index(video[i], found)
    audio = list(part.audio)
    for i, track_id in enumerate(part.audio_ids):
        found = report.track(track_id)
        if found is None or not found.mpeg_audio or i >= len(audio):
            continue
        offset, length = found.first_sample_offset, found.first_sample_size
        if offset is not None and length is not None and length >= 4 and offset + 4 <= size:
            layer = codecs.mpeg_audio_layer(read_at(reader, offset, 4))
            if layer is not None:
                audio[i] = replace(audio[i], codec=layer)
    return replace(part, video=tuple(video), audio=tuple(audio))


def _with_track_index(video: VideoTrack, found: index.TrackIndex) -> VideoTrack:
    """A video track with what its sample description and sample table say exactly; the backend's
    reading stays where they say nothing (a fragmented file's stts is empty, an unknown profile)."""
    if found.pixel_aspect is not None:
        h, v = found.pixel_aspect
        video = replace(video, sample_aspect_ratio=h / v, sample_aspect_exact=f"{h}:{v}")
    return replace(
        video,
        frame_rate=found.frame_rate or video.frame_rate,
        frame_rate_mode=found.frame_rate_mode or video.frame_rate_mode,
        profile=found.profile or video.profile,
        bit_depth=found.bit_depth or video.bit_depth,
        hdr_transfer=found.transfer or video.hdr_transfer,
    )


def _mediainfo(
    reader: SeekableReader,
    size: int,
    head: bytes,
    layout: boxes.Layout | None,
    index_boxes: list[tuple[int, bytes]],
) -> StreamPart:
    if not mediainfo.available():
        return StreamPart(error="mediainfo unavailable: libmediainfo could not be loaded")
    cached = list(index_boxes)
    if cached and cached[0][0] <= len(head):  # faststart: one contiguous head, the moov included
        offset, moov = cached.pop(0)
        if offset + len(moov) > len(head):
            head = head[:offset] + moov
    window = IndexWindow(
        reader,
        size,
        budget=INDEX_BUDGET if layout else HEAD_BUDGET,
        head=head,
        cached=cached,
        refused=layout.data_ranges if layout else (),
        last_index_offset=layout.last_index_offset if layout else -1,
    )
    try:
        part = mediainfo.parse(mediainfo.run(window))
    except RuntimeError as exc:  # pymediainfo's "the library failed": the second opinion takes over
        return StreamPart(error=one_line(f"mediainfo failed: {exc}"))
    if window.budget_exhausted:
        part = replace(part, truncated=False)  # MediaInfo met the end of our budget, not of the file
    return part


def _wants_second_opinion(sniffed: Sniff, layout: boxes.Layout | None, part: StreamPart) -> bool:
    """MediaInfo missed the picture or the duration of something that may be audio/video.

    Never for content that libmagic names as something else (an archive, a document, an image): a
    1 MB gzip file named .mp4 made ffprobe's game-music demuxer (libgme) inflate it, 813 MiB and
    ~1-4 s, for a file that cannot be a video. ffprobe's own limits cannot bound that: the
    demuxer's probe decompresses the whole stream whatever -probesize says."""
    if layout is not None and layout.moov is None:
        return False  # no index: there is nothing more to find without reading the data
    if not _may_be_media(sniffed, part):
        return False
    return not part.has_picture or part.duration_s is None


def _may_be_media(sniffed: Sniff, part: StreamPart) -> bool:
    content_type = sniffed.content_type or ""
    if sniffed.video_container or content_type.startswith("video/"):
        return True
    # A container MediaInfo names but reads no stream from (e.g. NUT), which libmagic does not name
    # either (or names as media): not a gzip, zip or PDF file that MediaInfo also has a name for.
    unnamed = content_type in _UNNAMED or content_type in _MEDIA_APPLICATIONS
    named = part.container is not None and part.container not in _NOT_MEDIA
    return unnamed and named and not part.audio


def _ffprobe(source: str | bytes, deadline_s: float | None) -> StreamPart:
    timeout_s = FFPROBE_TIMEOUT_S
    if deadline_s is not None:
        timeout_s = min(timeout_s, max(0.1, deadline_s - time.monotonic()))
    try:
        return ffprobe.parse(ffprobe.run(source, timeout_s))
    except subprocess.TimeoutExpired:
        return StreamPart(error=f"ffprobe timed out after {timeout_s:.1f} s")
    except OSError as exc:  # no ffprobe binary, or it could not start
        return StreamPart(error=one_line(f"ffprobe unavailable: {exc}"))


def merge(first: StreamPart, second: StreamPart) -> StreamPart:
    """MediaInfo's reading (``first``) where it has one, ffprobe's where it has not."""
    if first.has_picture:
        duration_s = first.duration_s or second.duration_s
        return replace(first, container=first.container or second.container, duration_s=duration_s)
    return StreamPart(
        container=first.container or second.container,
        duration_s=second.duration_s or first.duration_s,
        video=second.video,
        audio=second.audio or first.audio,
        truncated=first.truncated,
        error=second.error or first.error,
        video_ids=second.video_ids,
        audio_ids=second.audio_ids if second.audio else first.audio_ids,
    )
