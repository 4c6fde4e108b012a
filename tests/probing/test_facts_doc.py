"""docs/facts.md holds: its user-pack rules run on real clips, and every fact it lists is a path the
engine reaches (computed properties included), both through a pack rule and through JSON output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vidlint import api
from vidlint.engine import MISSING, resolve
from vidlint.model.facts import as_data
from vidlint.packs.loader import load_pack_file
from vidlint.probing import probe

from .support import SAMPLES

DOC = Path(__file__).resolve().parents[2] / "docs" / "facts.md"
HEADER = 'id = "mymarket"\nname = "My market"\n\n[inputs.file]\nextensions = [".mp4"]\n\n'


def doc_rules() -> str:
    """The TOML block of the "Streamability in your own pack" section."""
    (block,) = re.findall(r"```toml\n(.*?)```", DOC.read_text(), flags=re.S)
    return str(block)


def listed_paths() -> list[str]:
    """The fact paths of the table (first column, in backticks)."""
    paths = []
    for line in DOC.read_text().splitlines():
        if line.startswith("| `"):
            paths += re.findall(r"`([a-z_.]+)`", line.split("|")[1])
    return paths


@pytest.fixture(scope="module")
def pack_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("user_pack") / "mymarket.toml"
    path.write_text(HEADER + doc_rules())
    return path


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("moov_at_end_10s.mp4", {"NOT_STREAMABLE"}),
        ("edit_list_1080p_10s.mp4", {"EDIT_LIST"}),
        ("ok_h264_aac_1080p_10s.mp4", set()),  # AAC priming's edit list is not one that changes play
        ("vp9_in_webm_10s.webm", set()),  # not ISO BMFF: nothing to say
    ],
)
def test_the_documented_user_rules_warn(pack_file: Path, name: str, codes: set[str]) -> None:
    report = api.check(SAMPLES / name, load_pack_file(pack_file))
    assert report.codes() == codes
    assert report.passed  # warnings only


def test_the_table_lists_the_new_facts() -> None:
    assert set(listed_paths()) >= {
        "main_video.frame_rate", "main_video.frame_rate_mode", "main_video.profile", "main_video.bit_depth",
        "main_video.hdr_transfer", "faststart", "edit_list", "video_tracks", "audio_tracks", "orientation",
    }  # fmt: skip


@pytest.mark.parametrize("path", listed_paths())
def test_every_listed_fact_resolves_and_shows_in_json(path: str) -> None:
    facts = probe(SAMPLES / "hdr10_hevc_10bit_1080p_10s.mp4")
    ((where, value),) = resolve(facts, path)
    assert where == path and value is not MISSING and value is not None
    head, _, tail = path.partition(".")
    data = as_data(facts)
    found = data["video"][0][tail] if head == "main_video" else data[head]
    assert found == value
