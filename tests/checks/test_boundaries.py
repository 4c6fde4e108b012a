"""Every numeric limit of every pack fires exactly when crossed, on both sides of each boundary.

Generic: the rules and their boundaries come from the packs (built-in, overridden, and a user's
own pack), so a changed parameter or a new rule is covered without touching this file. Facts are
built around the limit (with random rotations and sample aspect ratios where the limit is about
what a viewer sees), and the verdict is compared with the value read back from those facts.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.engine import CUSTOM_PACK, video_facts

from vidlint.checks import Bound, unreadable_reason
from vidlint.engine import evaluate, resolve, with_path
from vidlint.model.facts import MediaFacts
from vidlint.packs.builtin import builtin_packs, load_pack
from vidlint.packs.loader import load_pack_file
from vidlint.packs.overrides import apply_overrides
from vidlint.packs.pack import Pack, Rule

OVERRIDDEN: list[tuple[str, Pack]] = [
    (
        "trendyol+overrides",
        apply_overrides(
            load_pack("trendyol"),
            {
                "trendyol.duration": {"min": 3, "max": 180},
                "trendyol.size": {"max": 1_000_000_000},
                "trendyol.title-length": {"max": 80, "unit": "code_points"},
            },
        ),
    ),
    (
        "samsclub+overrides",
        apply_overrides(
            load_pack("samsclub"),
            {
                "samsclub.aspect-ratio": {"target": "4:3", "tolerance": 0.05},
                "samsclub.min-pixel": {"width": 1280, "height": 720},
                "samsclub.size": {"limit": 2_000_000_000},
            },
        ),
    ),
]
PACKS: dict[str, Pack] = {
    **builtin_packs(),
    **dict(OVERRIDDEN),
    "user pack": load_pack_file(CUSTOM_PACK),
}
BOUNDS = [  # (pack label, rule id, index of the bound): short ids keep failure reports readable
    pytest.param(label, rule.id, index, id=f"{label}:{rule.id}:{bound.side}:{bound.subfield or 'value'}")
    for label, pack in PACKS.items()
    for rule in pack.rules
    for index, bound in enumerate(rule.params.bounds())
]
WHOLE_FIELDS = ("size_bytes", "_width", "_height")
ROTATIONS = st.sampled_from([0, 90, 180, 270])


def _path(rule: Rule, bound: Bound) -> str:
    assert len(rule.fields) == 1, f"{rule.id}: numeric checks on one field only"
    (field,) = rule.fields
    assert isinstance(field, str), f"{rule.id}: numeric checks on a field, not the whole source"
    return f"{field}.{bound.subfield}" if bound.subfield else field


def _whole(rule: Rule, path: str) -> bool:
    return path.endswith(WHOLE_FIELDS) or bool(getattr(rule.params, "integer", False))


def _near(data: st.DataObject, rule: Rule, bound: Bound, path: str) -> float:
    """A value on either side of the boundary, or on it."""
    limit = bound.value
    if bound.measure != "number" or _whole(rule, path):
        low = 1 if bound.measure == "length" or path.endswith(("_width", "_height")) else 0
        base = round(limit)
        near = st.sampled_from([base - 1, base, base + 1])
        return data.draw(st.one_of(near, st.integers(base - 60, base + 60)).map(lambda v: max(low, v)))
    span = max(1.0, abs(limit) * 0.05)
    edges = [limit, math.nextafter(limit, -math.inf), math.nextafter(limit, math.inf)]
    value = data.draw(st.one_of(st.sampled_from(edges), st.floats(limit - span, limit + span)))
    return max(0.0, value) if path == "duration_s" else value


def _dimensions_track(data: st.DataObject, pack_rule: Rule, path: str, value: float) -> dict[str, Any]:
    """A track whose <basis>_width/height is ``value`` on the probed axis and passes on the other."""
    other = {b.subfield: b.value for b in pack_rule.params.bounds()}
    axis = path.rsplit(".", 1)[1]
    basis, _, _ = axis.partition("_")
    # a rule on one axis (shopify.max-width) leaves the other at the passing clip's
    width = int(value if axis.endswith("width") else other.get(f"{basis}_width", 1920))
    height = int(value if axis.endswith("height") else other.get(f"{basis}_height", 1080))
    rotation = data.draw(ROTATIONS)
    quarter = rotation % 180 == 90
    if basis == "stored":
        return {"stored_width": width, "stored_height": height, "rotation_cw": rotation}
    stored = (height, width) if quarter else (width, height)
    return {"stored_width": stored[0], "stored_height": stored[1], "rotation_cw": rotation}


def _aspect_track(data: st.DataObject, ratio: float) -> dict[str, Any]:
    """A track displayed at about ``ratio``, through rotation and non-square pixels."""
    height = data.draw(st.sampled_from([720, 1080, 1440, 2160]))
    width = max(1, round(ratio * height))
    sar = data.draw(st.sampled_from([1.0, 4 / 3, 0.75]))
    rotation = data.draw(ROTATIONS)
    if rotation % 180 == 90:  # the viewer's width is the stored height; SAR stretches the stored width
        stored = (max(1, round(height / sar)), width)
    else:
        stored = (max(1, round(width / sar)), height)
    return {
        "stored_width": stored[0],
        "stored_height": stored[1],
        "sample_aspect_ratio": sar,
        "rotation_cw": rotation,
    }


def _facts(data: st.DataObject, rule: Rule, path: str, value: float) -> MediaFacts:
    if path in ("size_bytes", "duration_s"):
        return video_facts({path: int(value) if path == "size_bytes" else value})
    if path == "main_video.display_aspect_ratio":
        return video_facts(video=_aspect_track(data, value))
    if path == "main_video.frame_rate":
        return video_facts(video={"frame_rate": value})
    if path.startswith("main_video.") and path.endswith(("_width", "_height")):
        return video_facts(video=_dimensions_track(data, rule, path, value))
    pytest.fail(f"{rule.id}: no way to build facts for {path}: teach this test")


def _request(rule: Rule, bound: Bound, path: str, value: float) -> dict[str, Any]:
    count = int(value)
    if bound.measure == "length" and rule.applies_to == "url":  # a valid URL of that length
        prefix = "https://cdn.example.com/"
        return with_path({}, path, prefix + "a" * max(0, count - len(prefix)))
    if bound.measure == "length":
        return with_path({}, path, "a" * count)
    if bound.measure == "count":
        return with_path({}, path, [str(i) for i in range(count)])
    return with_path({}, path, int(value) if _whole(rule, path) else value)


def _measured(root: object, path: str, bound: Bound) -> float:
    value = resolve(root, path)[0][1]
    if bound.measure == "number":
        assert isinstance(value, int | float), value
        return float(value)
    assert isinstance(value, str | list), value
    return float(len(value))


@pytest.mark.parametrize(("label", "rule_id", "index"), BOUNDS)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_fires_exactly_when_a_limit_is_crossed(
    label: str, rule_id: str, index: int, data: st.DataObject
) -> None:
    pack = PACKS[label]
    rule = pack.rule(rule_id)
    bound = rule.params.bounds()[index]
    path = _path(rule, bound)
    value = _near(data, rule, bound, path)
    if rule.applies_to == "file":
        facts = _facts(data, rule, path, value)
        findings = evaluate(facts, pack)
        root: object = facts
        gated = unreadable_reason(facts) is not None and rule.on_unreadable == "skip"
    else:
        root = _request(rule, bound, path, value)
        findings = evaluate(None, pack, metadata=root)
        gated = False
    crossed = any(b.crossed(_measured(root, _path(rule, b), b)) for b in rule.params.bounds())
    fired = rule.code in {finding.code for finding in findings}
    assert fired is (crossed and not gated), (path, _measured(root, path, bound))


def test_every_numeric_rule_is_probed() -> None:
    """The table above is not empty by accident: the spec's numeric limits are all in it."""
    probed = {param.values[1] for param in BOUNDS}
    assert {
        "trendyol.size",
        "trendyol.duration",
        "trendyol.title-length",
        "trendyol.content-ids-max",
        "samsclub.size",
        "samsclub.duration",
        "samsclub.aspect-ratio",
        "samsclub.min-pixel",
        "samsclub.max-pixel",
        "samsclub.media-name",
        "akinon.order-min",
        "shoplive.tags",
    } <= probed
