"""Clients by marketplace id (from vidlint.providers), configured from the environment or the credentials
file."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vidlint.clients.base import UploadClient
from vidlint.clients.credentials import load_credentials
from vidlint.clients.errors import ClientConfigError
from vidlint.providers import PROVIDERS, Provider


def provider_for(marketplace: str) -> Provider:
    """The registered provider; ClientConfigError names the choices when there is none."""
    if marketplace not in PROVIDERS:
        raise ClientConfigError(
            f"no upload client for {marketplace!r}; choose one of {', '.join(PROVIDERS)}"
        )
    return PROVIDERS[marketplace]


def client_class(marketplace: str) -> type[Any]:
    return provider_for(marketplace).client_class()


def make_client(
    marketplace: str,
    *,
    env: Mapping[str, str] | None = None,
    credentials_path: Path | None = None,
    base_url: str | None = None,
    **options: Any,
) -> UploadClient:
    """The marketplace's client; ``options`` go to its constructor (settings, timing, publisher, ...)."""
    provider = provider_for(marketplace)
    overrides = {"base_url": base_url} if base_url else None
    model = provider.credentials_model()
    credentials = load_credentials(model, marketplace, env=env, path=credentials_path, overrides=overrides)
    client: UploadClient = provider.client_class()(credentials, **options)
    return client
