"""End-to-end truth: every file in sample_media/ probes to the facts expected.toml says it was made with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from vidlint.model.facts import MediaFacts
from vidlint.probing import probe, probe_many

from .support import DURATION_TOL_S, SAMPLES, expected_table

EXPECTED = expected_table()


def _video(facts: MediaFacts, attribute: str) -> Any:
    track = facts.main_video
    return None if track is None else getattr(track, attribute)


def _audio_codec(facts: MediaFacts) -> str | None:
    return facts.audio[0].codec if facts.audio else "none"


def _caption(facts: MediaFacts, attribute: str) -> Any:
    return None if facts.caption is None else getattr(facts.caption, attribute)


def _image(facts: MediaFacts, attribute: str) -> Any:
    return None if facts.image is None else getattr(facts.image, attribute)


READERS: dict[str, Callable[[MediaFacts], Any]] = {
    "kind": lambda f: f.kind,
    "container": lambda f: f.container,
    "major_brand": lambda f: f.major_brand,
    "readable": lambda f: f.readable,
    "truncated": lambda f: f.truncated,
    "fragmented": lambda f: f.fragmented,
    "faststart": lambda f: f.faststart,
    "duration_s": lambda f: f.duration_s,
    "video_codec": lambda f: _video(f, "codec"),
    "audio_codec": _audio_codec,
    "stored_width": lambda f: _video(f, "stored_width"),
    "stored_height": lambda f: _video(f, "stored_height"),
    "sar": lambda f: _video(f, "sample_aspect_ratio"),
    "rotation_cw": lambda f: _video(f, "rotation_cw"),
    "display_width": lambda f: _video(f, "display_width"),
    "display_height": lambda f: _video(f, "display_height"),
    "caption_format": lambda f: _caption(f, "format"),
    "caption_parses": lambda f: _caption(f, "parses"),
    "caption_cues": lambda f: _caption(f, "cue_count"),
    "image_format": lambda f: _image(f, "format"),
    "image_decodes": lambda f: _image(f, "decodes"),
    "image_width": lambda f: _image(f, "width"),
    "image_height": lambda f: _image(f, "height"),
    "frame_rate": lambda f: _video(f, "frame_rate"),
    "frame_rate_mode": lambda f: _video(f, "frame_rate_mode"),
    "profile": lambda f: _video(f, "profile"),
    "bit_depth": lambda f: _video(f, "bit_depth"),
    "hdr_transfer": lambda f: _video(f, "hdr_transfer"),
    "edit_list": lambda f: f.edit_list,
    "video_tracks": lambda f: f.video_tracks,
    "audio_tracks": lambda f: f.audio_tracks,
    "orientation": lambda f: f.orientation,
}
TOLERANCES = {"duration_s": DURATION_TOL_S, "sar": 1e-3, "frame_rate": 1e-3}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_probes_to_expected_facts(name: str) -> None:
    facts = probe(SAMPLES / name)
    # ffprobe_* keys say what ffprobe reports where it disagrees (tests/test_sample_media.py reads them)
    wanted = {k: v for k, v in EXPECTED[name].items() if k != "description" and not k.startswith("ffprobe_")}
    unknown = set(wanted) - set(READERS)
    assert not unknown, f"expected.toml keys this test does not know: {unknown}"
    mismatches = {}
    for key, value in wanted.items():
        actual = READERS[key](facts)
        if key in TOLERANCES and actual is not None:
            ok = abs(actual - value) <= TOLERANCES[key]
        else:
            ok = actual == value
        if not ok:
            mismatches[key] = (value, actual)
    assert not mismatches, f"{name}: expected vs actual {mismatches}; backend={facts.backend}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_facts_are_consistent(name: str) -> None:
    facts = probe(SAMPLES / name)
    assert facts.size_bytes == (SAMPLES / name).stat().st_size
    assert facts.extension == (SAMPLES / name).suffix.lower()
    if facts.readable:
        assert facts.kind == "video" and facts.video and facts.duration_s
    if facts.kind == "video":
        faulty = facts.truncated or not facts.readable
    elif facts.kind == "caption":
        faulty = facts.caption is None or not facts.caption.parses
    elif facts.kind == "image":
        faulty = facts.image is None or not facts.image.decodes
    else:
        faulty = True
    assert (facts.error is not None) == faulty, facts.error
    assert "\n" not in (facts.error or "")


def test_probe_many_matches_single_probes_in_order() -> None:
    names = sorted(EXPECTED)
    paths = [SAMPLES / name for name in names]
    results = probe_many(paths, jobs=2)
    assert len(results) == len(names)
    for name, result in zip(names, results, strict=True):
        assert isinstance(result, MediaFacts), result
        assert result == probe(SAMPLES / name)
