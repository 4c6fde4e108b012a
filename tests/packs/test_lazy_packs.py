"""The built-in packs are built one by one, when a run asks for them: from the compiled file while the
pack file is the one it was compiled from, else validated from that file alone."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vidlint.errors import RulePackError
from vidlint.packs.builtin import _BuiltinPacks, builtin_packs, compiled_packs, packs_dir
from vidlint.packs.digest import digest


@given(st.binary(max_size=4096))
def test_the_digest_is_sha256(data: bytes) -> None:
    assert digest(data) == hashlib.sha256(data).hexdigest()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copied = tmp_path / "rules"
    shutil.copytree(packs_dir(), copied)
    return copied


def test_a_pack_is_built_only_when_asked_for(folder: Path) -> None:
    packs = _BuiltinPacks(folder)
    assert list(packs) == sorted(builtin_packs())
    assert packs["samsclub"] == builtin_packs()["samsclub"]
    assert packs["samsclub"] is packs["samsclub"]
    assert set(packs._built) == {"samsclub"}


def test_an_edited_pack_is_validated_and_the_others_stay_compiled(folder: Path) -> None:
    path = folder / "trendyol.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("max = 500000000", "max = 400000000"))
    packs = _BuiltinPacks(folder)
    assert packs["trendyol"].rule("trendyol.size").params.max == 400_000_000  # type: ignore[attr-defined]
    assert packs["samsclub"] == compiled_packs()["samsclub"]  # type: ignore[index]


def test_a_broken_pack_fails_only_when_it_is_used(folder: Path) -> None:
    (folder / "ecwid.toml").write_text("id = 'ecwid'\n[[rules]]\nid = 3\n", encoding="utf-8")
    packs = _BuiltinPacks(folder)
    assert packs["samsclub"].id == "samsclub"
    with pytest.raises(RulePackError, match=r"^rules/ecwid.toml"):
        packs["ecwid"]


def test_a_damaged_compiled_file_means_every_pack_is_validated(folder: Path) -> None:
    (folder / "compiled.json").write_text('{"format": 3, "sources": {"samsclub": 1}}', encoding="utf-8")
    packs = _BuiltinPacks(folder)
    assert packs["samsclub"] == builtin_packs()["samsclub"]
    assert "unknown" not in packs
    with pytest.raises(KeyError):
        packs["unknown"]
