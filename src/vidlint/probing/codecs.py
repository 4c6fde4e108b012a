"""One spelling for every codec, whichever backend named it (ffprobe's names are the reference)."""

from __future__ import annotations

_MEDIAINFO_VIDEO = {
    "avc": "h264",
    "hevc": "hevc",
    "mpeg-4 visual": "mpeg4",
    "vp9": "vp9",
    "vp8": "vp8",
    "av1": "av1",
    "prores": "prores",
    "jpeg": "mjpeg",
    "h.263": "h263",
    "vc-1": "vc1",
    "theora": "theora",
    "dv": "dvvideo",
    "ffv1": "ffv1",
    "cineform": "cfhd",
    "dnxhd": "dnxhd",
    "vvc": "vvc",
    "sorenson spark": "flv1",
    "yuv": "rawvideo",
}
_MEDIAINFO_AUDIO = {
    "aac": "aac",
    "pcm": "pcm",
    "ac-3": "ac3",
    "e-ac-3": "eac3",
    "opus": "opus",
    "vorbis": "vorbis",
    "flac": "flac",
    "alac": "alac",
    "dts": "dts",
    "mlp fba": "truehd",
    "amr": "amr",
    "wma": "wmav2",
    "adpcm": "adpcm",
}
_MPEG_AUDIO_LAYERS = {"layer 1": "mp1", "layer 2": "mp2", "layer 3": "mp3"}


def _slug(name: str) -> str:
    return name.strip().lower().replace(" ", "-")


def mediainfo_video(fmt: str | None, version: str | None = None) -> str | None:
    if not fmt:
        return None
    key = fmt.strip().lower()
    if key == "mpeg video":
        return "mpeg1video" if (version or "").strip().lower() == "version 1" else "mpeg2video"
    return _MEDIAINFO_VIDEO.get(key, _slug(fmt))


def mediainfo_audio(fmt: str | None, profile: str | None = None) -> str | None:
    if not fmt:
        return None
    key = fmt.strip().lower()
    if key == "mpeg audio":
        # In MP4 the layer is only in the frames: the object type (0x6B/0x69) covers layers I, II
        # and III. Without a profile this is "mp3" (as ffprobe says); the probe then reads the
        # first frame's header (``mpeg_audio_layer``) and corrects it.
        return _MPEG_AUDIO_LAYERS.get((profile or "").strip().lower(), "mp3")
    return _MEDIAINFO_AUDIO.get(key, _slug(fmt))


def mpeg_audio_layer(frame: bytes) -> str | None:
    """ "mp1", "mp2" or "mp3" from the first four bytes of an MPEG-1/2 audio frame; None when they are
    not a frame header (11 sync bits, a version, a layer, a bitrate index other than 15)."""
    if len(frame) < 4 or frame[0] != 0xFF or frame[1] & 0xE0 != 0xE0:
        return None
    version, layer, bitrate = (frame[1] >> 3) & 3, (frame[1] >> 1) & 3, frame[2] >> 4
    if version == 1 or layer == 0 or bitrate == 15 or (frame[2] >> 2) & 3 == 3:
        return None  # reserved version, layer, bitrate or sampling rate
    return {3: "mp1", 2: "mp2", 1: "mp3"}[layer]


def ffprobe_codec(name: str | None) -> str | None:
    if not name:
        return None
    key = name.strip().lower()
    if key.startswith("pcm_"):
        return "pcm"
    if key.startswith("adpcm_"):
        return "adpcm"
    return key
