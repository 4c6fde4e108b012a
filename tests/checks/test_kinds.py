"""Each check kind on values around its edges: (kind, params, value, passes); the registry of kinds."""

from __future__ import annotations

import ast
import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from support.engine import URL, caption_facts, image_facts, platform_link, unread_url, url_facts, video_facts

import vidlint.checks
from vidlint.checks import KINDS, Bound, Params, fmt_number, unreadable_reason
from vidlint.checks.base import check_kind
from vidlint.checks.numbers import RatioParams
from vidlint.checks.requests import RequiredParams, UrlParams, url_syntax
from vidlint.checks.strings import MatchesParams, TextParams
from vidlint.model.facts import MediaFacts, VideoTrack
from vidlint.packs.builtin import builtin_packs
from vidlint.packs.loader import params_adapter
from vidlint.remote.urls import url_problem

TRACK_1080 = VideoTrack(codec="h264", stored_width=1920, stored_height=1080)
TRACK_ROTATED = VideoTrack(codec="h264", stored_width=1920, stored_height=1080, rotation_cw=270)
TRACK_ANAMORPHIC = VideoTrack(codec="h264", stored_width=1440, stored_height=1080, sample_aspect_ratio=4 / 3)
TRACK_DCI = VideoTrack(codec="h264", stored_width=4096, stored_height=2160)
MP4_MOV = {"allowed": {".mp4": ["mp4"], ".MOV": ["mov"]}}

CASES: list[tuple[str, dict[str, Any], object, bool]] = [
    ("between", {"min": 8, "max": 120}, 8.0, True),
    ("between", {"min": 8, "max": 120}, 120, True),
    ("between", {"min": 8, "max": 120}, 7.999, False),
    ("between", {"min": 8, "max": 120}, 120.001, False),
    ("between", {"min": 8, "max": 120}, "10", True),
    ("between", {"min": 8, "max": 120}, "ten", False),
    ("between", {"min": 8, "max": 120}, True, False),
    ("between", {"min": 8, "max": 120}, float("nan"), False),
    ("min", {"min": 0}, 0, True),
    ("min", {"min": 0}, -1, False),
    ("min", {"min": 0}, "-0.5", False),
    ("min", {"min": 0, "integer": True}, 3600, True),
    ("min", {"min": 0, "integer": True}, 3.6, False),
    ("min", {"min": 0, "integer": True}, "3600", False),
    ("max", {"max": 500_000_000}, 500_000_000, True),
    ("max", {"max": 500_000_000}, 500_000_001, False),
    ("lt", {"limit": 500_000_000}, 499_999_999, True),
    ("lt", {"limit": 500_000_000}, 500_000_000, False),
    ("ratio_close", {"target": "16:9", "tolerance": 0.01}, 1920 / 1080, True),
    ("ratio_close", {"target": "16:9", "tolerance": 0.01}, 1920 / 1088, True),
    ("ratio_close", {"target": "16:9", "tolerance": 0.01}, 4096 / 2160, False),
    ("ratio_close", {"target": "16:9", "tolerance": 0.01}, 4 / 3, False),
    ("ratio_close", {"target": "1.5", "tolerance": 0}, 1.5, True),
    ("ratio_any", {"targets": ["9:16", "16:9", "1:1"], "tolerance": 0.01}, 1080 / 1920, True),
    ("ratio_any", {"targets": ["9:16", "16:9", "1:1"], "tolerance": 0.01}, 1920 / 1088, True),
    ("ratio_any", {"targets": ["9:16", "16:9", "1:1"], "tolerance": 0.01}, 1.009, True),
    ("ratio_any", {"targets": ["9:16", "16:9", "1:1"], "tolerance": 0.01}, 1.011, False),
    ("ratio_any", {"targets": ["9:16", "16:9", "1:1"], "tolerance": 0.01}, 4 / 3, False),
    ("ratio_any", {"targets": ["9:16", "16:9", "1:1"], "tolerance": 0.01}, 4 / 5, False),
    ("ratio_any", {"targets": ["9:16", "16:9", "1:1"], "tolerance": 0.01}, 4096 / 2160, False),
    ("ratio_any", {"targets": ["9:16", "16:9", "1:1"], "tolerance": 0.01}, "wide", False),
    ("ratio_any", {"targets": ["1.5"], "tolerance": 0}, 1.5, True),
    ("min_dimensions", {"width": 1920, "height": 1080}, TRACK_1080, True),
    ("min_dimensions", {"width": 1920, "height": 1080}, TRACK_ROTATED, False),
    ("min_dimensions", {"width": 1080, "height": 1920}, TRACK_ROTATED, True),
    ("min_dimensions", {"width": 1920, "height": 1080}, TRACK_ANAMORPHIC, False),
    ("min_dimensions", {"width": 1920, "height": 1080, "basis": "display"}, TRACK_ANAMORPHIC, True),
    ("min_dimensions", {"width": 1920, "height": 1080}, "1920x1080", False),
    ("max_dimensions", {"width": 3840, "height": 2160}, TRACK_DCI, False),
    ("max_dimensions", {"width": 3840, "height": 2160}, TRACK_1080, True),
    ("in_set", {"values": ["h264", "hevc"]}, "hevc", True),
    ("in_set", {"values": ["h264", "hevc"]}, "HEVC", False),
    ("in_set", {"values": [".mp4"], "case_sensitive": False}, ".MP4", True),
    ("in_set", {"values": ["h264"]}, 264, False),
    ("flag", {}, True, True),
    ("flag", {}, False, False),
    ("flag", {"value": False}, False, True),
    ("flag", {"value": False}, True, False),
    ("flag", {}, 1, False),
    ("flag", {}, "true", False),
    ("matches", {"pattern": "^[A-Z]{2}$"}, "TR", True),
    ("matches", {"pattern": "^[A-Z]{2}$"}, "TR1", False),
    ("length_between", {"min": 3, "max": 50}, "abc", True),
    ("length_between", {"min": 3, "max": 50}, "ab", False),
    ("length_between", {"min": 3, "max": 50}, "a" * 51, False),
    ("length_between", {"min": 0, "max": 4, "unit": "code_points"}, "😀😀😀", True),
    ("length_between", {"min": 0, "max": 4, "unit": "utf16"}, "😀😀😀", False),
    ("length_between", {"min": 3, "max": 50}, ["a", "b", "c"], False),
    ("text", {"min_length": 1, "max_length": 45, "pattern": "^[A-Za-z0-9 ]+$"}, "Summer Sale 2024", True),
    ("text", {"min_length": 1, "max_length": 45, "pattern": "^[A-Za-z0-9 ]+$"}, "Sale!", False),
    ("text", {"min_length": 1, "max_length": 45, "pattern": "^[A-Za-z0-9 ]+$"}, "Café", False),
    ("text", {"min_length": 1, "max_length": 45, "pattern": "^[A-Za-z0-9 ]+$"}, "a" * 45, True),
    ("text", {"min_length": 1, "max_length": 45, "pattern": "^[A-Za-z0-9 ]+$"}, "a" * 46, False),
    ("max_items", {"limit": 100}, ["1"] * 100, True),
    ("max_items", {"limit": 100}, ["1"] * 101, False),
    ("max_items", {"limit": 5}, "tags", False),
    ("min_items", {"limit": 1}, [], False),
    ("min_items", {"limit": 1}, ("x",), True),
    ("required", {}, "x", True),
    ("required", {}, 0, True),
    ("required", {}, None, False),
    ("required", {}, "  ", False),
    ("required", {}, [], False),
    ("required", {}, {}, False),
    ("required_any", {"fields": ["previewUrl", "previewVideoUrl"]}, {"previewVideoUrl": "https://x/p"}, True),
    ("required_any", {"fields": ["previewUrl", "previewVideoUrl"]}, {"previewUrl": ""}, False),
    ("required_any", {"fields": ["a", "b"], "allow_null": True}, {"b": None}, True),
    ("required_any", {"fields": ["a", "b"]}, ["a"], False),
    ("non_empty_object", {}, {"title": "x"}, True),
    ("non_empty_object", {}, {}, False),
    ("non_empty_object", {}, ["title"], False),
    ("pk", {}, 12, True),
    ("pk", {}, "12", True),
    ("pk", {}, "abc", False),
    ("pk", {}, "١٢", False),
    ("pk", {}, True, False),
    ("pk", {}, 1.5, False),
    ("url_syntax", {}, "https://cdn.example.com/v.mp4", True),
    ("url_syntax", {}, "HTTP://cdn.example.com:8080/v.mp4?x=1#t", True),
    ("url_syntax", {}, "http://127.0.0.1/v.mp4", True),
    ("url_syntax", {}, "http://[::1]:8000/v.mp4", True),
    ("url_syntax", {}, "ftp://cdn.example.com/v.mp4", False),
    ("url_syntax", {}, "cdn.example.com/v.mp4", False),
    ("url_syntax", {}, "https://exa mple.com/v.mp4", False),
    ("url_syntax", {}, " https://example.com/v.mp4", False),
    ("url_syntax", {}, "https://example.com:99999/v.mp4", False),
    ("url_syntax", {}, "https://exa_mple..com/v.mp4", False),
    ("url_syntax", {}, "https://exa_mple.com/v.mp4", False),  # vidlint could not request it either
    ("url_syntax", {"schemes": ["ftp"]}, "ftp://exa_mple.com/v.mp4", True),  # not for vidlint to fetch
    ("url_syntax", {}, "https:///v.mp4", False),
    ("url_syntax", {}, "https://", False),
    ("url_syntax", {}, 42, False),
    ("datetime_format", {"format": "%Y-%m-%dT%H:%M:%SZ"}, "2023-12-25T08:00:00Z", True),
    ("datetime_format", {"format": "%Y-%m-%dT%H:%M:%SZ"}, "2023-12-25T8:0:0Z", False),
    ("datetime_format", {"format": "%Y-%m-%dT%H:%M:%SZ"}, "2023-12-25T08:00:00.000Z", False),
    ("datetime_format", {"format": "%Y-%m-%dT%H:%M:%SZ"}, "2023-02-30T08:00:00Z", False),
    ("datetime_format", {"format": "%Y-%m-%dT%H:%M:%SZ"}, "2023-12-25T08:00:00+00:00", False),
    ("extension_content_match", MP4_MOV, video_facts(), True),
    ("extension_content_match", MP4_MOV, video_facts(extension=".MP4"), True),
    ("extension_content_match", MP4_MOV, video_facts(extension=".mov", container="mov"), True),
    ("extension_content_match", MP4_MOV, video_facts(extension=".mov"), False),
    ("extension_content_match", MP4_MOV, video_facts(container="mov", major_brand="qt  "), False),
    ("extension_content_match", MP4_MOV, video_facts(extension=".m4v"), False),
    ("extension_content_match", MP4_MOV, video_facts(container="matroska"), False),
    ("extension_content_match", MP4_MOV, video_facts(truncated=True), False),
    ("extension_content_match", MP4_MOV, video_facts(readable=False, video=False), False),
    ("extension_content_match", MP4_MOV, video_facts(kind="empty", size_bytes=0, video=False), False),
    ("readable_video", {"containers": ["mp4"]}, video_facts(extension=".mov"), True),
    ("readable_video", {"containers": ["mp4"]}, video_facts(container="mov"), False),
    ("readable_video", {"containers": ["mp4"]}, video_facts(truncated=True), False),
    ("image_valid", {"formats": ["png", "jpeg"]}, image_facts(), True),
    ("image_valid", {"formats": ["png", "jpeg"]}, image_facts(".png", fmt="jpeg"), True),
    ("image_valid", {"formats": ["png", "jpeg"]}, image_facts(".gif", fmt="gif"), False),
    ("image_valid", {"formats": ["png", "jpeg"]}, image_facts(decodes=False), False),
    ("image_valid", {"formats": ["png", "jpeg"]}, image_facts(".jpg", fmt=None), False),
    ("caption_valid", {"extensions": [".srt", ".vtt"]}, caption_facts(".srt"), True),
    ("caption_valid", {"extensions": [".srt", ".vtt"]}, caption_facts(".VTT"), True),
    ("caption_valid", {"extensions": [".srt", ".vtt"]}, caption_facts(".vtt", parses=False, cues=0), False),
    ("caption_valid", {"extensions": [".srt", ".vtt"]}, caption_facts(".srt", cues=0), False),
    ("caption_valid", {"extensions": [".srt", ".vtt"]}, caption_facts(".srt", size_bytes=0), False),
    ("caption_valid", {"extensions": [".srt", ".vtt"]}, caption_facts(".txt"), False),
    ("fetch_outcome", {"outcomes": ["failed", "blocked"]}, url_facts(), True),
    ("fetch_outcome", {"outcomes": ["failed", "blocked"]}, unread_url("failed"), False),
    ("fetch_outcome", {"outcomes": ["failed", "blocked"]}, unread_url("blocked"), False),
    ("fetch_outcome", {"outcomes": ["failed", "blocked"]}, unread_url("timeout"), True),
    ("fetch_outcome", {"outcomes": ["timeout"]}, unread_url("timeout"), False),
    ("fetch_outcome", {"outcomes": ["failed"]}, video_facts(), True),
    ("not_redirected", {}, url_facts(), True),  # the final URL is the URL given
    ("not_redirected", {}, url_facts(fetch={"final_url": URL}), True),
    ("not_redirected", {}, url_facts(fetch={"final_url": "https://cdn2.example.com/clip.mp4"}), False),
    ("not_redirected", {}, unread_url("failed", final_url="https://cdn2.example.com/x"), True),
    ("not_redirected", {}, video_facts(), True),  # a local file
    ("video_link", {}, url_facts(), True),
    ("video_link", {}, platform_link(True), True),
    ("video_link", {}, platform_link(None), True),
    ("video_link", {}, platform_link(True, link_kind="page"), False),
    (
        "video_link",
        {},
        url_facts(kind="text", readable=False, video=False, fetch={"link_kind": "page"}),
        False,
    ),
    ("video_link", {}, url_facts(kind="image", readable=False, video=False), False),
    ("video_link", {}, url_facts(kind="empty", size_bytes=0, readable=False, video=False), False),
    ("video_link", {}, url_facts(readable=False, video=False, partial=True), True),
    ("video_link", {}, unread_url("failed"), True),
    ("platform_available", {}, platform_link(True), True),
    ("platform_available", {}, platform_link(False), False),
    ("platform_available", {}, platform_link(None), True),
    ("platform_available", {}, url_facts(), True),
    ("verified", {}, platform_link(None), False),
    ("verified", {"platform_links": False}, platform_link(None), True),
    ("verified", {}, platform_link(True), True),
    ("verified", {}, platform_link(False), True),
    ("verified", {}, url_facts(readable=False, video=False, partial=True), False),
    ("verified", {"partial_reads": False}, url_facts(readable=False, video=False, partial=True), True),
    ("verified", {}, url_facts(partial=True), True),
    (
        "verified",
        {},
        url_facts(kind="text", readable=False, video=False, partial=True, fetch={"link_kind": "page"}),
        True,
    ),
    ("verified", {}, unread_url("timeout"), True),
    ("verified", {}, video_facts(readable=False, video=False), True),
]


@pytest.mark.parametrize(("kind", "params", "value", "passes"), CASES, ids=lambda v: str(v)[:40])
def test_check_kind(kind: str, params: dict[str, Any], value: object, passes: bool) -> None:
    verdict = KINDS[kind].check(value, params_adapter(kind).validate_python(params))
    assert (verdict is None) is passes, verdict


RATIOS = st.sampled_from(["9:16", "16:9", "1:1", "4:3", "4:5", "1.91:1", "2.5"])


@settings(max_examples=200, deadline=None)
@given(
    targets=st.lists(RATIOS, min_size=1, max_size=4),
    tolerance=st.sampled_from([0, 0.005, 0.01, 0.05]),
    value=st.floats(0.1, 3.0) | st.sampled_from([0.5625, 16 / 9, 1.0, 0.99, 1.01]),
)
def test_ratio_any_is_ratio_close_to_one_of_its_targets(
    targets: list[str], tolerance: float, value: float
) -> None:
    """Several ratios: passes exactly when ``ratio_close`` passes for at least one of them."""
    several = params_adapter("ratio_any").validate_python({"targets": targets, "tolerance": tolerance})
    close = params_adapter("ratio_close")
    each = [close.validate_python({"target": t, "tolerance": tolerance}) for t in targets]
    one_passes = any(KINDS["ratio_close"].check(value, p) is None for p in each)
    assert (KINDS["ratio_any"].check(value, several) is None) is one_passes


def test_every_kind_has_cases_and_docs() -> None:
    assert {case[0] for case in CASES} == set(KINDS)
    for name, kind in KINDS.items():
        assert kind.name == name
        assert kind.doc, name
        assert kind.params.__doc__ is None or kind.params.__doc__.strip(), name


def _decorated() -> dict[str, str]:
    """Every ``@check_kind("name", ...)`` in vidlint/checks/*.py: name -> the function's name."""
    found: dict[str, str] = {}
    for path in sorted(Path(vidlint.checks.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", None) == "check_kind":
                    name = decorator.args[0]
                    assert isinstance(name, ast.Constant) and isinstance(name.value, str), path
                    assert name.value not in found, f"{name.value} decorated twice"
                    found[name.value] = node.name
    return found


def test_every_decorated_function_is_a_registered_kind() -> None:
    decorated = _decorated()
    assert decorated.keys() == KINDS.keys()
    for name, function in decorated.items():
        kind = KINDS[name]
        assert kind.check.__name__ == function, name
        assert getattr(sys.modules[kind.check.__module__], function) is kind.check, name
        assert kind.check.__module__.startswith("vidlint.checks."), name


def test_registering_a_kind_twice_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vidlint.checks.base, "KINDS", dict(KINDS))  # the real registry stays as it is

    def again(value: object, p: RequiredParams) -> None:
        return None

    with pytest.raises(ValueError, match="check kind 'required' registered twice"):
        check_kind("required", RequiredParams)(again)
    assert check_kind("brand-new", RequiredParams)(again) is again  # returns the function itself
    assert vidlint.checks.base.KINDS["brand-new"].check is again
    with pytest.raises(ValueError, match="'brand-new' registered twice"):
        check_kind("brand-new", RequiredParams, sees_absent=True)(again)
    assert "brand-new" not in KINDS


@pytest.mark.parametrize(
    ("side", "inclusive", "value", "crossed"),
    [
        ("min", True, 8, False),
        ("min", True, 7.9, True),
        ("min", False, 8, True),
        ("max", True, 120, False),
        ("max", True, 120.1, True),
        ("max", False, 120, True),
    ],
)
def test_bound_crossed(side: str, inclusive: bool, value: float, crossed: bool) -> None:
    assert Bound(8 if side == "min" else 120, side, inclusive).crossed(value) is crossed  # type: ignore[arg-type]


def test_number_format() -> None:
    assert [fmt_number(v) for v in (8, 8.0, 7.5234, 500_000_000, 500_000_000.0, 9999)] == [
        "8",
        "8",
        "7.523",
        "500,000,000",
        "500,000,000",
        "9999",
    ]


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        (video_facts(), None),
        (video_facts(kind="empty", size_bytes=0, video=False), "empty"),
        (video_facts(kind="text", readable=False, video=False), "text content"),
        (video_facts(readable=False), "no readable video track"),
        (video_facts(video=False), "no readable video track"),
        (video_facts(truncated=True), "truncated"),
    ],
)
def test_unreadable_reason(facts: MediaFacts, reason: str | None) -> None:
    found = unreadable_reason(facts)
    assert found is None if reason is None else reason in (found or "")


def test_bad_params_are_rejected() -> None:
    bad = [
        ("ratio_close", {"target": "wide", "tolerance": 0.01}),
        ("ratio_close", {"target": "16:9\n", "tolerance": 0.01}),
        ("ratio_any", {"targets": [], "tolerance": 0.01}),
        ("ratio_any", {"targets": "16:9", "tolerance": 0.01}),
        ("ratio_any", {"targets": ["16:9", "wide"], "tolerance": 0.01}),
        ("matches", {"pattern": "("}),
        ("text", {"pattern": "["}),
        ("max_items", {"limit": -1}),
        ("in_set", {"values": []}),
        ("required", {"x": 1}),
    ]
    for kind, params in bad:
        with pytest.raises(ValidationError):
            params_adapter(kind).validate_python(params)


@pytest.mark.parametrize(
    "build",
    [
        lambda: RatioParams(target="wide", tolerance=0.01),
        lambda: MatchesParams(pattern="("),
        lambda: TextParams(pattern="["),
    ],
)
def test_the_plain_constructor_checks_what_constraints_cannot(build: Any) -> None:
    with pytest.raises(ValueError, match=r"^(target|pattern): "):
        build()


def _round_trip(params: Params) -> Params:
    return type(params)(**json.loads(json.dumps(dataclasses.asdict(params))))


def test_validated_params_of_every_builtin_rule_round_trip_through_json() -> None:
    """What the compiled packs rely on: stored as JSON, rebuilt with the plain constructor, no pydantic."""
    rules = [rule for pack in builtin_packs().values() for rule in pack.rules]
    assert {rule.kind for rule in rules} <= set(KINDS)
    for rule in rules:
        assert _round_trip(rule.params) == rule.params, rule.id


@pytest.mark.parametrize(("kind", "params"), [(case[0], case[1]) for case in CASES])
def test_validated_params_of_every_case_round_trip_through_json(kind: str, params: dict[str, Any]) -> None:
    parsed = params_adapter(kind).validate_python(params)
    assert _round_trip(parsed) == parsed


def test_normalised_params_stay_normalised() -> None:
    parsed = params_adapter("extension_content_match").validate_python(MP4_MOV)
    assert dataclasses.asdict(parsed) == {"allowed": {".mp4": ["mp4"], ".mov": ["mov"]}}
    assert _round_trip(parsed) == parsed


def test_importing_the_check_kinds_does_not_import_pydantic() -> None:
    """Nothing outside the standard library comes along (not even annotated_types: see checks.base.Limit)."""
    code = (
        "import sys; before = set(sys.modules); import vidlint.checks;"
        "print(*{m.partition('.')[0] for m in set(sys.modules) - before} - sys.stdlib_module_names)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert set(run.stdout.split()) == {"vidlint"}, run.stdout


URLISH = st.builds(
    "{}://{}/{}".format,
    st.sampled_from(["http", "https", "HTTPS", "ftp"]),
    st.text(alphabet="ab1-_.", min_size=1, max_size=12) | st.text(alphabet="ab-_.:[]1é ", max_size=20),
    st.text(max_size=10),
)


@settings(max_examples=200, deadline=None)
@given(url=st.text(max_size=40) | URLISH)
def test_a_url_the_url_rules_pass_is_one_vidlint_can_request(url: str) -> None:
    """So a URL source never passes its URL rule and then goes unread as "invalid_url"."""
    if url_syntax(url, UrlParams()) is None:
        assert url_problem(url) is None, url


NAN, INF = float("nan"), float("inf")
NONSENSE: list[tuple[str, dict[str, Any], str]] = [
    ("between", {"min": 8, "max": NAN}, "max: must be a finite number"),
    ("between", {"min": -INF, "max": 120}, "min: must be a finite number"),
    ("between", {"min": 8, "max": -1}, "max: must be at least 0"),
    ("between", {"min": 200, "max": 120}, "max: must not be less than min (120 < 200)"),
    ("min", {"min": NAN}, "min: must be a finite number"),
    ("min", {"min": -1}, "min: must be at least 0"),
    ("max", {"max": -1}, "max: must be at least 0"),
    ("max", {"max": INF}, "max: must be a finite number"),
    ("lt", {"limit": NAN}, "limit: must be a finite number"),
    ("lt", {"limit": 0}, "limit: must be above 0"),
    ("ratio_close", {"target": "16:0", "tolerance": 0.01}, "target: both sides of the ratio must be above 0"),
    ("ratio_close", {"target": "0:9", "tolerance": 0.01}, "target: both sides of the ratio must be above 0"),
    ("ratio_close", {"target": "9" * 400, "tolerance": 0.01}, "target: not a ratio a picture can have"),
    ("ratio_close", {"target": "16:9", "tolerance": NAN}, "tolerance"),
    ("ratio_any", {"targets": ["1:1", "0:9"], "tolerance": 0.1}, "targets: both sides of the ratio must be"),
    ("ratio_any", {"targets": ["9" * 400], "tolerance": 0.01}, "targets: not a ratio a picture can have"),
    ("ratio_any", {"targets": ["1:1"], "tolerance": NAN}, "tolerance"),
    ("min_dimensions", {"width": -1920, "height": 1080}, "width"),
    ("length_between", {"min": 10, "max": 3}, "max: must not be less than min (3 < 10)"),
    ("text", {"min_length": 5, "max_length": 2}, "max_length: must not be less than min_length (2 < 5)"),
    ("matches", {"pattern": "(" * 5000 + ")" * 5000}, "pattern: not a regular expression: nested too deeply"),
    ("datetime_format", {"format": "%Y%"}, "format: not a date and time format"),
    ("datetime_format", {"format": "%G-%m"}, "format: not a date and time format"),
]


@pytest.mark.parametrize(("kind", "params", "message"), NONSENSE, ids=lambda v: str(v)[:30])
def test_nonsensical_limits_are_rejected_naming_the_parameter(
    kind: str, params: dict[str, Any], message: str
) -> None:
    """A limit that would switch a rule off (NaN), fail every source (a negative maximum, min > max, a
    ratio no picture has) or crash it (a zero denominator) is an error, in pydantic (pack files,
    overrides) and in the plain constructor (stored setups, rules/compiled.json) alike."""
    with pytest.raises(ValidationError) as caught:
        params_adapter(kind).validate_python(params)
    assert message in str(caught.value)
    with pytest.raises(ValueError) as plain:
        KINDS[kind].params(**params)
    assert str(plain.value).startswith(message.partition(":")[0] + ": "), plain.value


def test_sensible_edges_stay_valid() -> None:
    """Zero, equal ends and a square ratio are limits a marketplace may mean."""
    for kind, params in [
        ("between", {"min": 8, "max": 8}),
        ("between", {"min": 0, "max": 0}),
        ("max", {"max": 0}),
        ("ratio_close", {"target": "1:1", "tolerance": 0}),
        ("ratio_close", {"target": "0.5", "tolerance": 0.5}),
        ("ratio_any", {"targets": ["1:1"], "tolerance": 0}),
        ("length_between", {"min": 0, "max": 0}),
        ("text", {"min_length": 3, "max_length": 3}),
        ("min_dimensions", {"width": 0, "height": 0}),
        ("datetime_format", {"format": "%Y-%m-%dT%H:%M:%SZ"}),
    ]:
        parsed = params_adapter(kind).validate_python(params)
        assert _round_trip(parsed) == parsed
