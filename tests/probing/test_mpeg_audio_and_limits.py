"""MPEG audio layers in MP4 (object type 0x6B is any layer), and the probe's time limit."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import vidlint
from vidlint.errors import ProbeError
from vidlint.probing import codecs, worker
from vidlint.probing.local import probe_path

from .support import SAMPLES


@pytest.mark.parametrize(
    ("header", "layer"),
    [
        ("fffd", "mp2"),  # MPEG-1 Layer II, no CRC
        ("fffc", "mp2"),
        ("fffb", "mp3"),  # MPEG-1 Layer III
        ("fff3", "mp3"),  # MPEG-2 Layer III (low sampling rates)
        ("fff5", "mp2"),  # MPEG-2 Layer II
        ("ffff", "mp1"),  # MPEG-1 Layer I
        ("ffe3", "mp3"),  # MPEG-2.5 Layer III
    ],
)
def test_layer_from_the_frame_header(header: str, layer: str) -> None:
    assert codecs.mpeg_audio_layer(bytes.fromhex(header + "9000")) == layer


@pytest.mark.parametrize("frame", ["fff9 9000", "ffeb 9000", "fffb f000", "fffb 9c00", "0000 0000", "ff", ""])
def test_what_is_not_a_frame_header(frame: str) -> None:
    """Reserved version or layer, bitrate index 15, sampling rate index 3, no sync, too short."""
    assert codecs.mpeg_audio_layer(bytes.fromhex(frame)) is None


def test_layer_ii_in_mp4_is_mp2_and_fails_sams_club() -> None:
    facts = probe_path(str(SAMPLES / "mp2_audio_10s.mp4"))
    assert [a.codec for a in facts.audio] == ["mp2"]
    codes = [f.code for f in vidlint.check(SAMPLES / "mp2_audio_10s.mp4", "samsclub").findings]
    assert codes == ["E_AUDIO_CODEC"]
    assert [a.codec for a in probe_path(str(SAMPLES / "mp3_audio_10s.mp4")).audio] == ["mp3"]


def test_the_default_limit_is_ten_seconds() -> None:
    """A header-only probe takes milliseconds (the slowest sample, with the ffprobe second opinion,
    ~0.1 s): ten seconds is room for a loaded machine, not for a hostile file."""
    assert worker.TIMEOUT_S == 10.0
    started = time.perf_counter()
    for name in sorted(os.listdir(SAMPLES)):
        if (SAMPLES / name).is_file() and not name.endswith((".py", ".md", ".toml")):
            vidlint.probe(SAMPLES / name)
    assert time.perf_counter() - started < worker.TIMEOUT_S


def test_a_file_probed_ahead_that_overruns_names_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker started ahead (``prestart``) probes under its own alarm; when the alarm ends it, the
    waiting caller gets the timed-out message that names the limit, not "worker died (SIGALRM)"."""
    import vidlint.probing.local as local

    def hang(*args: object, **kwargs: object) -> object:
        time.sleep(60)
        raise AssertionError("not reached")

    path = tmp_path / "slow.mp4"
    path.write_bytes(b"x")
    monkeypatch.setattr(local, "probe_path", hang)  # the forked worker inherits it
    monkeypatch.setattr(worker, "TIMEOUT_S", 0.1)
    if worker._shared is not None:  # the call must go to the worker started ahead, not an idle one
        worker._shared.close()
    monkeypatch.setattr(worker, "_shared", None)
    monkeypatch.setattr(worker, "_spares", [])
    worker.prestart([str(path)])  # its alarm: the limit + 5 s
    with pytest.raises(ProbeError, match=r"^probe timed out after 0.1 s: "):
        vidlint.probe(path, timeout_s=30)
