"""The planner on facts: the cheapest job, geometry within every limit, and what it refuses."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vidlint
from vidlint.engine import apply_rule
from vidlint.fixing.limits import limits_of
from vidlint.fixing.options import FixOptions
from vidlint.fixing.plan import Failure, Plan, Unfixable, plan
from vidlint.model.facts import AudioTrack, MediaFacts, VideoTrack
from vidlint.packs.builtin import load_pack
from vidlint.packs.overrides import apply_overrides
from vidlint.packs.pack import Pack

from .conftest import SAMPLES


def _plan(facts: MediaFacts, packs: list[Pack], options: FixOptions | None = None) -> Plan:
    failures = [
        Failure(p.id, finding, rule)
        for p in packs
        for rule in p.rules_for("file")
        if (finding := apply_rule(rule, facts)) is not None and finding.severity == "error"
    ]
    return plan(facts, failures, limits_of(packs), options or FixOptions())


def _facts(name: str) -> MediaFacts:
    return vidlint.probe(SAMPLES / name)


def test_a_matroska_file_named_mp4_is_remuxed_without_re_encoding() -> None:
    job = _plan(_facts("mkv_named.mp4"), [load_pack("samsclub")])
    assert job.stream_copy and job.video.geometry is None and job.trim_s is None
    assert (job.extension, job.muxer) == (".mp4", "mp4")


def test_only_the_stream_with_the_wrong_codec_is_re_encoded() -> None:
    audio = _plan(_facts("ac3_audio_10s.mp4"), [load_pack("samsclub")])
    assert audio.video.encoder is None and audio.audio is not None and audio.audio.encoder == "aac"
    video = _plan(_facts("mpeg4_video_10s.mp4"), [load_pack("samsclub")])
    assert video.video.encoder == "libx264" and video.audio is not None and video.audio.encoder is None


def test_a_long_clip_is_trimmed_under_the_tightest_maximum() -> None:
    job = _plan(_facts("long_125s.mp4"), [load_pack("samsclub"), load_pack("trendyol")])
    assert job.stream_copy and job.trim_s is not None and 29 < job.trim_s < 30


def test_a_too_short_clip_is_never_padded() -> None:
    with pytest.raises(Unfixable, match="too short"):
        _plan(_facts("dur_7s.mp4"), [load_pack("trendyol")])


def test_rotation_is_kept_when_the_rotated_shape_passes() -> None:
    """Trendyol does not judge the picture: a rotated clip in the wrong container is stream-copied."""
    facts = dataclasses.replace(_facts("rotated_90_10s.mp4"), container="matroska")
    job = _plan(facts, [load_pack("trendyol")])
    assert job.stream_copy and job.video.geometry is None


def test_rotation_is_baked_in_when_the_rotated_shape_fails() -> None:
    job = _plan(_facts("rotated_90_10s.mp4"), [load_pack("samsclub")])
    geometry = job.video.geometry
    assert job.video.encoder is not None and geometry is not None
    assert geometry.content == (1080, 1920) and geometry.mode == "pad"  # upright, not scaled up
    assert any("rotation 90 baked in" in step for step in job.steps)


def test_crop_fills_the_frame_instead_of_padding() -> None:
    job = _plan(_facts("square_1080x1080_10s.mp4"), [load_pack("samsclub")], FixOptions(crop=True))
    geometry = job.video.geometry
    assert geometry is not None and geometry.mode == "crop" and geometry.content[0] == geometry.width


def test_a_size_limit_sets_a_bitrate() -> None:
    facts = dataclasses.replace(_facts("ok_h264_aac_1080p_10s.mp4"), size_bytes=600_000_000)
    job = _plan(facts, [load_pack("samsclub")])
    limit = load_pack("samsclub").rule("samsclub.size").params.limit  # type: ignore[attr-defined]
    assert job.video.bitrate is not None and job.video.encoder == "libx264"
    assert (job.video.bitrate + 128_000) * 10 / 8 < limit


def test_a_size_limit_no_watchable_bitrate_meets_is_refused() -> None:
    packs = [apply_overrides(load_pack("samsclub"), {"samsclub.size": {"limit": 20_000}})]
    with pytest.raises(Unfixable, match="watchable bitrate"):
        _plan(_facts("ok_h264_aac_1080p_10s.mp4"), packs)


def test_a_finding_the_user_must_fix_is_refused_with_its_hint() -> None:
    facts = _facts("ok_h264_aac_1080p_10s.mp4")
    pack = load_pack("akinon")
    finding = apply_rule(pack.rule("akinon.video-extension"), dataclasses.replace(facts, extension=".avi"))
    assert finding is not None and finding.fix is not None
    fix = dataclasses.replace(finding.fix, action="none")
    failure = Failure("akinon", dataclasses.replace(finding, fix=fix), pack.rule("akinon.video-extension"))
    with pytest.raises(Unfixable, match=finding.code):
        plan(facts, [failure], limits_of([pack]), FixOptions())


_sizes = st.integers(min_value=16, max_value=5000)


@settings(max_examples=150, deadline=None)
@given(_sizes, _sizes, st.sampled_from(["1:1", "4:3", "3:4", "64:45"]), st.sampled_from([0, 90, 180, 270]),
       st.booleans())  # fmt: skip
def test_any_picture_is_brought_within_every_limit_without_needless_upscaling(
    width: int, height: int, sar: str, rotation: int, crop: bool
) -> None:
    track = VideoTrack(codec="h264", stored_width=width, stored_height=height, rotation_cw=rotation,
                       sample_aspect_exact=sar)  # fmt: skip
    audio = (AudioTrack(codec="aac"),)
    facts = MediaFacts(path="x.mp4", size_bytes=1000, extension=".mp4", kind="video", container="mp4",
                       readable=True, duration_s=10.0, video=(track,), audio=audio)  # fmt: skip
    pack = load_pack("samsclub")
    try:
        job = _plan(facts, [pack], FixOptions(crop=crop))
    except Unfixable as exc:
        assert "no picture size" in str(exc)
        return
    g = job.video.geometry
    if g is None:
        assert job.video.encoder is None  # nothing failed: the picture is kept as it is
        return
    out = VideoTrack(codec="h264", stored_width=g.width, stored_height=g.height)
    judged = dataclasses.replace(facts, video=(out,))
    for rule_id in ("samsclub.aspect-ratio", "samsclub.min-pixel", "samsclub.max-pixel"):
        assert apply_rule(pack.rule(rule_id), judged) is None, (rule_id, g)
    assert g.width % 2 == 0 and g.height % 2 == 0
    scale = max(g.content[0] / track.display_width, g.content[1] / track.display_height)
    if track.display_width >= 1920 and track.display_height >= 1080 and not crop:
        assert scale <= 1.01, g  # a picture big enough is never scaled up
