"""Fixtures for URL checks end to end: sample_media/ served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from vidlint.remote import RemoteOptions
from vidlint.remote.localserver import LocalFileServer

from .media import OVER_LIMIT, SAMPLES, make_sparse


@pytest.fixture(scope="session")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sample_media/ under samples/, and big/: a sparse faststart 4 s clip of 500,000,001 bytes."""
    root = tmp_path_factory.mktemp("served")
    shutil.copytree(SAMPLES, root / "samples", ignore=shutil.ignore_patterns("*.py", "*.toml", "*.md"))
    (root / "big").mkdir()
    make_sparse(root / "big" / OVER_LIMIT, 500_000_001, duration_s=4.0)
    return root


@pytest.fixture
def server(media_root: Path) -> Iterator[LocalFileServer]:
    """A fresh server per test (cheap: a thread), so a slow answer left behind never reaches another log."""
    with LocalFileServer(media_root) as srv:
        yield srv


@pytest.fixture
def fast(server: LocalFileServer) -> RemoteOptions:
    """Short limits, and the platforms' oEmbed endpoints pointed at the server's fake."""
    endpoints = {name: server.url(f"oembed/{name}") for name in ("youtube", "vimeo")}
    return RemoteOptions(
        timeout_s=2.0, connect_timeout_s=1.0, oembed_timeout_s=1.0, oembed_endpoints=endpoints
    )
