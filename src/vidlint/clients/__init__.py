"""Marketplace clients behind one upload facade (``vidlint.upload``, in vidlint.clients.facade).

One module per provider (trendyol, samsclub, akinon, ecwid, shoplive), each a client over a shared
HTTP layer (``http``: timeouts, typed errors, retries from ``retry``, rate limits from ``ratelimit``),
with the provider's bodies as pydantic models (``*_models``). ``factory.make_client(marketplace)``
builds one from environment variables or the credentials file.

Names are imported lazily so that the CLI, which imports ``vidlint.cli.upload`` to build its
parser, does not pay for pydantic and httpx on every start.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "AuthError",
    "ConfigurationError",
    "ConnectionFailed",
    "LimitExceeded",
    "NotFound",
    "NotOffered",
    "PreflightFailed",
    "ProviderError",
    "RateLimited",
    "ServerError",
    "UploadResult",
    "ValidationFailed",
    "make_client",
]

# Where each name lives: errors.py, but for the two named after it.
_LAZY: dict[str, str] = {
    **dict.fromkeys(__all__, "vidlint.clients.errors"),
    "UploadResult": "vidlint.clients.results",
    "make_client": "vidlint.clients.factory",
}

if TYPE_CHECKING:
    from vidlint.clients.errors import (
        AuthError,
        ConfigurationError,
        ConnectionFailed,
        LimitExceeded,
        NotFound,
        NotOffered,
        PreflightFailed,
        ProviderError,
        RateLimited,
        ServerError,
        ValidationFailed,
    )
    from vidlint.clients.factory import make_client
    from vidlint.clients.results import UploadResult


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vidlint.clients' has no attribute {name!r}")
    return getattr(import_module(module), name)
