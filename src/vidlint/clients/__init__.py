"""What every marketplace client shares, behind one upload facade (``vidlint.upload``, in ``facade``).

The clients themselves live in vidlint.providers (one package per marketplace); here is the HTTP layer
they are built on (``http``: timeouts, typed errors, retries from ``retry``, rate limits from
``ratelimit``), credentials loading, polling, the pre-flight and the results. ``make_client(id)``
(in ``factory``) builds a registered provider's client from environment variables or the credentials
file.

Names are imported lazily so that the CLI, which imports ``vidlint.cli.upload`` to build its
parser, does not pay for pydantic and httpx on every start.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "AuthError",
    "ClientConfigError",
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
        ClientConfigError,
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
