"""sample_media/ matches sample_media/expected.toml, checked with tools vidlint does not use for this.

ffprobe (JSON) is the independent reader for streams, sizes, SAR, duration and rotation; the
MediaInfo CLI for truncation and index position; srt / webvtt-py for captions; Pillow for images.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import srt
import webvtt
from PIL import Image

SAMPLES = Path(__file__).resolve().parents[1] / "sample_media"
NOT_SAMPLES = {"make_samples.py", "README.md", "expected.toml"}
EXPECTED: dict[str, dict[str, Any]] = tomllib.loads((SAMPLES / "expected.toml").read_text())["files"]
DURATION_TOL_S = 0.15


def _entries(pred: Callable[[dict[str, Any]], bool]) -> list[str]:
    return sorted(name for name, facts in EXPECTED.items() if pred(facts))


READABLE_VIDEOS = _entries(lambda f: f["kind"] == "video" and f["readable"])
UNREADABLE = _entries(lambda f: f["kind"] in {"video", "text", "empty"} and not f.get("readable", True))
CAPTIONS = _entries(lambda f: "caption_format" in f)
IMAGES = _entries(lambda f: "image_decodes" in f)
ISO_VIDEOS = _entries(lambda f: f["kind"] == "video" and f.get("container") in {"mp4", "mov"})


def ffprobe(path: Path) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    data: dict[str, Any] = json.loads(done.stdout) if done.stdout.strip() else {}
    return done.returncode, data


def mediainfo_general(path: Path) -> dict[str, Any]:
    done = subprocess.run(
        ["mediainfo", "--Output=JSON", str(path)], capture_output=True, text=True, check=True, timeout=60
    )
    tracks: list[dict[str, Any]] = json.loads(done.stdout)["media"]["track"]
    return next(t for t in tracks if t["@type"] == "General")


def streams(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [s for s in data.get("streams", []) if s.get("codec_type") == kind]


def load_make_samples() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


# --- (a) the folder and the table agree --------------------------------------------------------


def _sample_files() -> set[str]:
    return {
        p.relative_to(SAMPLES).as_posix()
        for p in SAMPLES.rglob("*")
        if p.is_file() and p.name not in NOT_SAMPLES and "__pycache__" not in p.parts
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_listed_file_exists_with_description(name: str) -> None:
    assert (SAMPLES / name).is_file()
    assert EXPECTED[name]["description"].strip()


def test_every_sample_file_is_listed() -> None:
    assert _sample_files() - set(EXPECTED) == set()


# --- (b) ffprobe agrees with the table ----------------------------------------------------------


def _ffprobe_container(path: Path, fmt: dict[str, Any]) -> str:
    if "matroska" in fmt["format_name"]:
        return "webm" if b"webm" in path.read_bytes()[:64] else "matroska"  # EBML DocType
    if fmt["format_name"].startswith("mov,mp4"):
        return "mov" if fmt.get("tags", {}).get("major_brand") == "qt  " else "mp4"
    return str(fmt["format_name"])


def _ffprobe_rotation_cw(video: dict[str, Any]) -> int:
    ccw = [sd["rotation"] for sd in video.get("side_data_list", []) if "rotation" in sd]
    return round(-ccw[0]) % 360 if ccw else 0


_AUDIO_NAMES = {"pcm_s16le": "pcm"}


@pytest.mark.parametrize("name", READABLE_VIDEOS)
def test_readable_video_matches_ffprobe(name: str) -> None:
    want = EXPECTED[name]
    rc, data = ffprobe(SAMPLES / name)
    assert rc == 0
    (video,) = streams(data, "video")
    audio = [_AUDIO_NAMES.get(s["codec_name"], s["codec_name"]) for s in streams(data, "audio")]
    assert _ffprobe_container(SAMPLES / name, data["format"]) == want["container"]
    assert data["format"].get("tags", {}).get("major_brand") == want.get("major_brand")
    assert video["codec_name"] == want["video_codec"]
    assert (video["width"], video["height"]) == (want["stored_width"], want["stored_height"])
    sar = float(Fraction(video["sample_aspect_ratio"].replace(":", "/")))
    assert sar == pytest.approx(want["sar"], abs=1e-3)
    assert _ffprobe_rotation_cw(video) == want["rotation_cw"]
    codec = want.get("ffprobe_audio_codec", want["audio_codec"])
    assert (audio or ["none"]) == [codec] * want.get("audio_tracks", 1)
    assert float(data["format"]["duration"]) == pytest.approx(want["duration_s"], abs=DURATION_TOL_S)


@pytest.mark.parametrize("name", READABLE_VIDEOS)
def test_display_size_follows_from_sar_and_rotation(name: str) -> None:
    """The table's display size is the stored size stretched by the SAR, then turned by the rotation."""
    want = EXPECTED[name]
    wide = round(want["stored_width"] * want["sar"])
    size = (want["stored_height"], wide) if want["rotation_cw"] % 180 == 90 else (wide, want["stored_height"])
    assert (want["display_width"], want["display_height"]) == size


@pytest.mark.parametrize("name", UNREADABLE)
def test_unreadable_has_no_video_for_ffprobe(name: str) -> None:
    rc, data = ffprobe(SAMPLES / name)
    assert rc != 0
    assert streams(data, "video") == []


# --- MediaInfo for what ffprobe does not report -------------------------------------------------


def _top_level_boxes(path: Path) -> list[str]:
    data, pos, kinds = path.read_bytes(), 0, []
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos : pos + 4], "big")
        kinds.append(data[pos + 4 : pos + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[pos + 8 : pos + 16], "big")
        if size < 8:
            break
        pos += size
    return kinds


@pytest.mark.parametrize("name", ISO_VIDEOS)
def test_iso_layout_matches_mediainfo_and_boxes(name: str) -> None:
    want = EXPECTED[name]
    general = mediainfo_general(SAMPLES / name)
    assert (general.get("extra", {}).get("IsTruncated") == "Yes") == want["truncated"]
    assert general["CodecID"] == want["major_brand"]
    boxes = _top_level_boxes(SAMPLES / name)
    assert ("moof" in boxes) == want["fragmented"]
    if "faststart" in want:
        assert (general["IsStreamable"] == "Yes") == want["faststart"]
        assert ("moov" in boxes and boxes.index("moov") < boxes.index("mdat")) == want["faststart"]
    if not want["readable"]:
        assert "moov" not in boxes


@pytest.mark.parametrize("name", [n for n in READABLE_VIDEOS if EXPECTED[n]["rotation_cw"]])
def test_rotation_is_clockwise_in_mediainfo(name: str) -> None:
    done = subprocess.run(
        ["mediainfo", "--Output=JSON", str(SAMPLES / name)], capture_output=True, text=True, check=True
    )
    (video,) = [t for t in json.loads(done.stdout)["media"]["track"] if t["@type"] == "Video"]
    assert round(float(video["Rotation"])) == EXPECTED[name]["rotation_cw"]


# --- captions, images, text ----------------------------------------------------------------------


def _caption_cues(path: Path, fmt: str) -> int:
    """Cue count from an independent parser; raises on a malformed file."""
    if fmt == "srt":
        return len(list(srt.parse(path.read_text())))
    return len(webvtt.read(str(path)).captions)


@pytest.mark.parametrize("name", CAPTIONS)
def test_caption_parses_as_expected(name: str) -> None:
    want = EXPECTED[name]
    assert (SAMPLES / name).suffix == f".{want['caption_format']}"
    try:
        cues = _caption_cues(SAMPLES / name, want["caption_format"])
    except Exception:  # any parser failure means "does not parse"
        cues = -1
    assert (cues >= 1) == want["caption_parses"]
    assert max(cues, 0) == want["caption_cues"]


@pytest.mark.parametrize("name", IMAGES)
def test_image_decodes_as_expected(name: str) -> None:
    want = EXPECTED[name]
    try:
        with Image.open(SAMPLES / name) as img:
            img.load()
            fmt, size = str(img.format).lower(), img.size
    except Exception:  # Pillow raises several types for undecodable input
        fmt, size = "", (0, 0)
    assert bool(fmt) == want["image_decodes"]
    if want["image_decodes"]:
        assert (fmt, size) == (want["image_format"], (want["image_width"], want["image_height"]))


@pytest.mark.parametrize("name", _entries(lambda f: f["kind"] == "text"))
def test_text_files_are_plain_text(name: str) -> None:
    text = (SAMPLES / name).read_bytes().decode("ascii")
    assert text.strip()
    assert all(line.isprintable() for line in text.splitlines())


@pytest.mark.parametrize("name", _entries(lambda f: f["kind"] == "empty"))
def test_empty_files_are_empty(name: str) -> None:
    assert (SAMPLES / name).stat().st_size == 0


CORRUPT_PNGS = _entries(lambda f: f.get("image_format") == "png" and not f["image_decodes"])


@pytest.mark.parametrize("name", CORRUPT_PNGS)
def test_corrupt_png_keeps_the_signature(name: str) -> None:
    assert (SAMPLES / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- (c) sizes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_is_small(name: str) -> None:
    assert (SAMPLES / name).stat().st_size < 400 * 1024


def test_folder_is_small() -> None:
    assert sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file()) < 3 * 1024 * 1024


# --- make_sparse_faststart --------------------------------------------------------------------------


def test_sparse_faststart_has_exact_size_and_reads_as_video(tmp_path: Path) -> None:
    make_sparse: Callable[[Path, int], Path] = load_make_samples().make_sparse_faststart
    started = time.monotonic()
    path = make_sparse(tmp_path / "big.mp4", 500_000_001)
    assert time.monotonic() - started < 20
    assert path.stat().st_size == 500_000_001
    assert path.stat().st_blocks * 512 < 8 * 1024 * 1024  # a hole, not 500 MB of zeros
    rc, data = ffprobe(path)
    assert rc == 0
    assert [s["codec_name"] for s in streams(data, "video")] == ["h264"]
    assert float(data["format"]["duration"]) == pytest.approx(10.0, abs=DURATION_TOL_S)
    assert mediainfo_general(path).get("extra", {}).get("IsTruncated") is None


def test_sparse_faststart_refuses_a_size_below_the_clip(tmp_path: Path) -> None:
    make_sparse: Callable[[Path, int], Path] = load_make_samples().make_sparse_faststart
    with pytest.raises(ValueError, match="smaller than the clip"):
        make_sparse(tmp_path / "small.mp4", 1000)
    assert not (tmp_path / "small.mp4").exists()
