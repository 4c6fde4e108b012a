"""``vidlint fix`` for the packs of issue 14 and the facts they judge, on the real sample clips.

Each later pack alone is run on one clip per failure signature (the set of its rules a clip fails,
and whether it can be fixed at all: the smallest clip of each), derived from the packs and
sample_media/expected.toml; a few combinations, one of them a real conflict; and the new facts
(frame rate and its mode, orientation, HDR, bit depth, profile, edit lists, track counts) through a
pack of one's own, as a seller would write it. Every output is re-checked independently.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

import vidlint
from vidlint.fixing import FileFix, FixResult, Quality
from vidlint.fixing.limits import limits_of
from vidlint.fixing.video import available_filters
from vidlint.packs.builtin import file_marketplaces, load_pack
from vidlint.packs.loader import parse_pack
from vidlint.packs.pack import Pack

from .conftest import SAMPLES, sample_videos
from .test_samples import FIRST, _expected_unfixable

LATER = [m for m in file_marketplaces() if m not in FIRST]  # not run on every clip by test_samples
# the clips are 2 fps flat colour: ultrafast only changes the speed; H.264 alone keeps x265 and VP9
# (slow encoders the fixed files do not need) out of these runs
QUICK = Quality(preset="ultrafast", video_codecs=("h264",))


def _failing(name: str, packs: list[str | Pack]) -> frozenset[str]:
    reports = vidlint.check_all(str(SAMPLES / name), packs)
    return frozenset(f.rule for r in reports.values() for f in r.findings if f.severity == "error")


def _representatives(combo: tuple[str, ...]) -> list[str]:
    """The smallest clip of each failure signature of ``combo`` (its failing rules, and why it is
    not fixable when it is not)."""
    groups: dict[tuple[frozenset[str], str | None], list[str]] = {}
    for name in sample_videos():
        failed = _failing(name, list(combo))
        if failed:
            groups.setdefault((failed, _expected_unfixable(name, combo)), []).append(name)
    return sorted(min(names, key=lambda n: (SAMPLES / n).stat().st_size) for names in groups.values())


def _passes(path: str, packs: list[str | Pack]) -> list[str]:
    """The error codes an independent check still finds (empty: it passes)."""
    reports = vidlint.check_all(path, packs)
    return [f.code for r in reports.values() for f in r.findings if f.severity == "error"]


def _by_name(result: FixResult) -> dict[str, FileFix]:
    return {Path(f.source).name: f for f in result.files}


@pytest.fixture(scope="module", params=LATER)
def alone(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, ...]:
    combo: tuple[str, ...] = (request.param,)
    names = _representatives(combo)
    out = tmp_path_factory.mktemp("fixed")
    result = vidlint.fix([str(SAMPLES / n) for n in names], combo, out_dir=out, quality=QUICK, jobs=2)
    return combo, names, result


def test_each_later_pack_alone_fixes_every_fixable_clip(alone: tuple[Any, ...]) -> None:
    combo, names, result = alone
    found = _by_name(result)
    assert sorted(found) == names
    for name, item in found.items():
        why = _expected_unfixable(name, combo)
        if why is None:
            assert item.status == "fixed", (name, item)
            assert item.output is not None and not _passes(item.output, list(combo)), (name, item)
        else:
            assert item.status == "unfixable" and item.reason is not None and why in item.reason, (name, item)


def test_each_later_pack_has_a_remedy_for_every_failure(alone: tuple[Any, ...]) -> None:
    """No failing clip is refused for want of a hint: every rule has one (the request, link and fetch
    rules too, whose action is "none": the hint says what the user must do)."""
    combo, _, result = alone
    assert all("no known remedy" not in (f.reason or "") for f in result.files), result
    for rule in load_pack(combo[0]).rules:
        assert rule.fix is not None and rule.render_fix() is not None, rule.id
        if rule.applies_to not in ("file", "caption"):
            assert rule.fix.action == "none", rule.id


@pytest.mark.parametrize("combo", [("tiktok", "shopify"), ("mercadolibre", "wish"), ("ebay", "wish"),
                                   ("tiktok", "amazon-video-ads")], ids="+".join)  # fmt: skip
def test_combinations_are_fixed_for_every_pack_at_once(combo: tuple[str, ...], tmp_path: Path) -> None:
    names = _representatives(combo)
    fixable = [n for n in names if _expected_unfixable(n, combo) is None]
    assert fixable, "each combination has a fixable failing clip"
    result = vidlint.fix([str(SAMPLES / n) for n in fixable], combo, out_dir=tmp_path, quality=QUICK, jobs=2)
    assert len(result.files) == len(fixable) and result.exit_code == 0
    for item in result.files:
        assert item.status == "fixed" and item.output is not None, item
        assert not _passes(item.output, list(combo)), item


def test_all_twelve_at_once_conflict_on_the_shape(tmp_path: Path) -> None:
    """Wish wants 9:16 and MercadoLibre a vertical picture, where Sam's Club wants 16:9: no file can
    pass them all, so nothing is written and the conflict names the marketplaces and the limit."""
    everyone = tuple(file_marketplaces())
    conflicts = limits_of(load_pack(m) for m in everyone).conflicts()
    shape = [c for c in conflicts if c.what == "main_video.display_aspect_ratio"]
    assert shape and any("wish" in side for c in shape for side in c.sides)
    result = vidlint.fix(str(SAMPLES / "ok_h264_aac_1080p_10s.mp4"), everyone, out_dir=tmp_path / "out")
    item = result.files[0]
    assert item.status == "conflict" and result.exit_code == 1 and not (tmp_path / "out").exists()
    assert item.reason is not None
    for conflict in conflicts:
        assert conflict.describe() in item.reason


def test_a_vertical_requirement_against_16_9_is_a_conflict() -> None:
    limits = limits_of([load_pack("mercadolibre"), load_pack("samsclub")])
    (conflict,) = [c for c in limits.conflicts() if c.what == "main_video.display_aspect_ratio"]
    assert any(s.startswith("mercadolibre (mercadolibre.vertical") for s in conflict.sides)
    assert any(s.startswith("samsclub (samsclub.aspect-ratio") for s in conflict.sides)


@pytest.mark.parametrize(("clip", "crop", "size"), [("square_1080x1080_10s.mp4", False, (1080, 1920)),
                                                    ("square_1080x1080_10s.mp4", True, (608, 1080)),
                                                    ("vertical_1080x1920_10s.mp4", False, None)])  # fmt: skip
def test_a_vertical_requirement_pads_or_crops_to_9_16(
    clip: str, crop: bool, size: tuple[int, int] | None, tmp_path: Path
) -> None:
    """MercadoLibre wants vertical, Wish 9:16: a square clip is padded (or cropped) to 9:16, a vertical
    one passes already."""
    combo = ["mercadolibre", "wish"]
    result = vidlint.fix(str(SAMPLES / clip), combo, out_dir=tmp_path, quality=QUICK, crop=crop)
    item = result.files[0]
    if size is None:
        assert item.status == "passing"
        return
    assert item.status == "fixed" and item.output is not None, item
    video = vidlint.probe(item.output).main_video
    assert video is not None and (video.display_width, video.display_height) == size
    assert vidlint.probe(item.output).orientation == "vertical" and not _passes(item.output, list(combo))


def _house(*rules: tuple[str, str, str, str]) -> Pack:
    """A seller's own pack: one error rule per (kind, field, params, fix action)."""
    text = 'id = "house"\nname = "House rules"\n'
    for index, (kind, field, params, action) in enumerate(rules):
        text += (
            f'[[rules]]\nid = "house.r{index}"\ncode = "HOUSE_{index}"\ndocumented = false\n'
            f'applies_to = "file"\nmessage = "{field}"\n'
            f'fix = {{ action = "{action}", hint = "fix {field}" }}\n'
            f'[rules.check]\nkind = "{kind}"\nfield = "{field}"\nparams = {params}\n'
        )
    return parse_pack(text, "house")


def _fix_one(clip: str, packs: list[str | Pack], folder: Path, **options: Any) -> tuple[FileFix, Any]:
    result = vidlint.fix(str(SAMPLES / clip), packs, out_dir=folder, quality=options.pop("quality", QUICK),
                         **options)  # fmt: skip
    item = result.files[0]
    assert item.status == "fixed" and item.output is not None, item
    assert not _passes(item.output, packs), item
    return item, vidlint.probe(item.output)


def test_variable_frame_rate_is_made_constant(tmp_path: Path) -> None:
    before = vidlint.probe(SAMPLES / "vfr_1080p_10s.mp4").main_video
    assert before is not None and before.frame_rate_mode == "variable"
    pack = _house(("in_set", "main_video.frame_rate_mode", '{ values = ["constant"] }', "transcode_video"))
    item, facts = _fix_one("vfr_1080p_10s.mp4", [pack], tmp_path)
    assert "fps=" in (item.command or "") and facts.main_video.frame_rate_mode == "constant"
    assert before.frame_rate is not None and abs(facts.main_video.frame_rate - before.frame_rate) < 0.1


def test_a_frame_rate_out_of_range_goes_to_the_nearest_allowed_rate(tmp_path: Path) -> None:
    """TikTok takes 23-60 fps: a variable 6.7 fps clip becomes a constant 23.976 fps one (the standard
    rate nearest it within the range); Amazon's 15 fps minimum with it changes nothing."""
    combo: list[str | Pack] = ["tiktok", "amazon-video-ads"]
    item, facts = _fix_one("vfr_1080p_10s.mp4", combo, tmp_path)
    assert "fps=24000/1001" in (item.command or "")
    assert facts.main_video.frame_rate == pytest.approx(23.976, abs=0.01)
    assert facts.main_video.frame_rate_mode == "constant"


def test_hdr_10_bit_becomes_8_bit_sdr_with_an_allowed_profile(tmp_path: Path) -> None:
    pack = _house(
        ("in_set", "main_video.hdr_transfer", '{ values = ["sdr"] }', "transcode_video"),
        ("max", "main_video.bit_depth", "{ max = 8 }", "transcode_video"),
        ("in_set", "main_video.profile", '{ values = ["Main", "High"] }', "transcode_video"),
    )
    before = vidlint.probe(SAMPLES / "hdr10_hevc_10bit_1080p_10s.mp4").main_video
    assert before is not None and (before.hdr_transfer, before.bit_depth) == ("pq", 10)
    hevc = Quality(preset="ultrafast")  # HEVC allowed and preferred: kept, at 8 bits
    item, facts = _fix_one("hdr10_hevc_10bit_1080p_10s.mp4", [pack], tmp_path, quality=hevc)
    video = facts.main_video
    assert (video.codec, video.hdr_transfer, video.bit_depth, video.profile) == ("hevc", "sdr", 8, "Main")
    assert "tonemap=" in (item.command or "") and "-profile:v main" in (item.command or "")


def test_hdr_is_not_fixable_without_the_tone_mapping_filters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ffmpeg without zimg (no zscale filter): the HDR clip is not fixable, and the reason says why."""
    real = shutil.which("ffmpeg")
    wrapper = tmp_path / "bin" / "ffmpeg"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\n"{real}" "$@" | grep -v " zscale "\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    available_filters.cache_clear()
    try:
        pack = _house(("in_set", "main_video.hdr_transfer", '{ values = ["sdr"] }', "transcode_video"))
        result = vidlint.fix(str(SAMPLES / "hdr10_hevc_10bit_1080p_10s.mp4"), [pack], out_dir=tmp_path / "o")
    finally:
        available_filters.cache_clear()
    item = result.files[0]
    assert item.status == "unfixable" and item.reason is not None and "zscale" in item.reason, item


def test_an_edit_list_is_dropped_by_a_stream_copy(tmp_path: Path) -> None:
    assert vidlint.probe(SAMPLES / "edit_list_1080p_10s.mp4").edit_list is True
    pack = _house(("flag", "edit_list", "{ value = false }", "remux"))
    item, facts = _fix_one("edit_list_1080p_10s.mp4", [pack], tmp_path)
    assert item.stream_copy and "-use_editlist 0" in (item.command or "") and facts.edit_list is False


def test_only_the_first_audio_track_is_kept_when_a_limit_counts_them(tmp_path: Path) -> None:
    source = vidlint.probe(SAMPLES / "two_audio_tracks_1080p_10s.mp4")
    assert source.audio_tracks == 2
    pack = _house(("max", "audio_tracks", "{ max = 1 }", "remux"))
    item, facts = _fix_one("two_audio_tracks_1080p_10s.mp4", [pack], tmp_path)
    assert item.stream_copy and facts.audio_tracks == 1
    assert facts.audio[0].codec == source.audio[0].codec


def test_a_quality_encode_over_the_size_limit_is_encoded_again_at_a_bitrate(tmp_path: Path) -> None:
    """Lossless (CRF 0) at 23.976 fps comes out near 2 MB, over a 1 MB limit the 28 kB input did not
    suggest: the second encode, at the bitrate the limit leaves for 10 s, fits."""
    limit = 1_000_000
    pack = _house(
        ("min", "main_video.frame_rate", "{ min = 23 }", "transcode_video"),
        ("max", "size_bytes", f"{{ max = {limit} }}", "bitrate"),
    )
    lossless = Quality(preset="ultrafast", crf=0, video_codecs=("h264",))
    item, facts = _fix_one("ok_h264_aac_1080p_10s.mp4", [pack], tmp_path, quality=lossless)
    assert any("encoded again" in step for step in item.steps) and "-b:v" in (item.command or "")
    assert facts.size_bytes is not None and facts.size_bytes <= limit


def test_a_ratio_any_rule_raised_to_an_error_pads_to_the_nearest_shape(tmp_path: Path) -> None:
    """Google's aspect-ratio warning (9:16, 16:9 or 1:1) made an error: a DCI 4K picture (1.896:1) is
    padded to 16:9, the nearest of them."""
    raised: Mapping[str, Mapping[str, Any]] = {"google-merchant.aspect-ratio": {"severity": "error"}}
    result = vidlint.fix(str(SAMPLES / "dci4k_4096x2160_6s.mp4"), ["google-merchant"], out_dir=tmp_path,
                         quality=QUICK, overrides=raised)  # fmt: skip
    item = result.files[0]
    assert item.status == "fixed" and item.output is not None, item
    video = vidlint.probe(item.output).main_video
    assert video is not None and video.display_aspect_ratio == pytest.approx(16 / 9, rel=0.01)
