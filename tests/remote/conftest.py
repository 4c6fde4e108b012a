"""Fixtures for the remote layer and URL checks end to end: real media, a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.media import OVER_LIMIT, OVER_LIMIT_SIZE, SAMPLES, SPARSE_SIZE, encode, make_sparse
from support.server import LocalFileServer

from vidlint.remote import RemoteOptions


@pytest.fixture(scope="session")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sample_media/ under samples/, and big/: real-bitrate clips and sparse faststart files.

    big/faststart.mp4 and big/moov_at_end.mp4 are 5 s 720p clips at ~6 Mb/s; big/sparse_500mb.mp4 is a
    10 s clip of SPARSE_SIZE bytes, big/OVER_LIMIT a 4 s clip of OVER_LIMIT_SIZE bytes (both mostly a hole).
    """
    root = tmp_path_factory.mktemp("served")
    shutil.copytree(SAMPLES, root / "samples", ignore=shutil.ignore_patterns("*.py", "*.toml", "*.md"))
    big = root / "big"
    big.mkdir()
    encode(big / "faststart.mp4", "-movflags", "+faststart")
    encode(big / "moov_at_end.mp4")
    make_sparse(big / "sparse_500mb.mp4", SPARSE_SIZE)
    make_sparse(big / OVER_LIMIT, OVER_LIMIT_SIZE, duration_s=4.0)
    return root


@pytest.fixture
def server(media_root: Path) -> Iterator[LocalFileServer]:
    """A fresh server per test (cheap: a thread), so a slow answer left behind never reaches another log."""
    with LocalFileServer(media_root) as srv:
        yield srv


@pytest.fixture
def fast(server: LocalFileServer) -> RemoteOptions:
    """Short limits (a failing case ends in well under a second); oEmbed endpoints at the server's fake."""
    endpoints = {name: server.url(f"oembed/{name}") for name in ("youtube", "vimeo")}
    return RemoteOptions(
        timeout_s=2.0, connect_timeout_s=1.0, oembed_timeout_s=1.0, oembed_endpoints=endpoints
    )
