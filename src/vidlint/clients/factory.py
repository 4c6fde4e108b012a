"""Clients by marketplace id, configured from the environment or the credentials file."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vidlint.clients.akinon import AkinonClient
from vidlint.clients.base import UploadClient
from vidlint.clients.credentials import (
    AkinonCredentials,
    Credentials,
    EcwidCredentials,
    SamsClubCredentials,
    ShopliveCredentials,
    TrendyolCredentials,
    load_credentials,
)
from vidlint.clients.ecwid import EcwidClient
from vidlint.clients.errors import ConfigurationError
from vidlint.clients.samsclub import SamsClubClient
from vidlint.clients.shoplive import ShopliveClient
from vidlint.clients.trendyol import TrendyolClient

CLIENTS: dict[str, tuple[type[Any], type[Credentials]]] = {
    "trendyol": (TrendyolClient, TrendyolCredentials),
    "samsclub": (SamsClubClient, SamsClubCredentials),
    "akinon": (AkinonClient, AkinonCredentials),
    "ecwid": (EcwidClient, EcwidCredentials),
    "shoplive": (ShopliveClient, ShopliveCredentials),
}


def client_class(marketplace: str) -> type[Any]:
    if marketplace not in CLIENTS:
        raise ConfigurationError(f"no upload client for {marketplace!r}; choose one of {', '.join(CLIENTS)}")
    return CLIENTS[marketplace][0]


def make_client(
    marketplace: str,
    *,
    env: Mapping[str, str] | None = None,
    credentials_path: Path | None = None,
    base_url: str | None = None,
    **options: Any,
) -> UploadClient:
    """The marketplace's client; ``options`` go to its constructor (settings, timing, publisher, ...)."""
    cls, model = client_class(marketplace), CLIENTS[marketplace][1]
    overrides = {"base_url": base_url} if base_url else None
    credentials = load_credentials(model, marketplace, env=env, path=credentials_path, overrides=overrides)
    client: UploadClient = cls(credentials, **options)
    return client
