"""ffprobe backend, the second opinion: a subprocess with read limits and a timeout.

Called only when MediaInfo could not read a file that looks like video. ffmpeg-python's ``probe``
cannot time out, so the command is run here directly; the input is a local path (``file:`` so that
a name is never taken for a protocol) or the first bytes of a stream on stdin.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

from vidlint.model.facts import AudioTrack, VideoTrack
from vidlint.probing import codecs, profiles
from vidlint.probing.numbers import clockwise_degrees, positive, to_float, to_int
from vidlint.probing.parts import StreamPart, one_line

# At most 1 MiB of packets (what a stream is given on stdin, HEAD_BUDGET) and 2 s of them: ffprobe
# reads the index, then packets only until every stream's parameters are known.
_LIMITS = ("-probesize", "1048576", "-analyzeduration", "2000000")
# Matroska and WebM share a demuxer; the EBML DocType read by the sniffer tells them apart.
_CONTAINERS = {"matroska,webm": "matroska", "mpegts": "mpegts", "avi": "avi", "flv": "flv", "ogg": "ogg"}


def command(source: str | None) -> list[str]:
    target = "pipe:0" if source is None else "file:" + source
    return ["ffprobe", "-v", "error", "-of", "json", "-show_format", "-show_streams", *_LIMITS, "-i", target]


def run(source: str | bytes, timeout_s: float) -> str:
    """ffprobe's JSON report on a path, or on bytes given on stdin."""
    path, data = (None, source) if isinstance(source, bytes) else (source, None)
    result = subprocess.run(command(path), input=data, capture_output=True, timeout=timeout_s, check=False)
    return result.stdout.decode("utf-8", "replace")


def parse(text: str) -> StreamPart:
    try:
        report = json.loads(text)
    except ValueError as exc:
        return StreamPart(error=one_line(f"ffprobe: unreadable report ({exc})"))
    if not isinstance(report, dict):
        return StreamPart(error="ffprobe: unreadable report")
    streams = [s for s in report.get("streams") or [] if isinstance(s, dict)]
    fmt = report.get("format")
    fmt = fmt if isinstance(fmt, dict) else {}
    video = [(v, _id(s)) for s in streams if _is_picture_stream(s) and (v := _video(s)) is not None]
    audio = [
        (AudioTrack(codec=codecs.ffprobe_codec(s.get("codec_name"))), _id(s))
        for s in streams
        if s.get("codec_type") == "audio"
    ]
    return StreamPart(
        container=_container(fmt.get("format_name")),
        duration_s=positive(to_float(fmt.get("duration"))) or _longest(streams),
        video=tuple(v for v, _ in video),
        audio=tuple(a for a, _ in audio),
        video_ids=tuple(i for _, i in video),
        audio_ids=tuple(i for _, i in audio),
    )


def _id(stream: dict[str, Any]) -> int | None:
    """The container's track id, which ffprobe prints in hexadecimal ("0x1")."""
    value = stream.get("id")
    try:
        return int(value, 16) if isinstance(value, str) and value.startswith("0x") else None
    except ValueError:
        return None


def _is_picture_stream(stream: dict[str, Any]) -> bool:
    disposition = stream.get("disposition")
    cover = isinstance(disposition, dict) and disposition.get("attached_pic") == 1
    return stream.get("codec_type") == "video" and not cover


def _container(name: Any) -> str | None:
    if not isinstance(name, str) or not name:
        return None
    if name.startswith("mov,mp4"):
        return None  # ffprobe cannot tell MP4 from QuickTime: the ftyp brand decides
    return _CONTAINERS.get(name, name.split(",")[0])


def _longest(streams: list[dict[str, Any]]) -> float | None:
    durations = [positive(to_float(s.get("duration"))) for s in streams]
    return max((d for d in durations if d is not None), default=None)


def _video(stream: dict[str, Any]) -> VideoTrack | None:
    # width/height are the picture; coded_width/coded_height include padding (1088 for 1080p H.264)
    width, height = to_int(stream.get("width")), to_int(stream.get("height"))
    if width is None or height is None or width < 0 or height < 0:
        return None
    return VideoTrack(
        codec=codecs.ffprobe_codec(stream.get("codec_name")),
        stored_width=width,
        stored_height=height,
        sample_aspect_ratio=_sample_aspect_ratio(stream.get("sample_aspect_ratio")),
        sample_aspect_exact=_exact_ratio(stream.get("sample_aspect_ratio")),
        rotation_cw=_rotation_cw(stream),
        frame_rate=_frame_rate(stream),
        profile=profiles.profile_name(stream.get("profile")),
        bit_depth=_bit_depth(stream.get("bits_per_raw_sample")),
        hdr_transfer=profiles.transfer_from_ffprobe(stream.get("color_transfer")),
    )


def _bit_depth(value: object) -> int | None:
    depth = to_int(value)
    return depth if depth is not None and 1 <= depth <= 32 else None


def _frame_rate(stream: dict[str, Any]) -> float | None:
    average = positive(to_float(stream.get("avg_frame_rate")))
    return average or positive(to_float(stream.get("r_frame_rate")))


def _sample_aspect_ratio(text: Any) -> float:
    value = positive(to_float(str(text).replace(":", "/"))) if isinstance(text, str) else None
    return round(value, 6) if value else 1.0


def _exact_ratio(text: Any) -> str | None:
    """ffprobe's "4:3" as it is ("h:v", both positive), None for "0:1", "N/A" or garbage."""
    if not isinstance(text, str):
        return None
    num, _, den = text.partition(":")
    return f"{int(num)}:{int(den)}" if num.isdigit() and den.isdigit() and int(num) and int(den) else None


def _rotation_cw(stream: dict[str, Any]) -> int:
    """The display matrix as degrees clockwise.

    ffprobe's side data gives it counter-clockwise and signed; the legacy ``rotate`` tag of older
    ffprobe versions was already clockwise.
    """
    for side in stream.get("side_data_list") or []:
        if isinstance(side, dict) and "rotation" in side:
            ccw = to_float(side.get("rotation"))
            return clockwise_degrees(-ccw if ccw is not None else None)
    tags = stream.get("tags")
    return clockwise_degrees(to_float(tags.get("rotate")) if isinstance(tags, dict) else None)
