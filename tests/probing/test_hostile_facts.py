"""Hostile bytes in the boxes the new facts come from: the sample durations (stts), the composition
offsets (ctts), the edit list (elst), the colour box (colr) and the decoder configurations (avcC,
hvcC). Whatever they hold, the probe answers with MediaFacts (a one-line error when the index is
broken) or a one-line ProbeError for a worker that overran, never a traceback, never a hang; and the
facts it gives are of their declared types."""

from __future__ import annotations

import math
import struct
import time
from array import array
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from vidlint.errors import ProbeError
from vidlint.model.facts import MediaFacts
from vidlint.probing import index, probe

from .support import SAMPLES

TIMEOUT_S = 10.0
CLIPS = (
    "hdr10_hevc_10bit_1080p_10s.mp4",  # hvcC, colr
    "edit_list_1080p_10s.mp4",  # elst that changes what plays
    "vfr_1080p_10s.mp4",  # stts with several runs
    "ok_h264_aac_1080p_10s.mp4",  # avcC, elst of AAC priming
    "ok_hevc_aac_1080p_10s.mov",
)
KINDS = (b"stts", b"ctts", b"elst", b"colr", b"avcC", b"hvcC")
SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
HUGE = st.sampled_from([0, 1, 2, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x00FFFFFF, 0x10000, 2751463425])


@pytest.fixture(scope="module")
def clips() -> dict[str, bytes]:
    return {name: (SAMPLES / name).read_bytes() for name in CLIPS}


@pytest.fixture(scope="module")
def fuzz_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile_facts") / "input.mp4"


def boxes_of(data: bytes, kind: bytes) -> list[tuple[int, int]]:
    """(start, end) of every box of ``kind`` whose header is plausible (found by its type)."""
    found, at = [], data.find(kind)
    while at >= 4:
        size = struct.unpack_from(">I", data, at - 4)[0]
        if 8 <= size <= len(data) - (at - 4):
            found.append((at - 4, at - 4 + size))
        at = data.find(kind, at + 1)
    return found


def checked(path: Path, data: bytes) -> MediaFacts | ProbeError:
    path.write_bytes(data)
    started = time.monotonic()
    try:
        outcome = probe(path, timeout_s=TIMEOUT_S)
    except ProbeError as exc:
        assert str(exc).startswith(("probe timed out", "probe worker died")), exc
        assert "\n" not in str(exc)
        return exc
    assert time.monotonic() - started < TIMEOUT_S + 5
    assert "\n" not in (outcome.error or "")
    assert outcome.readable or outcome.error
    assert outcome.edit_list in (None, True, False)
    assert outcome.faststart in (None, True, False)
    for video in outcome.video:
        assert video.frame_rate is None or (math.isfinite(video.frame_rate) and video.frame_rate > 0)
        assert video.frame_rate_mode in (None, "constant", "variable")
        assert video.hdr_transfer in (None, "sdr", "pq", "hlg")
        assert video.bit_depth is None or 1 <= video.bit_depth <= 32
        assert video.profile is None or (video.profile.isprintable() and video.profile.strip())
    assert outcome.orientation in (None, "vertical", "square", "horizontal")
    return outcome


def fuzzed(path: Path, data: bytes) -> None:
    outcome = checked(path, data)
    event("still readable" if isinstance(outcome, MediaFacts) and outcome.readable else "refused")


def _target(data: st.DataObject, clips: dict[str, bytes]) -> tuple[bytearray, int, int]:
    name = data.draw(st.sampled_from(CLIPS))
    clip = bytearray(clips[name])
    found = [box for kind in KINDS for box in boxes_of(clips[name], kind)]
    start, end = data.draw(st.sampled_from(found))
    return clip, start, end


@SETTINGS
@given(data=st.data())
def test_garbage_inside_the_boxes(clips: dict[str, bytes], fuzz_file: Path, data: st.DataObject) -> None:
    clip, start, end = _target(data, clips)
    payload = data.draw(st.binary(min_size=1, max_size=max(1, end - start - 8)))
    at = data.draw(st.integers(start + 8, max(start + 8, end - len(payload))))
    clip[at : at + len(payload)] = payload[: end - at]
    fuzzed(fuzz_file, bytes(clip))


@SETTINGS
@given(data=st.data(), value=HUGE)
def test_huge_counts_and_fields(
    clips: dict[str, bytes], fuzz_file: Path, data: st.DataObject, value: int
) -> None:
    """The entry count of a table (after version and flags), or any 32-bit field of the box."""
    clip, start, end = _target(data, clips)
    at = data.draw(st.sampled_from([start + 12, *range(start + 8, end - 3, 4)]))
    if at + 4 <= end:
        clip[at : at + 4] = value.to_bytes(4, "big")
    fuzzed(fuzz_file, bytes(clip))


@SETTINGS
@given(data=st.data())
def test_boxes_cut_short(clips: dict[str, bytes], fuzz_file: Path, data: st.DataObject) -> None:
    """A box declared shorter than it is (its tail read as the next box), or longer."""
    clip, start, end = _target(data, clips)
    size = data.draw(st.one_of(st.integers(0, end - start), st.integers(end - start, end - start + 64)))
    clip[start : start + 4] = size.to_bytes(4, "big")
    fuzzed(fuzz_file, bytes(clip))


def test_a_truncated_colr_box_is_no_transfer_and_no_error(tmp_path: Path) -> None:
    clip = bytearray((SAMPLES / "hdr10_hevc_10bit_1080p_10s.mp4").read_bytes())
    ((start, _end),) = boxes_of(bytes(clip), b"colr")
    clip[start + 8 : start + 12] = b"nclx"[:2] + b"\0\0"  # not a colour type it knows
    facts = checked(tmp_path / "colr.mp4", bytes(clip))
    assert isinstance(facts, MediaFacts) and facts.readable and facts.error is None
    video = facts.main_video
    assert video is not None and video.profile == "Main 10"
    assert video.hdr_transfer == "pq"  # from MediaInfo's reading of the VUI, the colr box being unknown


def test_a_million_stts_runs_take_milliseconds() -> None:
    """A sample table of 1,000,000 runs (an hour of variable frame rate has ~100,000)."""
    runs = array("I", [1, 1000])
    for i in range(999_999):
        runs.extend((1, 1001 + i % 3))
    started = time.monotonic()
    timing = index._timing(runs, 1_000_000, 30000, 0)
    assert time.monotonic() - started < 1.0
    assert timing.samples == 1_000_000 and timing.variable
    assert timing.rate == pytest.approx(30000 / 1002, rel=1e-3)


@pytest.mark.parametrize(
    ("runs", "variable", "last"),
    [
        ([30, 1001], False, 1001),
        ([10, 33, 10, 34, 10, 33], False, 33),  # 29.97 fps at 1/1000: rounding, not variation
        ([10, 512, 1, 2048], False, 2048),  # only the last sample differs
        ([10, 512, 2, 2048], True, 2048),
        ([10, 512, 0, 9999, 5, 512], False, 512),  # a run of no sample says nothing
        ([10, 512, 5, 512, 0, 9999], False, 512),
        ([1, 512], False, 512),
        ([1, 512] * 300 + [1, 600] + [1, 512] * 10, True, 512),  # past the first runs looked at
    ],
)
def test_variable_means_beyond_rounding(runs: list[int], variable: bool, last: int) -> None:
    timing = index._timing(array("I", runs), sum(runs[0::2]), 1000, 0)
    assert (timing.variable, timing.last) == (variable, last)
