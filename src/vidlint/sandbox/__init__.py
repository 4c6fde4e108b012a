"""Local fake providers on 127.0.0.1 that speak each marketplace's documented contract.

Each provider's app is its package's ``sandbox`` module (vidlint.providers.<id>.sandbox); what they
share is here: the server, request and route values (``core``), faults, the static file server.

``start("samsclub", processing_delay_s=0.2)`` returns a running :class:`SandboxServer`; use it as a
context manager, point a client's ``base_url`` at ``server.url``, and inject faults with
``server.faults.add(Fault(...))`` (a fault's ``path`` is a glob over the whole path, e.g. ``"*/videos"``,
never a regular expression). From a shell: ``vidlint sandbox samsclub --port 0``. For pytest,
``vidlint.sandbox.pytest_plugin`` provides the ``vidlint_sandbox`` and ``vidlint_files`` fixtures.
Every app takes ``max_body_bytes`` (default 600,000,000) besides its own settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vidlint.clients.clock import Clock
from vidlint.providers import PROVIDERS
from vidlint.sandbox.core import App
from vidlint.sandbox.faults import Fault, FaultScript
from vidlint.sandbox.files import StaticFiles
from vidlint.sandbox.server import RecordedRequest, SandboxServer

__all__ = [
    "PROVIDERS",
    "Fault",
    "FaultScript",
    "RecordedRequest",
    "SandboxServer",
    "StaticFiles",
    "make_app",
    "start",
]


def make_app(
    provider: str, *, clock: Clock | None = None, data_dir: Path | None = None, **settings: Any
) -> App:
    """The provider's App with ``settings`` (field names of its Settings model) applied."""
    if provider not in PROVIDERS:
        raise ValueError(f"no sandbox for {provider!r}; choose one of {', '.join(PROVIDERS)}")
    entry = PROVIDERS[provider]
    config = entry.settings_model().model_validate(settings)
    app: App = entry.app_class()(config, clock=clock, data_dir=data_dir)
    return app


def start(
    provider: str, *, host: str = "127.0.0.1", port: int = 0, clock: Clock | None = None, **settings: Any
) -> SandboxServer:
    """A started server for ``provider``; stop it (or use it as a context manager) when done."""
    return SandboxServer(make_app(provider, clock=clock, **settings), host=host, port=port).start()
