"""Fixtures for the probe tests: a 500,000,001-byte sparse faststart MP4 and throw-away clips."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.media import make_sparse

from .support import SPARSE_SIZE, make_clip


@pytest.fixture(scope="session")
def sparse_faststart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 10 s 1080p faststart MP4 whose mdat is grown to 500,000,001 bytes as a file hole."""
    path = tmp_path_factory.mktemp("sparse") / "sparse_500000001.mp4"
    make_sparse(path, SPARSE_SIZE)
    return path


@pytest.fixture(scope="session")
def small_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2 s 320x240 H.264/AAC faststart MP4."""
    path = tmp_path_factory.mktemp("clips") / "small.mp4"
    return make_clip(
        path, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-movflags", "+faststart"
    )
