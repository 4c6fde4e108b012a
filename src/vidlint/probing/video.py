"""The audio/video path: box layout (ISO BMFF), MediaInfo through the index window, ffprobe when needed."""

from __future__ import annotations

import subprocess
import time
from dataclasses import replace

from vidlint.model.facts import MediaFacts
from vidlint.probing import assemble, boxes, ffprobe, mediainfo
from vidlint.probing.assemble import Source
from vidlint.probing.parts import StreamPart, one_line
from vidlint.probing.reading import SeekableReader, read_at
from vidlint.probing.sniff import Sniff
from vidlint.probing.window import IndexWindow

INDEX_BUDGET = 32 * 1024 * 1024  # ISO BMFF: ftyp + moov (+ moof...) of a long video, never its mdat
HEAD_BUDGET = 1024 * 1024  # other containers: MediaInfo sees at most this much of the file
FFPROBE_TIMEOUT_S = 10.0


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
    part = _mediainfo(reader, size, head, layout)
    backend = "mediainfo"
    if _wants_second_opinion(sniffed, layout, part):
        ffprobe_source: str | bytes = local_path if local_path else read_at(reader, 0, min(size, HEAD_BUDGET))
        part = merge(part, _ffprobe(ffprobe_source, deadline_s))
        backend = "mediainfo+ffprobe"
    return assemble.video(source, sniffed, layout, part, backend)


def _mediainfo(reader: SeekableReader, size: int, head: bytes, layout: boxes.Layout | None) -> StreamPart:
    if not mediainfo.available():
        return StreamPart(error="mediainfo unavailable: libmediainfo could not be loaded")
    window = IndexWindow(
        reader,
        size,
        budget=INDEX_BUDGET if layout else HEAD_BUDGET,
        head=head,
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
    """MediaInfo missed the picture or the duration of something that looks like video."""
    if layout is not None and layout.moov is None:
        return False  # no index: there is nothing more to find without reading the data
    recognised_but_empty = part.container is not None and not part.audio  # e.g. NUT: MediaInfo names it only
    looks_like_video = (
        sniffed.video_container or (sniffed.content_type or "").startswith("video/") or recognised_but_empty
    )
    return looks_like_video and (not part.has_picture or part.duration_s is None)


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
    )
