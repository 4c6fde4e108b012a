"""Compiled packs (vidlint.packs.compiled, vidlint.packs.builtin): the engine's plain form of a pack, its JSON
round trip, and the compiled file shipped beside the built-in packs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vidlint.engine import evaluate
from vidlint.packs.builtin import FILE_NAME, builtin_programs, compiled_text, packs_dir
from vidlint.packs.compiled import Program, compile_pack
from vidlint.packs.loader import builtin_packs, load_pack_file
from vidlint.probing import probe
from vidlint.run.config import resolve_packs

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES: dict[str, dict[str, Any]] = {
    "trendyol.duration": {"max": 90},
    "samsclub.size": {"severity": "warning"},
}


def _programs() -> list[Program]:
    overridden = resolve_packs(overrides=OVERRIDES, disable=["akinon.image"])
    validated = [*builtin_packs().values(), *overridden.values()]
    return [compile_pack(pack) for pack in validated]


@pytest.mark.parametrize("program", _programs(), ids=lambda p: p.id)
def test_a_program_survives_its_json_round_trip(program: Program) -> None:
    data = json.loads(json.dumps(program.to_data()))
    again = Program.from_data(data)
    assert again == program
    assert again.digest == program.digest


def test_the_digest_follows_limits_severities_and_disabled_rules() -> None:
    plain = compile_pack(builtin_packs()["trendyol"])
    for overrides, disable in (({"trendyol.duration": {"max": 90}}, []), ({}, ["trendyol.duration"])):
        changed = compile_pack(resolve_packs(overrides=overrides, disable=disable)["trendyol"])
        assert changed.digest != plain.digest
    assert compile_pack(builtin_packs()["trendyol"]).digest == plain.digest


def test_disabled_rules_are_left_out_and_expected_is_rendered_once() -> None:
    pack = resolve_packs(disable=["trendyol.duration"])["trendyol"]
    program = compile_pack(pack)
    assert "trendyol.duration" not in {rule.id for rule in program.rules}
    assert [r.id for r in program.rules] == [r.id for r in pack.rules if r.enabled]
    for rule in program.rules:
        assert rule.expected == pack.rule(rule.id).render_expected()


def test_the_shipped_compiled_file_is_current() -> None:
    """scripts/gen_rules_doc.py writes it; an edited pack or check kind must be compiled again."""
    assert (ROOT / "rules" / FILE_NAME).read_text(encoding="utf-8") == compiled_text()


def test_the_compiled_built_in_packs_are_the_validated_ones() -> None:
    programs = builtin_programs()
    assert programs is not None
    assert programs == {pack_id: compile_pack(pack) for pack_id, pack in builtin_packs().items()}


def _copy_of_packs(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(packs_dir(), folder)
    return folder


def test_an_edited_pack_file_makes_the_compiled_file_unusable(tmp_path: Path) -> None:
    folder = _copy_of_packs(tmp_path)
    assert builtin_programs(folder) == builtin_programs()
    pack = folder / "trendyol.toml"
    pack.write_text(pack.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert builtin_programs(folder) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda f: (f / FILE_NAME).write_text("{not json", encoding="utf-8"),
        lambda f: (f / FILE_NAME).write_bytes(b"\xff\xfe garbage"),
        lambda f: (f / FILE_NAME).unlink(),
        lambda f: (f / FILE_NAME).write_text(json.dumps({"format": 999}), encoding="utf-8"),
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
    assert builtin_programs(folder) is None


def _replace(folder: Path, old: str, new: str) -> None:
    path = folder / FILE_NAME
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


SAMPLES = [
    "dur_7s.mp4", "ok_h264_aac_1080p_10s.mp4", "rotated_90_10s.mp4", "empty.mp4", "vp9_in_webm_10s.webm",
]


@pytest.mark.parametrize("name", SAMPLES)
def test_a_pack_and_its_program_give_the_same_findings(name: str) -> None:
    facts = probe(ROOT / "sample_media" / name)
    for pack in builtin_packs().values():
        assert evaluate(facts, pack) == evaluate(facts, compile_pack(pack))


def test_a_user_pack_compiles_like_a_built_in_one(tmp_path: Path) -> None:
    source = (packs_dir() / "trendyol.toml").read_text(encoding="utf-8")
    user = tmp_path / "shopfast.toml"
    user.write_text(source.replace('id = "trendyol"', 'id = "shopfast"').replace('"trendyol.', '"shopfast.'))
    program = compile_pack(load_pack_file(user))
    assert Program.from_data(json.loads(json.dumps(program.to_data()))) == program


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
    program = compile_pack(resolve_packs(overrides=overrides)["trendyol"])
    again = Program.from_data(json.loads(json.dumps(program.to_data())))
    assert again == program and again.digest == program.digest
