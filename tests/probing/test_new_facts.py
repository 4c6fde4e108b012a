"""The facts of issue 14 on real clips made by ffmpeg, each compared with ffprobe's answer.

frame rate (average and mode, from the sample table), codec profile, luma bit depth, HDR transfer,
edit lists, fast start, track counts and orientation. ffprobe is the second opinion, read its own
way: stream fields, packet durations (the mode), and its mov demuxer's trace (the top-level boxes
and each track's edit list as it applies them).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from vidlint.model.facts import MediaFacts
from vidlint.probing import probe

from .support import SAMPLES

_QUIET = ("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y")
_COLOUR = ("-f", "lavfi", "-i", "color=c=0x3060a0:s=320x240:r=10:d=3")
_TONE = ("-f", "lavfi", "-i", "sine=f=440:r=8000:d=3")
_X264 = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")
_X265_10 = (
    "-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le", "-tag:v", "hvc1",
    "-x265-params", "log-level=error:pools=none:frame-threads=1", "-color_primaries", "bt2020",
    "-colorspace", "bt2020nc",
)  # fmt: skip
_HIGH10 = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le")
_AAC = ("-c:a", "aac", "-ar", "8000", "-ac", "1")
_FAST = ("-movflags", "+faststart")
_DROP_EVERY_THIRD = ("-vf", "select='not(eq(mod(n,3),1))'", "-fps_mode", "vfr")

# name -> ffmpeg arguments after the global options ("{base}": the base clip, made first)
RECIPES: dict[str, tuple[str, ...]] = {
    "base.mp4": (*_COLOUR, *_TONE, *_X264, *_AAC, *_FAST),
    "vfr.mp4": ("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=3", *_DROP_EVERY_THIRD, *_X264, *_FAST),
    "cfr_30.mp4": ("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=2", *_X264, *_FAST),
    "ntsc.mov": ("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30000/1001:d=2", *_X264, "-f", "mov"),
    "pq_hevc.mp4": (*_COLOUR, *_X265_10, "-color_trc", "smpte2084", *_FAST),
    "hlg_hevc.mov": (*_COLOUR, *_X265_10, "-color_trc", "arib-std-b67", "-f", "mov"),
    "high10_bt709.mp4": (*_COLOUR, *_HIGH10, "-color_trc", "bt709", *_FAST),
    "main_bframes.mp4": (*_COLOUR, "-c:v", "libx264", "-profile:v", "main", "-bf", "2", *_FAST),
    "two_audio.mp4": (*_COLOUR, *_TONE, "-map", "0", "-map", "1", "-map", "1", *_X264, *_AAC, *_FAST),
    "no_audio_moov_last.mp4": (*_COLOUR, *_X264),
    "ss_copy.mp4": ("-ss", "1.3", "-i", "{base}", "-c", "copy", *_FAST),
    "itsoffset.mp4": ("-itsoffset", "0.5", "-i", "{base}", "-c", "copy", *_FAST),
    "square.mp4": ("-f", "lavfi", "-i", "color=s=240x240:r=10:d=2", *_X264, *_FAST),
    "portrait.mp4": ("-f", "lavfi", "-i", "color=s=240x320:r=10:d=2", *_X264, *_FAST),
    "pq_hevc.mkv": ("-i", "{pq}", "-c", "copy", "-f", "matroska"),
}
_NEEDS = {"ss_copy.mp4": "base.mp4", "itsoffset.mp4": "base.mp4", "pq_hevc.mkv": "pq_hevc.mp4"}


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("new_facts")
    made: dict[str, Path] = {}
    for name, recipe in RECIPES.items():
        source = str(made[_NEEDS[name]]) if name in _NEEDS else ""
        args = [a.replace("{base}", source).replace("{pq}", source) for a in recipe]
        subprocess.run([*_QUIET, *args, str(folder / name)], check=True, capture_output=True, timeout=120)
        made[name] = folder / name
    return made


# --- ffprobe, the second opinion ----------------------------------------------------------------


def ffprobe(path: Path, *options: str) -> dict[str, Any]:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", *options, str(path)],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def streams(path: Path) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = ffprobe(path, "-show_streams")["streams"]
    return found


def video_stream(path: Path) -> dict[str, Any]:
    return next(s for s in streams(path) if s["codec_type"] == "video")


@dataclass(frozen=True)
class Trace:
    """What ffprobe's mov demuxer says at trace level: the top-level boxes and each stream's edits."""

    top_level: list[str]
    edits: dict[int, list[tuple[int, int]]]  # stream index -> (media time, duration) per edit


_BOX = re.compile(r"type:'(\w{4})' parent:'root'")
_EDIT = re.compile(r"Processing st: (\d+), edit list \d+ - media time: (-?\d+), duration: (\d+)")


def trace(path: Path) -> Trace:
    done = subprocess.run(
        ["ffprobe", "-v", "trace", str(path)], capture_output=True, text=True, check=False, timeout=60
    )
    edits: dict[int, list[tuple[int, int]]] = {}
    for stream, media_time, duration in _EDIT.findall(done.stderr):
        edits.setdefault(int(stream), []).append((int(media_time), int(duration)))
    return Trace(_BOX.findall(done.stderr), edits)


def packets(path: Path, stream: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = ffprobe(
        path, "-select_streams", str(stream), "-show_entries", "packet=pts,dts,duration"
    )["packets"]
    return found


def ffprobe_mode(path: Path) -> str:
    """Variable when two packet durations (the last left out) differ by more than one tick."""
    index = video_stream(path)["index"]
    durations = [int(p["duration"]) for p in packets(path, index)][:-1]
    return "variable" if max(durations) - min(durations) > 1 else "constant"


def ffprobe_edit_list(path: Path) -> bool:
    """docs/facts.md's rule on ffprobe's reading: more than one edit, or one that starts later in the
    media than the encoder delay (the first packet's duration or composition offset)."""
    for stream, edits in trace(path).edits.items():
        if len(edits) > 1:
            return True
        first = packets(path, stream)[0]
        delay = max(int(first["duration"]), int(first["pts"]) - int(first["dts"]))
        if not 0 <= edits[0][0] <= delay:
            return True
    return False


def ffprobe_profile(stream: dict[str, Any]) -> str:
    name = str(stream["profile"])
    return {"Constrained Baseline": "Baseline"}.get(name, name)


def ffprobe_depth(stream: dict[str, Any]) -> int:
    return 10 if "10le" in stream["pix_fmt"] else 8


def ffprobe_transfer(stream: dict[str, Any]) -> str | None:
    words = {"smpte2084": "pq", "arib-std-b67": "hlg", "unknown": None, None: None}
    value = stream.get("color_transfer")
    return words.get(value, "sdr")


def ffprobe_orientation(stream: dict[str, Any]) -> str:
    sar = Fraction(stream.get("sample_aspect_ratio", "1:1").replace(":", "/") or 1)
    width, height = stream["width"] * sar, Fraction(stream["height"])
    turned = any(abs(d.get("rotation", 0)) % 180 == 90 for d in stream.get("side_data_list", []))
    width, height = (height, width) if turned else (width, height)
    return "square" if width == height else "horizontal" if width > height else "vertical"


# --- the facts against it -----------------------------------------------------------------------

ISO = [name for name in RECIPES if not name.endswith(".mkv")]


@pytest.mark.parametrize("name", ISO)
def test_average_frame_rate_is_ffprobes(clips: dict[str, Path], name: str) -> None:
    video = probe(clips[name]).main_video
    assert video is not None and video.frame_rate is not None
    assert video.frame_rate == pytest.approx(float(Fraction(video_stream(clips[name])["avg_frame_rate"])))


@pytest.mark.parametrize("name", ISO)
def test_frame_rate_mode_follows_the_packet_durations(clips: dict[str, Path], name: str) -> None:
    video = probe(clips[name]).main_video
    assert video is not None
    assert video.frame_rate_mode == ffprobe_mode(clips[name])


def test_the_dropped_frames_clip_is_variable_and_the_others_constant(clips: dict[str, Path]) -> None:
    modes = {name: probe(path).main_video.frame_rate_mode for name, path in clips.items() if name in ISO}  # type: ignore[union-attr]
    assert {name for name, mode in modes.items() if mode == "variable"} == {"vfr.mp4"}


@pytest.mark.parametrize("name", list(RECIPES))
def test_profile_depth_and_transfer_are_ffprobes(clips: dict[str, Path], name: str) -> None:
    video = probe(clips[name]).main_video
    stream = video_stream(clips[name])
    assert video is not None
    assert video.profile == ffprobe_profile(stream)
    assert video.bit_depth == ffprobe_depth(stream)
    assert video.hdr_transfer == ffprobe_transfer(stream)


def test_hdr_clips_read_as_made(clips: dict[str, Path]) -> None:
    got = {name: probe(clips[name]).main_video for name in ("pq_hevc.mp4", "hlg_hevc.mov", "pq_hevc.mkv")}
    assert {name: (v.profile, v.bit_depth, v.hdr_transfer) for name, v in got.items() if v} == {
        "pq_hevc.mp4": ("Main 10", 10, "pq"),
        "hlg_hevc.mov": ("Main 10", 10, "hlg"),
        "pq_hevc.mkv": ("Main 10", 10, "pq"),  # Matroska: MediaInfo's reading of the same stream
    }


@pytest.mark.parametrize("name", ISO)
def test_edit_list_follows_ffprobes_edits(clips: dict[str, Path], name: str) -> None:
    assert probe(clips[name]).edit_list is ffprobe_edit_list(clips[name])


def test_trims_and_offsets_are_edit_lists_and_priming_is_not(clips: dict[str, Path]) -> None:
    edited = {name for name in ISO if probe(clips[name]).edit_list}
    assert edited == {"ss_copy.mp4", "itsoffset.mp4"}
    assert trace(clips["base.mp4"]).edits  # AAC priming: an edit list that only skips the encoder delay


@pytest.mark.parametrize("name", ISO)
def test_faststart_is_the_box_order(clips: dict[str, Path], name: str) -> None:
    boxes = trace(clips[name]).top_level
    assert probe(clips[name]).faststart is (boxes.index("moov") < boxes.index("mdat"))


def test_not_iso_bmff_has_no_box_facts(clips: dict[str, Path]) -> None:
    facts = probe(clips["pq_hevc.mkv"])
    assert (facts.faststart, facts.edit_list) == (None, None)


@pytest.mark.parametrize("name", list(RECIPES))
def test_track_counts_and_orientation_are_ffprobes(clips: dict[str, Path], name: str) -> None:
    facts = probe(clips[name])
    kinds = [s["codec_type"] for s in streams(clips[name])]
    assert (facts.video_tracks, facts.audio_tracks) == (kinds.count("video"), kinds.count("audio"))
    assert facts.orientation == ffprobe_orientation(video_stream(clips[name]))


@pytest.mark.parametrize(
    "name", ["rotated_90_10s.mp4", "vertical_1080x1920_10s.mp4", "anamorphic_1440x1080_sar4-3_10s.mp4"]
)
def test_orientation_applies_rotation_and_sar(name: str) -> None:
    facts = probe(SAMPLES / name)
    assert facts.orientation == ffprobe_orientation(video_stream(SAMPLES / name))


def test_no_video_no_orientation(tmp_path: Path) -> None:
    path = tmp_path / "tone.m4a"
    subprocess.run([*_QUIET, *_TONE, *_AAC, str(path)], check=True, capture_output=True, timeout=60)
    facts = probe(path)
    assert (facts.orientation, facts.video_tracks, facts.audio_tracks) == (None, 0, 1)


def test_json_output_shows_the_computed_facts(clips: dict[str, Path]) -> None:
    from vidlint.model.facts import as_data

    data = as_data(probe(clips["two_audio.mp4"]))
    assert (data["video_tracks"], data["audio_tracks"], data["orientation"]) == (1, 2, "horizontal")
    stored = as_data(probe(clips["two_audio.mp4"]), computed=False)
    assert "orientation" not in stored
    assert MediaFacts.from_data(stored) == probe(clips["two_audio.mp4"])
