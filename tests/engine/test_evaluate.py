"""How the engine picks and runs rules: paths, the request view, gating, final rules, robustness."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.engine import caption_facts, image_facts, video_facts

from vidlint.checks import KINDS, Fail, unverifiable
from vidlint.engine import (
    INTERNAL_ERROR,
    MISSING,
    apply_rule,
    evaluate,
    request_view,
    resolve,
    url_extension,
    with_path,
)
from vidlint.model.facts import AudioTrack, FetchFacts, MediaFacts, VideoTrack, as_data
from vidlint.model.report import Finding, Report
from vidlint.packs.builtin import builtin_packs, load_pack
from vidlint.packs.loader import parse_pack
from vidlint.packs.overrides import apply_overrides
from vidlint.packs.pack import Pack

BODY = {"a": {"b": [{"c": 1}, {"c": 2}, {"d": 3}]}, "e": None}


@pytest.mark.parametrize(
    ("path", "found"),
    [
        (None, [("", BODY)]),
        ("e", [("e", None)]),
        ("x", [("x", MISSING)]),
        ("a.b.1.c", [("a.b.1.c", 2)]),
        ("a.b.7.c", [("a.b.7.c", MISSING)]),
        ("a.b.*.c", [("a.b.0.c", 1), ("a.b.1.c", 2), ("a.b.2.c", MISSING)]),
        ("x.*.c", []),
        ("e.f", [("e.f", MISSING)]),
    ],
)
def test_resolve_request_paths(path: str | None, found: list[tuple[str, object]]) -> None:
    assert resolve(BODY, path) == found


def test_resolve_facts_paths() -> None:
    facts = video_facts(video={"rotation_cw": 90}, audio=["aac", "opus"])
    assert resolve(facts, "main_video.oriented_width") == [("main_video.oriented_width", 1080)]
    assert resolve(facts, "main_video.display_aspect_ratio")[0][1] == pytest.approx(0.5625)
    assert [v for _, v in resolve(facts, "audio.*.codec")] == ["aac", "opus"]
    assert resolve(facts, "__init__") == [("__init__", MISSING)]  # methods are not fields
    assert resolve(facts, "main_video._computed") == [("main_video._computed", MISSING)]  # nor class data
    assert resolve(video_facts(video=False), "main_video.codec") == [("main_video.codec", MISSING)]


def test_with_path_copies_and_creates() -> None:
    original = {"mainMedia": None, "keep": 1}
    changed = with_path(original, "mainMedia.videoUrl", "https://x/v.mp4")
    assert changed == {"mainMedia": {"videoUrl": "https://x/v.mp4"}, "keep": 1}
    assert original == {"mainMedia": None, "keep": 1}


def test_request_view_puts_the_source_in_the_pack_input_field() -> None:
    trendyol = load_pack("trendyol")
    mine = {"videoUrl": "mine"}
    assert request_view(mine, trendyol, "file", "https://x/v.mp4", overwrite=True) == {
        "videoUrl": "https://x/v.mp4"
    }
    assert request_view(mine, trendyol, "file", "/v.mp4", overwrite=False) == mine
    assert request_view({}, trendyol, "file", "/v.mp4", overwrite=False) == {"videoUrl": "/v.mp4"}
    listed = ["not", "an", "object"]
    assert request_view(listed, trendyol, "file", "/v.mp4", overwrite=False) == listed
    samsclub = load_pack("samsclub")
    assert request_view({"a": 1}, samsclub, "file", "/v.mp4", overwrite=False) == {"a": 1}


def test_url_extension() -> None:
    assert url_extension("https://cdn.example.com/a/v.MP4?x=1.mov#t") == ".mp4"
    assert url_extension("https://cdn.example.com/") == ""
    assert url_extension("http://[::1") == ""


def test_unreadable_video_gets_format_rules_only_but_request_rules_still_run() -> None:
    facts = video_facts(kind="text", readable=False, video=False, audio=[], duration_s=None)
    findings = evaluate(facts, load_pack("trendyol"), metadata={"title": "ab"})
    assert [f.rule for f in findings] == [
        "trendyol.format",
        "trendyol.title-length",
        "trendyol.content-ids-required",
    ]


def test_final_rule_ends_its_group_only() -> None:
    empty = video_facts(kind="empty", size_bytes=0, readable=False, video=False, audio=[], extension=".mov")
    findings = evaluate(empty, load_pack("akinon"), metadata={"order": -1})
    assert [f.code for f in findings] == ["video.empty", "order.min_value"]


def test_disabled_rules_do_not_run() -> None:
    pack = apply_overrides(load_pack("samsclub"), disable=["samsclub.min-pixel"])
    facts = video_facts(video={"stored_width": 1280, "stored_height": 720})
    assert evaluate(facts, pack) == ()
    assert [f.code for f in evaluate(facts, load_pack("samsclub"))] == ["E_MIN_PIXEL"]


def test_roles_by_extension() -> None:
    samsclub, akinon = load_pack("samsclub"), load_pack("akinon")
    caption = caption_facts(".vtt", parses=False, cues=0)
    assert [f.code for f in evaluate(caption, samsclub)] == ["E_CAPTION_FORMAT"]
    assert [f.code for f in evaluate(image_facts(".JPG", fmt="jpeg"), akinon)] == []
    assert [f.code for f in evaluate(image_facts(".png", fmt="png"), samsclub)] == ["E_FILE_FORMAT"]
    # a caption passed beside an image or a caption is not a video's caption
    assert evaluate(image_facts(), akinon, caption=caption) == ()


def test_severity_override_turns_an_error_into_a_warning() -> None:
    pack = apply_overrides(load_pack("trendyol"), {"trendyol.duration": {"severity": "warning"}})
    findings = evaluate(video_facts(duration_s=7.5), pack)
    report = Report(source="x", marketplace="trendyol", findings=findings)
    assert [f.severity for f in findings] == ["warning"]
    assert report.passed


def test_finding_fields() -> None:
    (finding,) = evaluate(video_facts(duration_s=7.52), load_pack("trendyol"))
    assert as_data(finding) == {
        "code": "seller.integration.video.duration.invalid",
        "severity": "error",
        "documented": True,
        "rule": "trendyol.duration",
        "message": "Video duration must be between 8 and 120 seconds.",
        "expected": "8-120 s",
        "actual": "7.52 s",
        "location": None,
        "fix": as_data(load_pack("trendyol").rule("trendyol.duration").render_fix()),  # the pack's hint
        "doc": "https://github.com/vidlint/vidlint/blob/main/docs/rules.md#trendyolduration",
    }


def test_overridden_limit_shows_in_message_and_expected() -> None:
    pack = apply_overrides(load_pack("trendyol"), {"trendyol.duration": {"max": 180}})
    (finding,) = evaluate(video_facts(duration_s=181.0), pack)
    assert finding.message == "Video duration must be between 8 and 180 seconds."
    assert finding.expected == "8-180 s"


def test_wildcard_findings_name_the_item_when_there_are_several() -> None:
    (finding,) = evaluate(video_facts(audio=["aac", "ac3"]), load_pack("samsclub"))
    assert finding.actual == "audio.1.codec: ac3"
    (alone,) = evaluate(video_facts(audio=["ac3"]), load_pack("samsclub"))
    assert alone.actual == "ac3"  # one track: the value alone, as for the (single) video codec
    (video,) = evaluate(video_facts(video={"codec": "mpeg4"}), load_pack("samsclub"))
    assert video.actual == "mpeg4"


def _boom(value: object, params: Any) -> Fail | None:
    raise ZeroDivisionError("bad\nluck")


def test_a_check_that_raises_becomes_an_internal_error_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(KINDS, "boom", dataclasses.replace(KINDS["required"], name="boom", check=_boom))
    pack = parse_pack(
        'id = "t"\nname = "T"\n'
        '[[rules]]\nid = "t.boom"\ncode = "B"\ndocumented = false\napplies_to = "file"\nmessage = "m"\n'
        'check = {kind = "boom", field = "duration_s"}\n'
        '[[rules]]\nid = "t.long"\ncode = "L"\ndocumented = false\napplies_to = "file"\nmessage = "m"\n'
        'check = {kind = "max", field = "duration_s", params = {max = 5}}\n',
        "t.toml",
    )
    first, second = evaluate(video_facts(), pack)
    assert (first.code, first.rule, first.severity) == (INTERNAL_ERROR, "t.boom", "error")
    assert first.documented is False
    assert "ZeroDivisionError: bad luck" in first.message
    assert second.code == "L"  # the run went on
    assert apply_rule(pack.rule("t.boom"), {"duration_s": 1}) == first  # whatever the root


def test_apply_rule_answers_for_one_rule_on_one_root() -> None:
    duration = load_pack("trendyol").rule("trendyol.duration")
    assert apply_rule(duration, video_facts()) is None
    finding = apply_rule(duration, video_facts(duration_s=7.52))
    assert finding is not None and (finding.rule, finding.actual) == ("trendyol.duration", "7.52 s")
    assert apply_rule(duration, {"duration_s": 130}) is not None  # a request or any mapping is a root too


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
FIELD_NAMES = st.sampled_from(
    [
        "title",
        "description",
        "videoUrl",
        "productContentIds",
        "videoContentType",
        "storeFrontCode",
        "mediaName",
        "product",
        "order",
        "source",
        "image",
        "video",
        "mainMedia",
        "galleryMedia",
        "details",
        "status",
        "createdAt",
        "shortformId",
    ]
)
BODIES = st.one_of(JSON, st.dictionaries(FIELD_NAMES, JSON, max_size=6))
PACKS: list[Pack] = list(builtin_packs().values())


@settings(max_examples=150, deadline=None)
@given(body=BODIES, url=st.none() | st.text(max_size=30))
def test_any_request_body_gives_findings_never_an_exception(body: object, url: str | None) -> None:
    for pack in PACKS:
        for finding in evaluate(None, pack, metadata=body, source_url=url):
            assert finding.code != INTERNAL_ERROR, finding
            assert "\n" not in finding.message


FETCH = st.builds(
    FetchFacts,
    url=st.sampled_from(
        [
            "https://cdn.example.com/f.mp4",
            "https://cdn.example.com/f.png",
            "https://www.youtube.com/watch?v=abcdefgh",
            "ftp://cdn.example.com/f.mp4",
            "https://exa mple.com/f.mp4",
        ]
    ),
    outcome=st.sampled_from(["ok", "ok", "ok", "invalid_url", "failed", "timeout", "blocked"]),
    content_length=st.none() | st.integers(0, 10**10),
    link_kind=st.sampled_from(["file", "file", "platform", "page", "unknown"]),
    platform=st.none() | st.sampled_from(["youtube", "vimeo", "tiktok"]),
    platform_available=st.none() | st.booleans(),
    error=st.none() | st.text(max_size=20),
)
FACTS = st.builds(
    MediaFacts,
    path=st.just("f.mp4"),
    size_bytes=st.none() | st.integers(0, 10**10) | st.sampled_from([499_999_999, 500_000_000, 500_000_001]),
    extension=st.sampled_from(["", ".mp4", ".MOV", ".webm", ".srt", ".png", ".jpg"]),
    kind=st.sampled_from(["video", "image", "caption", "text", "empty", "unknown"]),
    container=st.none() | st.sampled_from(["mp4", "mov", "matroska", "webm", "png"]),
    readable=st.booleans(),
    truncated=st.booleans(),
    duration_s=st.none() | st.floats(0, 10**5),
    video=st.lists(
        st.builds(
            VideoTrack,
            codec=st.none() | st.sampled_from(["h264", "hevc", "vp9"]),
            stored_width=st.integers(0, 9000),
            stored_height=st.integers(0, 9000),
            sample_aspect_ratio=st.floats(0.1, 4),
            rotation_cw=st.sampled_from([0, 90, 180, 270, 45]),
        ),
        max_size=2,
    ).map(tuple),
    audio=st.lists(st.builds(AudioTrack, codec=st.none() | st.sampled_from(["aac", "opus"])), max_size=2).map(
        tuple
    ),
    partial=st.booleans(),
    fetch=st.none() | FETCH,
)


@settings(max_examples=150, deadline=None)
@given(facts=FACTS)
def test_any_facts_give_findings_never_an_exception(facts: MediaFacts) -> None:
    for pack in PACKS:
        for finding in evaluate(facts, pack, caption=caption_facts(".srt", parses=False)):
            assert finding.code != INTERNAL_ERROR, finding
            assert finding.actual


def _applies_to(pack: Pack, findings: tuple[Finding, ...]) -> list[str]:
    return [pack.rule(finding.rule).applies_to for finding in findings]


@settings(max_examples=200, deadline=None)
@given(local=FACTS, fetch=FETCH)
def test_a_url_source_is_judged_in_steps(local: MediaFacts, fetch: FetchFacts) -> None:
    """The spec's order for URLs, whatever the facts: URL error, else download error, else size, else file."""
    facts = dataclasses.replace(local, fetch=fetch)
    for pack in PACKS:
        findings = evaluate(facts, pack)
        kinds = _applies_to(pack, findings)
        if "url" in kinds or fetch.outcome != "ok":
            assert set(kinds) <= {"url", "fetch"}, (fetch.outcome, kinds)
        if fetch.outcome != "ok" and "url" not in kinds:
            assert [pack.rule(f.rule).final for f in findings] in ([], [True]), pack.id
        before = [f for f in findings if pack.rule(f.rule).before_download]
        if before:
            assert set(kinds) <= {"fetch", "file", "image"}, kinds
            assert [f for f in findings if pack.rule(f.rule).applies_to in ("file", "image")] == before
        if unverifiable(facts) and not before:
            assert not {"file", "image", "caption"} & set(kinds), kinds
