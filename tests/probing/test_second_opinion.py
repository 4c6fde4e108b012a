"""ffprobe as the second opinion: it fills in what MediaInfo could not read, from a path or from stdin."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from vidlint.probing import ffprobe, probe
from vidlint.probing.local import probe_path, probe_stream

from .support import SAMPLES, make_clip


@pytest.fixture(scope="module")
def nut_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """NUT: MediaInfo names the container but reads no stream from it."""
    return make_clip(
        tmp_path_factory.mktemp("nut") / "clip.nut", "-c:v", "mpeg4", "-an", seconds=1.0, size="64x48"
    )


@pytest.fixture(scope="module")
def ogg_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ogg Theora: a quick MediaInfo parse has the picture but not the duration (it is in the last page)."""
    return make_clip(
        tmp_path_factory.mktemp("ogg") / "clip.ogv", "-c:v", "libtheora", "-an", seconds=1.0, size="64x48"
    )


def test_ffprobe_reads_what_mediainfo_cannot(nut_clip: Path) -> None:
    facts = probe(nut_clip)
    assert (facts.kind, facts.readable, facts.backend, facts.container) == (
        "video",
        True,
        "mediainfo+ffprobe",
        "nut",
    )
    assert facts.main_video is not None and facts.main_video.codec == "mpeg4"
    assert (facts.main_video.stored_width, facts.main_video.stored_height) == (64, 48)


def test_ffprobe_fills_in_a_missing_duration(ogg_clip: Path) -> None:
    facts = probe(ogg_clip)
    assert facts.backend == "mediainfo+ffprobe"
    assert facts.duration_s == pytest.approx(1.0, abs=0.25)
    assert facts.main_video is not None and facts.main_video.codec == "theora"


def test_streams_get_the_second_opinion_on_stdin(nut_clip: Path) -> None:
    facts = probe_stream(io.BytesIO(nut_clip.read_bytes()), name="clip.nut", size=None)
    assert (facts.readable, facts.backend) == (True, "mediainfo+ffprobe")


def test_ffprobe_run_on_a_path_and_on_bytes_agree() -> None:
    clip = SAMPLES / "mkv_named.mp4"
    from_path = ffprobe.parse(ffprobe.run(str(clip), timeout_s=30))
    from_bytes = ffprobe.parse(ffprobe.run(clip.read_bytes(), timeout_s=30))
    assert from_path.video == from_bytes.video and from_path.video[0].codec == "h264"


def test_names_are_never_taken_for_protocols_or_options() -> None:
    assert ffprobe.command("-weird:name.mp4")[-1] == "file:-weird:name.mp4"
    assert ffprobe.command(None)[-1] == "pipe:0"


def test_without_ffprobe_the_probe_says_so(
    nut_clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a real environment with no ffprobe on the PATH
    facts = probe_path(str(nut_clip))
    assert not facts.readable
    assert facts.error is not None and facts.error.startswith("ffprobe unavailable")
