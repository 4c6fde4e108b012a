"""The limits of several marketplaces at once, computed from their packs, and their conflicts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import vidlint
from vidlint.engine import apply_rule
from vidlint.fixing.limits import limits_of
from vidlint.model.facts import MediaFacts
from vidlint.packs.builtin import load_pack
from vidlint.packs.overrides import apply_overrides


def test_trendyol_and_samsclub_together() -> None:
    """The issue's example: 8-30 s, 16:9 within 1 %, 1920x1080-3840x2160, H.264/H.265, AAC/MP3/PCM,
    .mp4 or .mov with matching content, < 500,000,000 bytes, each limit from the packs' parameters."""
    samsclub, trendyol = load_pack("samsclub"), load_pack("trendyol")
    limits = limits_of([samsclub, trendyol])
    duration = limits.interval("duration_s")
    assert duration.low and duration.high
    assert (duration.low.value, duration.high.value) == (
        trendyol.rule("trendyol.duration").params.min,  # type: ignore[attr-defined]
        samsclub.rule("samsclub.duration").params.max,  # type: ignore[attr-defined]
    )
    size = limits.interval("size_bytes").high
    assert size is not None and size.rule.id == "samsclub.size" and not size.inclusive  # "less than" wins
    low, high = samsclub.rule("samsclub.aspect-ratio").params.bounds()
    aspect = limits.interval("main_video.display_aspect_ratio")
    assert aspect.low and aspect.high and (aspect.low.value, aspect.high.value) == (low.value, high.value)
    assert limits.values("main_video.codec") == {"h264", "hevc"}
    assert limits.values("audio.*.codec") == {"aac", "mp3", "pcm"}
    assert limits.formats is not None and limits.formats.values == {".mp4 mp4", ".mov mov"}
    assert limits.conflicts() == []


def test_akinon_narrows_the_format_to_mp4() -> None:
    limits = limits_of([load_pack("samsclub"), load_pack("akinon")])
    assert limits.values("extension") == {".mp4"}
    assert limits.containers is not None and limits.containers.values == {"mp4"}


def test_disjoint_ranges_are_a_conflict_naming_both_sides() -> None:
    trendyol = load_pack("trendyol")
    samsclub = apply_overrides(load_pack("samsclub"), {"samsclub.duration": {"min": 1, "max": 6}})
    (conflict,) = limits_of([trendyol, samsclub]).conflicts()
    text = conflict.describe()
    assert conflict.what == "duration_s" and "trendyol.duration" in text and "samsclub.duration" in text


def test_disjoint_sets_are_a_conflict() -> None:
    samsclub = apply_overrides(load_pack("samsclub"), {"samsclub.video-codec": {"values": ["h264"]}})
    other = apply_overrides(load_pack("samsclub"), {"samsclub.video-codec": {"values": ["hevc"]}})
    other = vidlint.Pack(**{**other.__dict__, "id": "other"})
    (conflict,) = limits_of([samsclub, other]).conflicts()
    assert conflict.what == "main_video.codec" and len(conflict.sides) == 2


_ranges = st.tuples(st.integers(0, 200), st.integers(0, 200)).map(sorted)


@settings(max_examples=80, deadline=None)
@given(_ranges, _ranges, st.floats(0, 220, allow_nan=False))
def test_a_duration_is_within_the_intersection_iff_every_pack_passes_it(
    first: list[int], second: list[int], duration: float
) -> None:
    """Property: the planner's limits agree with the engine's own verdicts, whatever the overrides."""
    packs = [
        apply_overrides(load_pack("trendyol"), {"trendyol.duration": {"min": first[0], "max": first[1]}}),
        apply_overrides(load_pack("samsclub"), {"samsclub.duration": {"min": second[0], "max": second[1]}}),
    ]
    facts = MediaFacts(path="x.mp4", size_bytes=1, extension=".mp4", kind="video", duration_s=duration)
    engine = all(apply_rule(p.rule(f"{p.id}.duration"), facts) is None for p in packs)
    limits = limits_of(packs)
    assert limits.interval("duration_s").contains(duration) == engine
    assert bool(limits.conflicts()) == (max(first[0], second[0]) > min(first[1], second[1]))
