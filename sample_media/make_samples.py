"""Generate vidlint's tiny sample media with the ffmpeg CLI.

Usage: ``python sample_media/make_samples.py [--out DIR]`` (default: this script's folder).

Every file is regenerated into a temporary folder inside the output folder and then moved into
place, so a failed run never leaves half-written samples behind, and nothing outside the output
folder is touched. Output is deterministic as far as ffmpeg allows (bitexact flags, no metadata,
single-threaded encoders, synthetic lavfi sources).

``make_sparse_faststart(path, size_bytes)`` builds a real faststart MP4 whose ``mdat`` box is
grown to an exact total size as a sparse file (used to check that probing reads only headers).
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

HERE = Path(__file__).resolve().parent

_GLOBAL = ("-nostdin", "-hide_banner", "-loglevel", "error", "-y")
_BITEXACT = ("-fflags", "+bitexact", "-flags", "+bitexact", "-map_metadata", "-1")
_FASTSTART = ("-movflags", "+faststart")
_FRAGMENTED = ("-movflags", "frag_keyframe+empty_moov+default_base_moof")

VIDEO_ENCODERS: dict[str, tuple[str, ...]] = {
    "h264": ("-c:v", "libx264", "-preset", "ultrafast", "-crf", "45", "-pix_fmt", "yuv420p", "-threads", "1"),
    "hevc": (
        "-c:v", "libx265", "-preset", "ultrafast", "-crf", "45", "-pix_fmt", "yuv420p",
        "-x265-params", "log-level=error:pools=none:frame-threads=1", "-tag:v", "hvc1",
    ),
    # 10-bit HEVC tagged HDR10 (PQ, BT.2020): colr nclx box and VUI
    "hevc_pq": (
        "-c:v", "libx265", "-preset", "ultrafast", "-crf", "45", "-pix_fmt", "yuv420p10le",
        "-x265-params", "log-level=error:pools=none:frame-threads=1", "-tag:v", "hvc1",
        "-color_trc", "smpte2084", "-color_primaries", "bt2020", "-colorspace", "bt2020nc",
    ),
    "mpeg4": ("-c:v", "mpeg4", "-q:v", "31", "-pix_fmt", "yuv420p", "-threads", "1"),
    "vp9": (
        "-c:v", "libvpx-vp9", "-crf", "63", "-b:v", "0", "-deadline", "realtime", "-cpu-used", "8",
        "-row-mt", "0", "-threads", "1", "-pix_fmt", "yuv420p",
    ),
}  # fmt: skip

AUDIO_ENCODERS: dict[str, tuple[str, ...]] = {
    "aac": ("-c:a", "aac", "-ar", "8000", "-ac", "1", "-b:a", "8k"),
    "ac3": ("-c:a", "ac3", "-ar", "32000", "-ac", "1", "-b:a", "32k"),
    "mp3": ("-c:a", "libmp3lame", "-ar", "32000", "-ac", "1", "-b:a", "32k"),
    "mp2": ("-c:a", "mp2", "-ar", "32000", "-ac", "1", "-b:a", "32k"),
    "pcm": ("-c:a", "pcm_s16le", "-ar", "8000", "-ac", "1"),
    "opus": ("-c:a", "libopus", "-ar", "48000", "-ac", "1", "-b:a", "6k"),
}

# Seconds of tone before switching to silence: a sine costs ~1 KB/s of AAC, silence almost nothing.
_TONE_LIMIT_S = 10.0


@dataclass(frozen=True)
class Clip:
    """One synthetic clip: a flat colour picture (2 fps) plus an optional tone."""

    name: str
    width: int = 1920
    height: int = 1080
    duration_s: float = 10.0
    video: str = "h264"
    audio: str | None = "aac"
    fmt: str = "mp4"  # ffmpeg muxer, always explicit (the extension may lie)
    layout: tuple[str, ...] = _FASTSTART
    extra: tuple[str, ...] = ()  # extra output options (filters, metadata)
    colour: str = "0x3060a0"
    fps: int = 2
    audio_tracks: int = 1  # each a copy of the tone, mapped as a track of its own


def _audio_source(duration_s: float) -> str:
    if duration_s <= _TONE_LIMIT_S:
        return f"sine=f=440:r=8000:d={duration_s}"
    return f"anullsrc=r=8000:cl=mono:d={duration_s}"


def _clip_args(clip: Clip, out: Path) -> list[str]:
    args = ["ffmpeg", *_GLOBAL, "-f", "lavfi", "-i"]
    args.append(f"color=c={clip.colour}:s={clip.width}x{clip.height}:r={clip.fps}:d={clip.duration_s}")
    if clip.audio is not None:
        args += ["-f", "lavfi", "-i", _audio_source(clip.duration_s)]
    if clip.audio_tracks > 1:
        args += ["-map", "0:v", *(["-map", "1:a"] * clip.audio_tracks)]
    args += [*_BITEXACT, *VIDEO_ENCODERS[clip.video]]
    if clip.audio is not None:
        args += AUDIO_ENCODERS[clip.audio]
    args += [*clip.extra, *clip.layout, "-f", clip.fmt, str(out)]
    return args


def _run(args: Sequence[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip()[-500:]}")


def make_clip(clip: Clip, out: Path) -> None:
    _run(_clip_args(clip, out))


def rotate_copy(src: Path, out: Path, rotation_cw: int) -> None:
    """Stream-copy ``src`` into an MP4 whose display matrix turns the picture ``rotation_cw`` clockwise.

    ffmpeg 5.1 only turns the ``rotate`` tag into a display matrix when stream-copying, and it
    reads the tag as counter-clockwise: ``rotate=270`` gives ffprobe rotation -90 and MediaInfo 90.
    """
    ccw = (-rotation_cw) % 360
    _run(["ffmpeg", *_GLOBAL, "-i", str(src), *_BITEXACT, "-c", "copy",
          "-metadata:s:v:0", f"rotate={ccw}", *_FASTSTART, "-f", "mp4", str(out)])  # fmt: skip


CLIPS: tuple[Clip, ...] = (
    Clip("ok_h264_aac_1080p_10s.mp4"),
    Clip("ok_hevc_aac_1080p_10s.mov", video="hevc", fmt="mov"),
    Clip("upper_ext_1080p_10s.MP4"),
    Clip("vertical_1080x1920_10s.mp4", width=1080, height=1920),
    Clip("anamorphic_1440x1080_sar4-3_10s.mp4", width=1440, extra=("-vf", "setsar=4/3")),
    Clip("hd720_10s.mp4", width=1280, height=720),
    Clip("dci4k_4096x2160_6s.mp4", width=4096, height=2160, duration_s=6),
    Clip("short_4s.mp4", duration_s=4),
    Clip("dur_7s.mp4", duration_s=7),
    Clip("long_35s.mp4", duration_s=35),
    Clip("long_125s.mp4", duration_s=125),
    Clip("mpeg4_video_10s.mp4", video="mpeg4"),
    Clip("vp9_in_webm_10s.webm", video="vp9", audio="opus", fmt="webm", layout=()),
    Clip("ac3_audio_10s.mp4", audio="ac3"),
    Clip("mp3_audio_10s.mp4", audio="mp3"),
    # MPEG-1 Layer II: the same MP4 object type as MP3 (0x6B); only the frames tell the layer
    Clip("mp2_audio_10s.mp4", audio="mp2"),
    Clip("pcm_audio_10s.mov", audio="pcm", fmt="mov"),
    Clip("no_audio_10s.mp4", audio=None),
    Clip("mkv_named.mp4", fmt="matroska", layout=()),
    Clip("qt_named.mp4", fmt="mov"),
    Clip("mp4_named.mov", fmt="mp4"),
    # Several keyframes so the file has several moof fragments.
    Clip("fragmented_10s.mp4", layout=_FRAGMENTED, extra=("-g", "4")),
    Clip("moov_at_end_10s.mp4", layout=()),
    # The facts of issue 14: one property each, otherwise the passing clip
    Clip("square_1080x1080_10s.mp4", width=1080, height=1080),
    Clip("hdr10_hevc_10bit_1080p_10s.mp4", video="hevc_pq"),
    Clip("two_audio_tracks_1080p_10s.mp4", audio_tracks=2),
    # 10 fps with every third frame dropped: sample durations of 0.1 s and 0.2 s (stts), 6.67 fps
    Clip("vfr_1080p_10s.mp4", fps=10, extra=("-vf", "select='not(eq(mod(n,3),1))'", "-fps_mode", "vfr")),
)

# Sources for the cut files: a busier picture so the mdat is much larger than the moov.
_TAIL_SOURCE = Clip("tail_source.mp4", colour="0x808080", extra=("-vf", "noise=alls=30:allf=t+u:all_seed=7"))
_HEAD_SOURCE = Clip("head_source.mp4", layout=())

GOOD_SRT = """1
00:00:00,500 --> 00:00:03,000
Lightweight steel frame.

2
00:00:04,000 --> 00:00:08,500
Folds flat in seconds.
"""

GOOD_VTT = """WEBVTT

00:00:00.500 --> 00:00:03.000
Lightweight steel frame.

00:00:04.000 --> 00:00:08.500
Folds flat in seconds.
"""

BROKEN_SRT = """1
00:00:xx,500 -> later
Lightweight steel frame.

two
99:99 --> ??
Folds flat in seconds.
"""

# No WEBVTT header and a cue timing line that is not a timing.
BROKEN_VTT = """00:00.500 -> 00:03
Lightweight steel frame.

soon --> later
Folds flat in seconds.
"""

TEXT_FILE = "This is a plain text file, not media.\nIt only has a media file extension.\n"

# PNG signature, an IHDR length/type, then bytes that are neither a valid header nor a valid CRC.
CORRUPT_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + bytes(range(0xF0, 0xFF)) + b"garbage" * 8


def _boxes(data: bytes) -> Iterator[tuple[str, int, int]]:
    """Top-level ISO BMFF boxes as (type, offset, size); size 0 means 'to the end'."""
    pos = 0
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if size == 1:
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
        elif size == 0:
            size = len(data) - pos
        yield kind.decode("latin-1"), pos, size
        if size < 8:
            return
        pos += size


def _box(data: bytes, kind: str) -> tuple[int, int]:
    for found, offset, size in _boxes(data):
        if found == kind:
            return offset, size
    raise RuntimeError(f"no top-level {kind!r} box")


def _cut_tail(source: bytes) -> bytes:
    """Faststart file cut to ~60 %: the whole moov survives, the mdat loses its end."""
    cut = len(source) * 60 // 100
    moov_offset, moov_size = _box(source, "moov")
    mdat_offset, _ = _box(source, "mdat")
    if not moov_offset + moov_size < mdat_offset < cut:
        raise RuntimeError("truncated_tail: the cut would not fall inside the mdat")
    return source[:cut]


def _cut_head(source: bytes) -> bytes:
    """Moov-at-end file cut to ~50 %: the mdat is partial and there is no moov at all."""
    cut = len(source) * 50 // 100
    moov_offset, _ = _box(source, "moov")
    if moov_offset < cut:
        raise RuntimeError("truncated_head: the moov would survive the cut")
    return source[:cut]


def _make_cut_files(work: Path) -> None:
    make_clip(_TAIL_SOURCE, work / _TAIL_SOURCE.name)
    make_clip(_HEAD_SOURCE, work / _HEAD_SOURCE.name)
    (work / "truncated_tail.mp4").write_bytes(_cut_tail((work / _TAIL_SOURCE.name).read_bytes()))
    (work / "truncated_head.mp4").write_bytes(_cut_head((work / _HEAD_SOURCE.name).read_bytes()))
    (work / _TAIL_SOURCE.name).unlink()
    (work / _HEAD_SOURCE.name).unlink()


def _make_images(work: Path) -> None:
    images = work / "images"
    images.mkdir()
    src = ["-f", "lavfi", "-i", "testsrc2=s=64x64:r=1:d=1"]
    for name, codec in (("ok.png", ("-c:v", "png")), ("ok.jpg", ("-c:v", "mjpeg", "-q:v", "5"))):
        _run(["ffmpeg", *_GLOBAL, *src, *_BITEXACT, "-frames:v", "1", *codec, str(images / name)])
    (images / "corrupt.png").write_bytes(CORRUPT_PNG)
    (images / "text_named.jpg").write_text(TEXT_FILE)


def _make_text_files(work: Path) -> None:
    captions = work / "captions"
    captions.mkdir()
    for name, text in (
        ("good.srt", GOOD_SRT),
        ("good.vtt", GOOD_VTT),
        ("broken.srt", BROKEN_SRT),
        ("broken.vtt", BROKEN_VTT),
        ("empty.srt", ""),
    ):
        (captions / name).write_text(text, newline="\n")
    (work / "text_named.mp4").write_text(TEXT_FILE)
    (work / "empty.mp4").write_bytes(b"")


def _make_captioned(work: Path) -> None:
    passing = work / "ok_h264_aac_1080p_10s.mp4"
    shutil.copyfile(passing, work / "captioned_good.mp4")
    shutil.copyfile(passing, work / "captioned_badcap.mp4")
    (work / "captioned_good.srt").write_text(GOOD_SRT, newline="\n")
    (work / "captioned_badcap.vtt").write_text(BROKEN_VTT, newline="\n")


def trim_copy(clip: Clip, out: Path, start_s: float) -> None:
    """``clip`` made ``start_s`` longer, then stream-copied from ``start_s``: with one keyframe at 0,
    the copy keeps every sample and an edit list (elst) that starts ``start_s`` into the media."""
    longer = out.with_name("untrimmed_" + out.name)
    make_clip(Clip(longer.name, duration_s=clip.duration_s + start_s), longer)
    _run(["ffmpeg", *_GLOBAL, "-ss", str(start_s), "-i", str(longer), *_BITEXACT, "-c", "copy",
          *_FASTSTART, "-f", "mp4", str(out)])  # fmt: skip
    longer.unlink()


NEW_CLIPS = ("square_1080x1080_10s.mp4", "hdr10_hevc_10bit_1080p_10s.mp4", "two_audio_tracks_1080p_10s.mp4",
             "vfr_1080p_10s.mp4", "edit_list_1080p_10s.mp4")  # fmt: skip


def generate(work: Path, only: Sequence[str] = ()) -> None:
    """Write every sample (or the ``only`` ones: names of CLIPS or "edit_list_1080p_10s.mp4") into
    ``work`` (an empty folder)."""
    if only:
        for clip in CLIPS:
            if clip.name in only:
                make_clip(clip, work / clip.name)
        if "edit_list_1080p_10s.mp4" in only:
            trim_copy(Clip("edit_list_1080p_10s.mp4"), work / "edit_list_1080p_10s.mp4", 1.0)
        return
    for clip in CLIPS:
        make_clip(clip, work / clip.name)
    trim_copy(Clip("edit_list_1080p_10s.mp4"), work / "edit_list_1080p_10s.mp4", 1.0)
    rotate_copy(work / "ok_h264_aac_1080p_10s.mp4", work / "rotated_90_10s.mp4", 90)
    _make_cut_files(work)
    _make_captioned(work)
    _make_text_files(work)
    _make_images(work)


def _move_into(work: Path, out: Path) -> list[Path]:
    moved = []
    for src in sorted(p for p in work.rglob("*") if p.is_file()):
        dest = out / src.relative_to(work)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dest)
        moved.append(dest)
    return moved


def build(out: Path, only: Sequence[str] = ()) -> list[Path]:
    """Regenerate all samples (or the ``only`` ones) into ``out`` atomically per file; returns the
    files written."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".samples-", dir=out) as tmp:
        generate(Path(tmp), only)
        return _move_into(Path(tmp), out)


def _grow_mdat(path: Path, size_bytes: int) -> None:
    data = path.read_bytes()
    mdat_offset, mdat_size = _box(data, "mdat")
    if mdat_offset + mdat_size != len(data):
        raise RuntimeError("mdat is not the last box: not a faststart file")
    new_size = size_bytes - mdat_offset
    with path.open("r+b") as fh:
        if new_size <= 0xFFFFFFFF:
            fh.seek(mdat_offset)
            fh.write(struct.pack(">I", new_size))
        else:
            _widen_mdat(fh, data, mdat_offset, new_size)
        fh.truncate(size_bytes)  # extends with a hole: no bytes are written


def _widen_mdat(fh: BinaryIO, data: bytes, mdat_offset: int, new_size: int) -> None:
    """Turn the 8-byte ``free`` box ffmpeg leaves before mdat into a 64-bit mdat header."""
    free = mdat_offset - 8
    if free < 0 or data[free + 4 : free + 8] != b"free" or struct.unpack(">I", data[free : free + 4])[0] != 8:
        raise RuntimeError("no 8-byte free box before mdat: cannot use a 64-bit size")
    fh.seek(free)
    fh.write(struct.pack(">I4sQ", 1, b"mdat", new_size + 8))


def make_sparse_faststart(path: str | os.PathLike[str], size_bytes: int, *, duration_s: float = 10.0) -> Path:
    """Write a real 1080p H.264/AAC faststart MP4 of exactly ``size_bytes`` bytes, mostly a hole.

    The clip itself is a few tens of KB (ftyp, moov, then mdat); the mdat box size is patched to
    reach the end of the file and the file is extended with ``truncate`` (sparse on most file
    systems), so the index still describes the real samples and players read a valid
    ``duration_s`` clip whose trailing mdat bytes are unused zeros.
    """
    target = Path(path)
    make_clip(Clip(target.name, duration_s=duration_s), target)
    real_size = target.stat().st_size
    if size_bytes < real_size:
        target.unlink()
        raise ValueError(f"size_bytes {size_bytes} is smaller than the clip itself ({real_size} bytes)")
    _grow_mdat(target, size_bytes)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: %(default)s)")
    parser.add_argument("--only", nargs="+", default=(), metavar="NAME", help="regenerate only these files")
    parser.add_argument(
        "--new", action="store_true", help="regenerate only the clips of issue 14 (NEW_CLIPS)"
    )
    args = parser.parse_args(argv)
    files = build(args.out, NEW_CLIPS if args.new else args.only)
    total = sum(p.stat().st_size for p in files)
    print(f"wrote {len(files)} files, {total} bytes, into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
