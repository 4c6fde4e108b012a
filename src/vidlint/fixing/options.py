"""What ``vidlint fix`` may do, and the quality it encodes at when it must (``[tool.vidlint.fixing]``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# ffmpeg's encoder for each codec name the probe gives (the codec names the packs list)
VIDEO_ENCODERS = {"h264": "libx264", "hevc": "libx265", "vp9": "libvpx-vp9", "mpeg4": "mpeg4"}
AUDIO_ENCODERS = {"aac": "aac", "mp3": "libmp3lame", "pcm": "pcm_s16le", "opus": "libopus", "ac3": "ac3"}

# what ffmpeg's muxers take by stream copy (ffmpeg 5.1: no PCM in .mp4, no Opus or VP9 in .mov)
MUXABLE = {
    "mp4": frozenset(
        {"h264", "hevc", "mpeg4", "av1", "vp9", "aac", "mp3", "mp2", "ac3", "eac3", "opus", "alac", "flac"}
    ),
    "mov": frozenset({"h264", "hevc", "mpeg4", "prores", "mjpeg", "aac", "mp3", "mp2", "ac3", "alac", "pcm"}),
}
CONTAINER_OF = {".mp4": "mp4", ".m4v": "mp4", ".mov": "mov"}  # the muxers vidlint fix writes


@dataclass(frozen=True)
class Quality:
    """Encoding settings used only for the streams that must be re-encoded."""

    preset: str = "medium"  # x264 / x265 preset
    crf: int = 20
    pix_fmt: str = "yuv420p"
    audio_bitrate: str = "128k"
    video_codecs: tuple[str, ...] = ("h264", "hevc")  # preference, among those every marketplace allows
    audio_codecs: tuple[str, ...] = ("aac", "mp3", "pcm")


@dataclass(frozen=True)
class FixOptions:
    """How to fix: where outputs go, padding or cropping, time limit, parallel jobs, quality."""

    out_dir: Path | None = None  # None with in_place False: "vidlint-fixed" in the working folder
    in_place: bool = False
    dry_run: bool = False
    crop: bool = False  # crop to the aspect ratio instead of padding
    overwrite: bool = False  # replace an existing file in out_dir
    jobs: int = 1
    timeout_s: float = 600.0  # each ffmpeg run
    quality: Quality = Quality()
    progress: bool = False  # rich progress bars (on a terminal)

    def output_dir(self) -> Path:
        return self.out_dir if self.out_dir is not None else Path("vidlint-fixed")
