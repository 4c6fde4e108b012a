"""Fixtures for the remote layer: real media served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from vidlint.remote import RemoteOptions
from vidlint.remote.localserver import LocalFileServer

from .media import SAMPLES, SPARSE_SIZE, encode, make_sparse


@pytest.fixture(scope="session")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sample_media/ copied under a served root, plus big/ with real-bitrate and sparse files."""
    root = tmp_path_factory.mktemp("served")
    shutil.copytree(SAMPLES, root / "samples", ignore=shutil.ignore_patterns("*.py", "*.toml"))
    big = root / "big"
    big.mkdir()
    encode(big / "faststart.mp4", "-movflags", "+faststart")
    encode(big / "moov_at_end.mp4")
    make_sparse(big / "sparse_500mb.mp4", SPARSE_SIZE)
    return root


@pytest.fixture
def server(media_root: Path) -> Iterator[LocalFileServer]:
    """A fresh server per test, so a slow answer left behind never leaks into the next test's log."""
    with LocalFileServer(media_root) as srv:
        yield srv


@pytest.fixture
def fast() -> RemoteOptions:
    """Short limits: a failing case must end in well under a second."""
    return RemoteOptions(timeout_s=2.0, connect_timeout_s=1.0, oembed_timeout_s=1.0)
