"""The runtime Pack (vidlint.packs.pack): its JSON round trip and digest, and the compiled file shipped
beside the built-in packs (vidlint.packs.builtin), which is that JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.engine import NO_FILE_RULES, ROOT, SAMPLES, video_facts

from vidlint.engine import evaluate
from vidlint.errors import RulePackError
from vidlint.packs.builtin import (
    COMPILED_FILE,
    builtin_packs,
    compiled_packs,
    compiled_text,
    pack_ids,
    packs_dir,
)
from vidlint.packs.loader import PackFile, load_pack_file, parse_pack
from vidlint.packs.pack import Input, Pack, caption_extensions
from vidlint.probing import probe
from vidlint.run.config import resolve_packs
from vidlint.run.configfile import read_toml

OVERRIDES: dict[str, dict[str, Any]] = {
    "trendyol.duration": {"max": 90},
    "samsclub.size": {"severity": "warning"},
}


def _packs() -> list[Pack]:
    overridden = resolve_packs(overrides=OVERRIDES, disable=["akinon.image"])
    return [*builtin_packs().values(), *overridden.values()]


def _round_trip(pack: Pack) -> Pack:
    return Pack.from_data(json.loads(json.dumps(pack.to_data())))


@pytest.mark.parametrize("pack", _packs(), ids=lambda p: p.id)
def test_a_pack_survives_its_json_round_trip(pack: Pack) -> None:
    again = _round_trip(pack)
    assert again == pack
    assert again.digest == pack.digest


def test_the_digest_follows_limits_severities_and_disabled_rules() -> None:
    plain = builtin_packs()["trendyol"]
    changes: list[tuple[dict[str, dict[str, Any]], list[str]]] = [
        ({"trendyol.duration": {"max": 90}}, []),
        ({"trendyol.duration": {"severity": "warning"}}, []),
        ({}, ["trendyol.duration"]),
    ]
    for overrides, disable in changes:
        changed = resolve_packs(overrides=overrides, disable=disable)["trendyol"]
        assert changed.digest != plain.digest
    assert resolve_packs()["trendyol"].digest == plain.digest
    assert parse_pack((packs_dir() / "trendyol.toml").read_text(encoding="utf-8"), "t").digest == plain.digest


def test_disabled_rules_stay_in_the_pack_but_do_not_run_and_expected_is_the_files() -> None:
    pack = resolve_packs(disable=["trendyol.duration"])["trendyol"]
    assert "trendyol.duration" in {rule.id for rule in pack.rules}  # rules: disabled ones included
    assert not pack.rule("trendyol.duration").enabled
    enabled = [rule.id for rule in pack.rules if rule.id != "trendyol.duration"]
    assert [rule.id for rule in pack.rules_for(*{r.applies_to for r in pack.rules})] == enabled
    assert evaluate(video_facts(duration_s=300.0), pack) == ()
    entry = PackFile.model_validate(read_toml(packs_dir() / "trendyol.toml"))
    assert [rule.id for rule in entry.rules] == [rule.id for rule in pack.rules]
    for rule, validated in zip(pack.rules, entry.rules, strict=True):
        assert rule.expected == validated.render_expected(), rule.id
        assert rule.render_message("7 s") == validated.render_message("7 s"), rule.id


def test_roles_inputs_and_caption_extensions() -> None:
    packs = builtin_packs()
    akinon, samsclub = packs["akinon"], packs["samsclub"]
    assert akinon.role_of(".JPG") == "image" and akinon.role_of(".mp4") == "file"
    assert samsclub.role_of(".Vtt") == "caption" and samsclub.role_of("") == "file"
    assert akinon.input("caption") == Input()  # a role a pack does not list has no extensions, no field
    assert packs["trendyol"].input("file").field == "videoUrl"
    # Sam's Club and Walmart's supplier pack judge .srt / .vtt sidecars: each extension once
    assert caption_extensions(packs.values()) == list(samsclub.input("caption").extensions)
    assert caption_extensions([packs["walmart-supplier"], samsclub]) == [".vtt", ".srt"]
    assert caption_extensions([akinon]) == []
    assert [p.id for p in packs.values() if not p.checks_files] == list(NO_FILE_RULES)


def test_an_unknown_rule_id_is_a_clear_error() -> None:
    with pytest.raises(RulePackError, match=r"trendyol: no rule 'trendyol\.nope'"):
        builtin_packs()["trendyol"].rule("trendyol.nope")


def test_the_shipped_compiled_file_is_current() -> None:
    """scripts/gen_rules_doc.py writes it; an edited pack or check kind must be compiled again."""
    assert (ROOT / "rules" / COMPILED_FILE).read_text(encoding="utf-8") == compiled_text()


def _validated() -> dict[str, Pack]:
    folder = packs_dir()
    return {pid: parse_pack((folder / f"{pid}.toml").read_text(encoding="utf-8"), pid) for pid in pack_ids()}


def test_the_compiled_built_in_packs_are_the_validated_ones() -> None:
    compiled = compiled_packs()
    assert compiled is not None
    assert compiled == _validated()
    assert builtin_packs() == compiled  # what runs is the compiled file's, while it is current


def _copy_of_packs(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(packs_dir(), folder)
    return folder


def test_an_edited_pack_file_makes_the_compiled_file_unusable(tmp_path: Path) -> None:
    folder = _copy_of_packs(tmp_path)
    assert compiled_packs(folder) == compiled_packs()
    pack = folder / "trendyol.toml"
    pack.write_text(pack.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert compiled_packs(folder) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda f: (f / COMPILED_FILE).write_text("{not json", encoding="utf-8"),
        lambda f: (f / COMPILED_FILE).write_bytes(b"\xff\xfe garbage"),
        lambda f: (f / COMPILED_FILE).unlink(),
        lambda f: (f / COMPILED_FILE).write_text(json.dumps({"format": 999}), encoding="utf-8"),
        lambda f: (f / "extra.toml").write_text("id = 'extra'", encoding="utf-8"),
        lambda f: _replace(f, '"kind": "between"', '"kind": "no-such-kind"'),
        lambda f: _replace(f, '"params": {', '"params": {"no_such_param": 1, '),
    ],
    ids=["not-json", "not-utf8", "missing", "other-format", "new-pack", "unknown-kind", "unknown-param"],
)
def test_a_damaged_compiled_file_is_not_used(tmp_path: Path, damage: object) -> None:
    folder = _copy_of_packs(tmp_path)
    assert callable(damage)
    damage(folder)
    assert compiled_packs(folder) is None


def _replace(folder: Path, old: str, new: str) -> None:
    path = folder / COMPILED_FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


SAMPLE_NAMES = [
    "dur_7s.mp4", "ok_h264_aac_1080p_10s.mp4", "rotated_90_10s.mp4", "empty.mp4", "vp9_in_webm_10s.webm",
]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_the_compiled_and_the_validated_packs_give_the_same_findings(name: str) -> None:
    facts = probe(SAMPLES / name)
    compiled, validated = compiled_packs(), _validated()
    assert compiled is not None
    for pack_id, pack in validated.items():
        assert evaluate(facts, compiled[pack_id]) == evaluate(facts, pack)


def test_a_user_pack_round_trips_like_a_built_in_one(tmp_path: Path) -> None:
    source = (packs_dir() / "trendyol.toml").read_text(encoding="utf-8")
    user = tmp_path / "shopfast.toml"
    user.write_text(source.replace('id = "trendyol"', 'id = "shopfast"').replace('"trendyol.', '"shopfast.'))
    pack = load_pack_file(user)
    assert pack.id == "shopfast" and len(pack.rules) == len(builtin_packs()["trendyol"].rules)
    assert _round_trip(pack) == pack


@settings(max_examples=60, deadline=None)
@given(
    low=st.floats(min_value=0, max_value=1e9, allow_nan=False),
    span=st.floats(min_value=0, max_value=1e9, allow_nan=False),
    size=st.integers(min_value=0, max_value=2**62),
)
def test_any_overridden_limit_survives_the_round_trip(low: float, span: float, size: int) -> None:
    overrides: dict[str, dict[str, Any]] = {
        "trendyol.duration": {"min": low, "max": low + span},
        "trendyol.size": {"max": size},
    }
    pack = resolve_packs(overrides=overrides)["trendyol"]
    again = _round_trip(pack)
    assert again == pack and again.digest == pack.digest
