"""Every sample clip, fixed for each file-judging marketplace alone and for every combination of them.

What each file should come to is derived from sample_media/expected.toml and the packs' limits (never
listed by hand): a clip that is not a readable, complete video or is shorter than the combination's
minimum duration is not fixable; one whose caption cannot be read is not fixable for a marketplace
that judges captions; every other clip is fixed (or already passes), and each output passes an
independent ``vidlint.check_all`` with the same packs (and, for every combination, ``vidlint check``
run as a real subprocess on the output folder).
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import vidlint
from vidlint.fixing import FileFix, FixResult
from vidlint.fixing.limits import limits_of
from vidlint.fixing.options import CONTAINER_OF, MUXABLE
from vidlint.packs.builtin import file_marketplaces, load_pack

from .conftest import FAST, SAMPLES, expected_facts, sample_videos

VIDLINT = str(Path(sys.executable).with_name("vidlint"))
# the marketplaces whose packs carry fix hints: every clip is fixed for the first three alone and in
# every combination; the later packs, which re-encode nearly every clip (frame rate, orientation),
# are run on one clip per failure signature in test_new_packs.py
HINTED = [m for m in file_marketplaces() if any(r.fix for r in load_pack(m).rules_for("file"))]
FIRST = [m for m in HINTED if m in ("akinon", "samsclub", "trendyol")]  # every combination of these
COMBOS = [(m,) for m in FIRST] + [c for n in (2, 3) for c in itertools.combinations(FIRST, n)]


def _unreadable(facts: dict[str, Any]) -> bool:
    return facts.get("kind") != "video" or not facts.get("readable") or bool(facts.get("truncated"))


def _caption_broken(name: str) -> bool:
    found = [facts for other, facts in expected_facts().items() if Path(other).stem == Path(name).stem
             and facts.get("kind") == "caption"]  # fmt: skip
    return any(not facts.get("caption_parses", True) for facts in found)


def _expected_unfixable(name: str, combo: tuple[str, ...]) -> str | None:
    """Why ``name`` cannot be fixed for ``combo`` (None: it can, or it passes already)."""
    facts = expected_facts()[name]
    limits = limits_of(load_pack(m) for m in combo)
    low = limits.interval("duration_s").low
    if _unreadable(facts) and _fails(name, combo):
        return "not a readable"
    if low is not None and facts.get("duration_s", 0) < low.value:
        return "too short"
    if limits.caption_extensions is not None and _caption_broken(name):
        return "caption not repairable"
    return None


def _fails(name: str, combo: tuple[str, ...]) -> bool:
    return not all(r.passed for r in vidlint.check_all(str(SAMPLES / name), list(combo)).values())


@pytest.fixture(scope="module", params=COMBOS, ids=["+".join(c) for c in COMBOS])
def fixed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, ...]:
    combo: tuple[str, ...] = request.param
    out = tmp_path_factory.mktemp("fixed")
    sources = [str(SAMPLES / name) for name in sample_videos()]
    result = vidlint.fix(sources, combo, out_dir=out, quality=FAST, jobs=2)
    return combo, out, result


def _by_name(result: FixResult) -> dict[str, FileFix]:
    return {Path(f.source).name: f for f in result.files}


def test_every_fixable_clip_is_fixed_and_passes(fixed: tuple[Any, ...]) -> None:
    combo, _, result = fixed
    for name, item in _by_name(result).items():
        why = _expected_unfixable(name, combo)
        if why is None:
            assert item.status in ("fixed", "passing"), (name, item)
        else:
            assert item.status == "unfixable", (name, item)
            assert item.reason is not None and why in item.reason, (name, item.reason)


def test_each_output_passes_an_independent_check(fixed: tuple[Any, ...]) -> None:
    combo, _, result = fixed
    outputs = [f for f in result.files if f.status == "fixed"]
    assert outputs, "the samples hold failing clips for every marketplace"
    for item in outputs:
        assert item.output is not None and item.command and item.command.startswith("ffmpeg ")
        reports = vidlint.check_all(item.output, list(combo), caption=item.caption)
        assert all(r.passed for r in reports.values()), [f.code for r in reports.values() for f in r.findings]


def test_already_passing_clips_are_left_alone(fixed: tuple[Any, ...]) -> None:
    combo, out, result = fixed
    for item in result.files:
        if item.status == "passing":
            assert item.output is None and not (out / Path(item.source).name).exists()
            assert not _fails(Path(item.source).name, combo)


def test_container_and_trim_only_fixes_copy_the_streams(fixed: tuple[Any, ...]) -> None:
    """A file whose failures are all re-mux or trim ones is fixed by stream copy, never re-encoded."""
    combo, _, result = fixed
    for item in result.files:
        if item.status != "fixed":
            continue
        reports = vidlint.check_all(item.source, list(combo)).values()
        actions = {f.fix.action for r in reports for f in r.findings if f.fix is not None}
        if actions <= {"remux", "trim"}:
            assert "-c:v copy" in (item.command or ""), item
            container = CONTAINER_OF[Path(item.output or "").suffix.lower()]
            carried = all(t.codec in MUXABLE[container] for t in vidlint.probe(item.source).audio)
            assert item.stream_copy is carried, item  # PCM must become AAC in .mp4 (ffmpeg 5.1)
        else:
            assert item.stream_copy is False, item


def test_the_output_folder_passes_vidlint_check_as_a_subprocess(fixed: tuple[Any, ...]) -> None:
    combo, out, result = fixed
    assert any(f.status == "fixed" for f in result.files)
    assert not [p.name for p in out.iterdir() if p.name.startswith("vidlint-tmp-")]
    run = subprocess.run(
        [VIDLINT, "check", str(out), "-m", ",".join(combo), "--no-cache", "--format", "json"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr
