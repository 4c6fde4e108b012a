"""MediaInfo backend (pymediainfo, in process): JSON output in, a typed StreamPart out."""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from vidlint.model.facts import AudioTrack, VideoTrack
from vidlint.probing import codecs, profiles
from vidlint.probing.numbers import clockwise_degrees, positive, simplest_ratio, to_float, to_int
from vidlint.probing.parts import StreamPart, one_line
from vidlint.probing.reading import SeekableReader

if TYPE_CHECKING:
    from pymediainfo import MediaInfo as MediaInfoType

BUFFER_BYTES = 64 * 1024

_CONTAINERS = {
    "matroska": "matroska",
    "webm": "webm",
    "avi": "avi",
    "mpeg-ts": "mpegts",
    "mpeg-ps": "mpeg-ps",
    "flash video": "flv",
    "ogg": "ogg",
    "quicktime": "mov",
    "windows media": "asf",
    "realmedia": "rm",
    "mxf": "mxf",
    "dv": "dv",
}


@cache
def available() -> bool:
    """Whether libmediainfo loads (pymediainfo bundles it; a system without it falls back to ffprobe)."""
    return bool(_media_info().can_parse())


def run(window: SeekableReader) -> str:
    """MediaInfo's JSON report on the bytes the window serves (quick parse, no complete fields)."""
    MediaInfo = _media_info()  # the library's class
    return str(MediaInfo.parse(window, parse_speed=0, full=False, output="JSON", buffer_size=BUFFER_BYTES))


@cache
def _media_info() -> type[MediaInfoType]:
    """pymediainfo's MediaInfo class. At import, pymediainfo looks up its own version number with
    ``importlib.metadata``, whose import (email, zipfile, csv...) costs ~15 ms: a fifth of a cold
    single-file check, for a number vidlint never reads. The import is given a stand-in with the
    two names it uses (``version`` answering "not installed", which pymediainfo handles) and the real
    module is put back at once; anything unexpected falls back to the plain import."""
    import importlib
    import sys
    import types

    if "importlib.metadata" not in sys.modules and "pymediainfo" not in sys.modules:
        stand_in = types.ModuleType("importlib.metadata")

        class PackageNotFoundError(ModuleNotFoundError):
            pass

        def version(name: str) -> str:
            raise PackageNotFoundError(name)

        stand_in.PackageNotFoundError = PackageNotFoundError  # type: ignore[attr-defined]
        stand_in.version = version  # type: ignore[attr-defined]
        sys.modules["importlib.metadata"] = stand_in
        try:
            importlib.import_module("pymediainfo")
        except Exception:  # a pymediainfo that wants more: the plain import below
            sys.modules.pop("pymediainfo", None)
        finally:
            del sys.modules["importlib.metadata"]
            vars(importlib).pop("metadata", None)
    from pymediainfo import MediaInfo

    return MediaInfo


def parse(text: str) -> StreamPart:
    try:
        tracks = _tracks(json.loads(text))
    except (ValueError, TypeError) as exc:
        return StreamPart(error=one_line(f"mediainfo: unreadable report ({exc})"))
    general = next((t for t in tracks if t.get("@type") == "General"), {})
    video = [(v, _id(t)) for t in tracks if t.get("@type") == "Video" and (v := _video(t)) is not None]
    audio = [(_audio(t), _id(t)) for t in tracks if t.get("@type") == "Audio"]
    return StreamPart(
        container=_container(general),
        duration_s=positive(to_float(general.get("Duration"))) or _longest(tracks),
        video=tuple(v for v, _ in video),
        audio=tuple(a for a, _ in audio),
        truncated=_field(general, "IsTruncated") == "Yes",
        video_ids=tuple(i for _, i in video),
        audio_ids=tuple(i for _, i in audio),
    )


def _id(track: dict[str, Any]) -> int | None:
    """The container's track id (MP4: track_ID); MediaInfo writes "2", or "2-1" for a sub-stream."""
    value = track.get("ID")
    return to_int(value) if isinstance(value, str) and value.isdigit() else None


def _tracks(report: Any) -> list[dict[str, Any]]:
    media = report.get("media") if isinstance(report, dict) else None
    tracks = media.get("track") if isinstance(media, dict) else None
    return [t for t in tracks if isinstance(t, dict)] if isinstance(tracks, list) else []


def _field(track: dict[str, Any], name: str) -> Any:
    """A field MediaInfo may put at the top of a track or under its "extra" mapping."""
    if name in track:
        return track[name]
    extra = track.get("extra")
    return extra.get(name) if isinstance(extra, dict) else None


def _container(general: dict[str, Any]) -> str | None:
    fmt = general.get("Format")
    if not isinstance(fmt, str) or not fmt:
        return None
    if fmt == "MPEG-4":
        return "mov" if general.get("CodecID") == "qt  " else "mp4"
    return _CONTAINERS.get(fmt.lower(), fmt.lower())


def _longest(tracks: list[dict[str, Any]]) -> float | None:
    streams = (t for t in tracks if t.get("@type") in ("Video", "Audio"))
    durations = [positive(to_float(t.get("Duration"))) for t in streams]
    return max((d for d in durations if d is not None), default=None)


def _video(track: dict[str, Any]) -> VideoTrack | None:
    width, height = to_int(track.get("Width")), to_int(track.get("Height"))
    if width is None or height is None or width < 0 or height < 0:
        return None
    ratio = positive(to_float(track.get("PixelAspectRatio")))
    return VideoTrack(
        codec=codecs.mediainfo_video(_text(track, "Format"), _text(track, "Format_Version")),
        stored_width=width,
        stored_height=height,
        sample_aspect_ratio=simplest_ratio(ratio) if ratio else 1.0,
        rotation_cw=clockwise_degrees(to_float(track.get("Rotation"))),
        frame_rate=positive(to_float(track.get("FrameRate"))),
        frame_rate_mode=_FRAME_RATE_MODES.get(_text(track, "FrameRate_Mode") or ""),
        profile=profiles.profile_name(_text(track, "Format_Profile")),
        bit_depth=_bit_depth(track.get("BitDepth")),
        hdr_transfer=profiles.transfer_from_mediainfo(_text(track, "transfer_characteristics")),
    )


# Only "CFR" is taken: reading the header alone (parse_speed 0), MediaInfo says "VFR" for any
# Matroska track without a default frame duration, a constant one stream-copied from MP4 included.
# ISO BMFF tracks get their mode from the sample table instead (index.py).
_FRAME_RATE_MODES: dict[str, Literal["constant", "variable"]] = {"CFR": "constant"}


def _bit_depth(value: object) -> int | None:
    depth = to_int(value)
    return depth if depth is not None and 1 <= depth <= 32 else None


def _audio(track: dict[str, Any]) -> AudioTrack:
    return AudioTrack(codec=codecs.mediainfo_audio(_text(track, "Format"), _text(track, "Format_Profile")))


def _text(track: dict[str, Any], name: str) -> str | None:
    """A field that should be text; damaged files can make MediaInfo print an object there instead."""
    value = track.get(name)
    return value if isinstance(value, str) else None
