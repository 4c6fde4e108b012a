"""Fixtures for the fix tests: an isolated cache and working folder, the sample clips and their facts."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from support.isolation import isolated

from vidlint.fixing import Quality

__all__ = ["isolated"]  # every test works in an empty folder with its own cache

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_media"
FAST = Quality(preset="ultrafast")  # the clips are 2 fps flat colour: the preset only changes the speed


def expected_facts() -> dict[str, dict[str, Any]]:
    """sample_media/expected.toml: every sample's facts, from the parameters it was made with."""
    files: dict[str, dict[str, Any]] = tomllib.loads((SAMPLES / "expected.toml").read_text())["files"]
    return files


def sample_videos() -> list[str]:
    """Every sample that is (or pretends to be, by its name) a video: the files vidlint fix is given."""
    return sorted(
        name
        for name, facts in expected_facts().items()
        if "/" not in name and facts.get("kind") != "caption" and Path(name).suffix.lower() != ".srt"
    )
