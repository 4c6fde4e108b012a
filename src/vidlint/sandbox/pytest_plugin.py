"""pytest fixtures for integration tests against the sandboxes (like moto's for AWS).

Enable with ``pytest_plugins = ["vidlint.sandbox.pytest_plugin"]`` in your top-level conftest.py.

- ``vidlint_sandbox("samsclub", processing_delay_s=0.1)`` starts a provider's sandbox on 127.0.0.1
  (any number per test); each is stopped when the test ends.
- ``vidlint_files`` is a started file server over a fresh folder: ``vidlint_files.publish(path)``
  copies a file there and returns its URL, a ready-made ``publisher`` for the URL-taking providers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from vidlint.sandbox import SandboxServer, StaticFiles, start

SandboxFactory = Callable[..., SandboxServer]


@pytest.fixture
def vidlint_sandbox() -> Iterator[SandboxFactory]:
    servers: list[SandboxServer] = []

    def factory(provider: str, **settings: Any) -> SandboxServer:
        server = start(provider, **settings)
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.stop()


@pytest.fixture
def vidlint_files() -> Iterator[StaticFiles]:
    with StaticFiles() as files:
        yield files
