"""The limits and the plan for the facts of issue 14 (frame rate, orientation, flags, several
allowed shapes), on facts alone: no encode runs here."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vidlint.engine import apply_rule
from vidlint.fixing.limits import ASPECT, limits_of
from vidlint.fixing.options import FixOptions
from vidlint.fixing.plan import Unfixable
from vidlint.fixing.video import STANDARD_RATES, NotTreatable, treatment
from vidlint.model.facts import AudioTrack, MediaFacts, VideoTrack
from vidlint.packs.builtin import load_pack
from vidlint.packs.loader import parse_pack
from vidlint.packs.pack import Pack

from .test_plan import _plan


def _pack(pack_id: str, kind: str, field: str, params: str) -> Pack:
    return parse_pack(
        f'id = "{pack_id}"\nname = "{pack_id}"\n[[rules]]\nid = "{pack_id}.rule"\ncode = "X"\n'
        f'documented = false\napplies_to = "file"\nmessage = "m"\n[rules.check]\nkind = "{kind}"\n'
        f'field = "{field}"\nparams = {params}\n',
        pack_id,
    )


def _facts(track: VideoTrack) -> MediaFacts:
    audio = (AudioTrack(codec="aac"),)
    return MediaFacts(path="x.mp4", size_bytes=1000, extension=".mp4", kind="video", container="mp4",
                      readable=True, duration_s=20.0, video=(track,), audio=audio)  # fmt: skip


_rates = st.floats(min_value=0.5, max_value=240, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(_rates, _rates, _rates, st.sampled_from(["constant", "variable"]))
def test_the_frame_rate_goes_to_the_nearest_standard_rate_within_the_limit(
    current: float, one: float, other: float, mode: Literal["constant", "variable"]
) -> None:
    low, high = sorted((round(one, 3), round(other, 3)))
    limits = limits_of([
        _pack("rate", "between", "main_video.frame_rate", f"{{ min = {low}, max = {high} }}"),
        _pack("mode", "in_set", "main_video.frame_rate_mode", '{ values = ["constant"] }'),
    ])  # fmt: skip
    track = VideoTrack(codec="h264", stored_width=640, stored_height=360, frame_rate=current,
                       frame_rate_mode=mode)  # fmt: skip
    try:
        fps = treatment(track, limits).fps
    except NotTreatable:
        pytest.fail("an inclusive range always holds its own edges")
    inside = low <= current <= high
    if inside and mode == "constant":
        assert fps is None
        return
    assert fps is not None and low <= float(Fraction(fps)) <= high
    standard = [r for r in STANDARD_RATES if low <= float(r) <= high]
    if inside:  # only the mode was wrong: the rate is kept
        assert abs(float(Fraction(fps)) / current - 1) <= 0.005
    elif standard:
        assert Fraction(fps) == min(standard, key=lambda r: abs(float(r) - current))


_sizes = st.integers(min_value=16, max_value=5000)


@settings(max_examples=150, deadline=None)
@given(_sizes, _sizes, st.sampled_from(["1:1", "4:3", "3:4"]), st.sampled_from([0, 90]), st.booleans())
def test_a_vertical_9_16_requirement_gives_a_vertical_9_16_picture_within_the_limits(
    width: int, height: int, sar: str, rotation: int, crop: bool
) -> None:
    """MercadoLibre (vertical, at least 360x640) and Wish (9:16 within 1 %, at least 480x480)."""
    packs = [load_pack("mercadolibre"), load_pack("wish")]
    track = VideoTrack(codec="h264", stored_width=width, stored_height=height, rotation_cw=rotation,
                       sample_aspect_exact=sar, frame_rate=25.0)  # fmt: skip
    facts = _facts(track)
    try:
        job = _plan(facts, packs, FixOptions(crop=crop))
    except Unfixable as exc:
        assert "no picture size" in str(exc)
        return
    g = job.video.geometry
    if g is None:
        assert job.video.encoder is None
        return
    judged = dataclasses.replace(
        facts, video=(VideoTrack(codec="h264", stored_width=g.width, stored_height=g.height),)
    )
    for pack in packs:
        for rule in pack.rules_for("file"):
            assert apply_rule(rule, judged) is None, (rule.id, g)


def test_an_orientation_alone_takes_the_usual_shape_of_that_orientation() -> None:
    """Only "vertical" required (no ratio): a 16:9 or square picture becomes 9:16, padded by default."""
    pack = load_pack("mercadolibre")
    for width, height in ((1920, 1080), (1080, 1080)):
        facts = _facts(VideoTrack(codec="h264", stored_width=width, stored_height=height, frame_rate=25.0))
        g = _plan(facts, [pack]).video.geometry
        assert g is not None and g.mode == "pad" and g.width / g.height == pytest.approx(9 / 16, rel=0.01)
        assert g.content == (width, height)  # padded around the whole picture, never scaled down


def test_orientation_and_a_ratio_meet_in_one_interval() -> None:
    wish = limits_of([load_pack("mercadolibre"), load_pack("wish")])
    low, high = load_pack("wish").rule("wish.aspect-ratio").params.bounds()
    aspect = wish.interval(ASPECT)
    assert aspect.low is not None and aspect.high is not None and wish.conflicts() == []
    assert (aspect.low.value, aspect.high.value) == (low.value, high.value)
    square = _pack("square", "in_set", "orientation", '{ values = ["square"] }')
    (conflict,) = limits_of([load_pack("mercadolibre"), square]).conflicts()
    assert conflict.what == "orientation"  # one conflict, not also one of the ratio edges they set
    assert [s.split(" ")[0] for s in conflict.sides] == ["mercadolibre", "square"]


def test_flags_that_disagree_are_a_conflict() -> None:
    first = _pack("first", "flag", "faststart", "{ value = true }")
    second = _pack("second", "flag", "faststart", "{ value = false }")
    (conflict,) = limits_of([first, second]).conflicts()
    assert conflict.what == "faststart" and len(conflict.sides) == 2
    assert limits_of([first, load_pack("meta-catalog")]).conflicts() == []  # a warning is no limit


def test_several_shapes_take_the_nearest_one_and_conflict_when_none_fits() -> None:
    shapes = _pack("shapes", "ratio_any", ASPECT, '{ targets = ["9:16", "1:1"], tolerance = 0.01 }')
    near = limits_of([shapes]).interval_near(ASPECT, 0.7)
    assert (
        near is not None and near.low is not None and near.low.value == pytest.approx(0.5625 * 0.99, rel=1e-6)
    )
    wide = _pack("wide", "ratio_close", ASPECT, '{ target = "16:9", tolerance = 0.01 }')
    (conflict,) = limits_of([shapes, wide]).conflicts()
    assert conflict.what == ASPECT and any(s.startswith("shapes") for s in conflict.sides)
