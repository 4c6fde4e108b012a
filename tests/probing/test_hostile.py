"""Hostile input: mutated, truncated and spliced real clips and random bytes always give MediaFacts
(or a one-line ProbeError for a worker that overran or died), within the time limit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vidlint.errors import ProbeError
from vidlint.model.facts import MediaFacts
from vidlint.probing import probe

from .support import SAMPLES

TIMEOUT_S = 10.0
CLIPS = [
    "ok_h264_aac_1080p_10s.mp4",
    "moov_at_end_10s.mp4",
    "fragmented_10s.mp4",
    "ok_hevc_aac_1080p_10s.mov",
    "vp9_in_webm_10s.webm",
    "mkv_named.mp4",
    "hdr10_hevc_10bit_1080p_10s.mp4",  # hvcC and colr (the HDR facts)
    "edit_list_1080p_10s.mp4",  # an edit list that trims the start
    "vfr_1080p_10s.mp4",  # stts of several runs (variable frame rate)
]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def clips() -> list[bytes]:
    return [(SAMPLES / name).read_bytes() for name in CLIPS]


@pytest.fixture(scope="module")
def fuzz_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile") / "input.mp4"


def check(path: Path, data: bytes) -> MediaFacts | ProbeError:
    path.write_bytes(data)
    started = time.monotonic()
    try:
        outcome: MediaFacts | ProbeError = probe(path, timeout_s=TIMEOUT_S)
    except ProbeError as exc:
        outcome = exc
        assert str(exc).startswith(("probe timed out", "probe worker died")), exc
        assert "\n" not in str(exc)
    assert time.monotonic() - started < TIMEOUT_S + 5
    if isinstance(outcome, MediaFacts):
        assert outcome.size_bytes == len(data)
        assert "\n" not in (outcome.error or "")
        assert not outcome.readable or (outcome.video and outcome.kind == "video")
        assert outcome.readable or outcome.error
    return outcome


@SETTINGS
@given(data=st.data())
def test_byte_flips(clips: list[bytes], fuzz_file: Path, data: st.DataObject) -> None:
    clip = bytearray(data.draw(st.sampled_from(clips)))
    flips = data.draw(
        st.lists(st.tuples(st.integers(0, len(clip) - 1), st.integers(0, 255)), min_size=1, max_size=40)
    )
    for position, value in flips:
        clip[position] = value
    check(fuzz_file, bytes(clip))


@SETTINGS
@given(data=st.data())
def test_truncation_and_splices(clips: list[bytes], fuzz_file: Path, data: st.DataObject) -> None:
    first, second = data.draw(st.sampled_from(clips)), data.draw(st.sampled_from(clips))
    cut = data.draw(st.integers(0, len(first)))
    tail = data.draw(st.integers(0, len(second)))
    splice = data.draw(st.booleans())
    check(fuzz_file, first[:cut] + (second[tail:] if splice else b""))


@SETTINGS
@given(
    raw=st.binary(min_size=1, max_size=4096),
    prefix=st.sampled_from([b"", b"\x00\x00\x00\x18ftypisom", b"\x1a\x45\xdf\xa3"]),
)
def test_random_bytes(fuzz_file: Path, raw: bytes, prefix: bytes) -> None:
    check(fuzz_file, prefix + raw)


def test_box_sizes_that_lie(clips: list[bytes], fuzz_file: Path) -> None:
    clip = clips[0]
    for kind in (b"moov", b"mdat", b"trak", b"stsd", b"stco"):
        at = clip.index(kind) - 4
        for size in (b"\xff\xff\xff\xff", b"\x00\x00\x00\x01", b"\x00\x00\x00\x00", b"\x00\x00\x00\x07"):
            outcome = check(fuzz_file, clip[:at] + size + clip[at + 4 :])
            assert isinstance(outcome, MediaFacts | ProbeError)
