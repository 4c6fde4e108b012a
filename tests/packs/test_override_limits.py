"""Overrides and pack files get one validation: any override either gives parameters whose checks run
without an exception on any value, or is a one-line ConfigError naming the rule (issue 11)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.engine import caption_facts, url_facts, video_facts

from vidlint.checks import KINDS
from vidlint.engine import INTERNAL_ERROR, evaluate
from vidlint.errors import ConfigError, RulePackError
from vidlint.model.facts import VideoTrack
from vidlint.packs.builtin import builtin_packs
from vidlint.packs.loader import parse_pack
from vidlint.packs.overrides import RULE_OVERRIDE_KEYS, apply_overrides
from vidlint.packs.pack import Pack, Rule

PACKS = builtin_packs()
RULES: list[tuple[str, Rule]] = [(pack.id, rule) for pack in PACKS.values() for rule in pack.rules]
PARAM_NAMES = {rule.id: sorted(rule.params.__dataclass_fields__) for _, rule in RULES}
BY_KIND: dict[str, list[tuple[str, Rule]]] = {}
for _pack_id, _rule in RULES:
    BY_KIND.setdefault(_rule.kind, []).append((_pack_id, _rule))

EDGES = [float("nan"), float("inf"), float("-inf"), -1, -0.5, 0, -0.0, 1, 10**30, 10**400, 1e308, 5e-324]
NUMBERS = st.one_of(
    st.sampled_from(EDGES),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**6), max_value=10**6),
)
RATIOS = st.from_regex(r"\A\d{1,3}(\.\d{1,2})?(:\d{1,3}(\.\d{1,2})?)?\Z") | st.sampled_from(
    ["16:0", "0:9", "0", "0.0:1", "9" * 400, "1:" + "9" * 400, "16:9", "4:3", "1.5", "16/9", "", "1e3"]
)
TEXTS = st.text(max_size=8) | st.sampled_from(["%Y-%m-%d", "%", "\x00", "(", "(" * 3000 + ")" * 3000, "^a+$"])
VALUES = (
    NUMBERS
    | RATIOS
    | TEXTS
    | st.booleans()
    | st.none()
    | st.lists(st.text(max_size=4) | NUMBERS, max_size=3)
    | st.dictionaries(st.text(max_size=4), st.lists(st.text(max_size=4), max_size=2), max_size=2)
    | st.sampled_from(["error", "warning", "fatal", "oriented", "display", "utf16", "timeout", ".mp4"])
)

# What a check kind may be handed: every kind sees every one of them here.
SEEN: list[object] = [
    None,
    True,
    0,
    -1,
    7.5,
    8,
    10**30,
    float("nan"),
    float("inf"),
    "10",
    "",
    "  ",
    "hello",
    "2023-12-25T08:00:00Z",
    "https://cdn.example.com/v.mp4",
    [],
    ["a", "b"],
    {},
    {"a": 1},
    VideoTrack(codec="h264", stored_width=1920, stored_height=1080),
    VideoTrack(codec=None, stored_width=0, stored_height=0, rotation_cw=90),
    video_facts(),
    video_facts(duration_s=130.0, size_bytes=600_000_000, video={"stored_width": 720, "stored_height": 1280}),
    caption_facts(".srt"),
    url_facts(),
]
METADATA: dict[str, Any] = {
    "title": "Blue kettle",
    "description": "x" * 40,
    "productContentIds": [1, 2],
    "mediaName": "Spring promo",
    "order": 1,
    "galleryMedia": [],
}


def _like(current: object) -> st.SearchStrategy[Any]:
    """Values of the kind a parameter holds (most overrides are nearly right), now and then anything."""
    if isinstance(current, bool):
        near: st.SearchStrategy[Any] = st.booleans()
    elif isinstance(current, int | float):
        near = NUMBERS
    elif isinstance(current, str):
        near = RATIOS | TEXTS | st.just(current)
    elif isinstance(current, list):
        items = st.sampled_from(current) if current else st.text(max_size=4)
        near = st.lists(items | st.text(max_size=4), max_size=3)
    else:
        near = VALUES
    return st.one_of(near, near, near, VALUES)


@st.composite
def overrides(draw: st.DrawFn) -> tuple[str, str, dict[str, Any]]:
    kind = draw(st.sampled_from(sorted(BY_KIND)))  # every kind as often, whatever the packs use most
    pack_id, rule = draw(st.sampled_from(BY_KIND[kind]))
    names = PARAM_NAMES[rule.id] + list(RULE_OVERRIDE_KEYS)
    keys = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    change: dict[str, Any] = {}
    for key in keys:
        if key == "severity":
            change[key] = draw(st.sampled_from(["error", "warning", "fatal", None]))
        elif key == "enabled":
            change[key] = draw(st.booleans() | VALUES)
        else:
            change[key] = draw(_like(getattr(rule.params, key)))
    return pack_id, rule.id, change


def _runs_without_exception(pack: Pack, rule_id: str) -> None:
    rule = pack.rule(rule_id)
    kind = KINDS[rule.kind]
    for value in SEEN:
        kind.check(value, rule.params)  # an exception here fails the property
    assert "\n" not in rule.expected and "\n" not in rule.render_message("x")
    bounds = rule.params.bounds()
    for bound in bounds:  # a limit that means something: a number, not negative, never NaN nor infinite
        assert isinstance(bound.value, int) or math.isfinite(bound.value), bound
        assert bound.value >= 0, bound
    for low in (b for b in bounds if b.side == "min"):  # a range some value can fall in
        highs = [b for b in bounds if b.side == "max" and b.subfield == low.subfield]
        assert all(low.value <= high.value for high in highs), bounds
    for facts in (SEEN[-4], SEEN[-3], None):
        codes = [f.code for f in evaluate(facts, pack, metadata=METADATA)]  # type: ignore[arg-type]
        assert INTERNAL_ERROR not in codes, (rule_id, codes)
    # what a stored setup keeps: the resolved pack as JSON (NaN would not round-trip), rebuilt plainly
    assert Pack.from_data(json.loads(json.dumps(pack.to_data(), allow_nan=False))) == pack


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides())
def test_any_override_validates_to_working_params_or_is_one_line(
    case: tuple[str, str, dict[str, Any]],
) -> None:
    pack_id, rule_id, change = case
    try:
        pack = apply_overrides(PACKS[pack_id], {rule_id: change})
    except ConfigError as exc:
        message = str(exc)
        assert message.startswith(f"override {rule_id}: ") and "\n" not in message, message
        return
    _runs_without_exception(pack, rule_id)


@pytest.mark.parametrize(
    ("rule_id", "change", "message"),
    [
        ("trendyol.duration", {"max": float("nan")}, "max: must be a finite number, not nan"),
        ("trendyol.duration", {"min": float("-inf")}, "min: must be a finite number, not -inf"),
        ("trendyol.duration", {"max": -1}, "max: must be at least 0, not -1"),
        ("trendyol.duration", {"min": 200}, "max: must not be less than min (120 < 200)"),
        ("trendyol.size", {"max": -1}, "max: must be at least 0, not -1"),
        ("samsclub.size", {"limit": float("nan")}, "limit: must be a finite number, not nan"),
        ("samsclub.aspect-ratio", {"target": "16:0"}, "target: both sides of the ratio must be above 0"),
        ("samsclub.aspect-ratio", {"tolerance": float("nan")}, "tolerance: "),
        ("trendyol.title-length", {"min": 60}, "max: must not be less than min"),
        ("samsclub.format", {"allowed": {"\n": ["mp4"]}}, "a parameter would break the rule's texts"),
        ("samsclub.video-codec", {"values": ["h264\nhevc"]}, "a parameter would break the rule's texts"),
    ],
)
def test_nonsensical_overrides_are_one_line_errors(
    rule_id: str, change: dict[str, Any], message: str
) -> None:
    pack_id = rule_id.partition(".")[0]
    with pytest.raises(ConfigError) as caught:
        apply_overrides(PACKS[pack_id], {rule_id: change})
    text = str(caught.value)
    assert text.startswith(f"override {rule_id}: {message}") and "\n" not in text, text


PACK_TEMPLATE = """
id = "shop"
name = "Shop"
document = {{ title = "Shop seller guide" }}
[[rules]]
id = "shop.duration"
code = "E_DURATION"
documented = true
applies_to = "file"
message = "Duration {{min}}-{{max}} s."
provenance = {{ section = "Video" }}
check = {{ kind = "{kind}", field = "{field}", params = {params} }}
"""


@pytest.mark.parametrize(
    ("kind", "field", "params", "message"),
    [
        ("between", "duration_s", "{ min = 8, max = nan }", "max: must be a finite number"),
        ("between", "duration_s", "{ min = 8, max = -1 }", "max: must be at least 0"),
        ("between", "duration_s", "{ min = 9, max = 8 }", "max: must not be less than min (8 < 9)"),
        ("ratio_close", "main_video.display_aspect_ratio", '{ target = "16:0", tolerance = 0.01 }', "target"),
    ],
)
def test_pack_files_get_the_same_validation(kind: str, field: str, params: str, message: str) -> None:
    text = PACK_TEMPLATE.format(kind=kind, field=field, params=params)
    with pytest.raises(RulePackError) as caught:
        parse_pack(text, "shop.toml")
    text = str(caught.value)
    assert text.startswith("shop.toml: rule shop.duration: check: ") and "\n" not in text
    assert message in text
