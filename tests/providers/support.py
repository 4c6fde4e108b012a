"""Each provider's client pointed at its sandbox, with fast settings and a secret that must never leak."""

from __future__ import annotations

from typing import Any

# the shared helpers (pytest puts tests/ on sys.path), re-exported to the provider tests
from clients.support import ADVERTISER as ADVERTISER
from clients.support import QUICK_WAIT as QUICK_WAIT
from clients.support import SAMPLES as SAMPLES
from clients.support import SECRET as SECRET
from clients.support import fast_settings as fast_settings
from clients.support import paths as paths
from clients.support import walmart_keys as walmart_keys

from vidlint.providers.akinon.client import AkinonClient, AkinonCredentials
from vidlint.providers.ecwid.client import EcwidClient, EcwidCredentials
from vidlint.providers.samsclub.client import SamsClubClient, SamsClubCredentials, SamsClubTiming
from vidlint.providers.shoplive.client import ShopliveClient, ShopliveCredentials
from vidlint.providers.trendyol.client import TrendyolClient, TrendyolCredentials, TrendyolTiming
from vidlint.sandbox import SandboxServer


def trendyol_client(server: SandboxServer, **options: Any) -> TrendyolClient:
    creds = TrendyolCredentials(
        base_url=server.url,
        seller_id="4242",
        api_key="key-" + SECRET,
        api_secret=SECRET,
        store_front_code="TR",
    )
    options.setdefault("timing", TrendyolTiming(wait=QUICK_WAIT))
    return TrendyolClient(creds, settings=options.pop("settings", fast_settings()), **options)


def samsclub_credentials(server: SandboxServer, private_pem: str | None = None) -> SamsClubCredentials:
    return SamsClubCredentials(
        base_url=server.url,
        advertiser_id=ADVERTISER,
        consumer_id="consumer-1",
        auth_token=SECRET,
        private_key=private_pem or walmart_keys()[0],
    )


def samsclub_client(server: SandboxServer, **options: Any) -> SamsClubClient:
    options.setdefault("timing", SamsClubTiming(wait=QUICK_WAIT))
    creds = samsclub_credentials(server, options.pop("private_pem", None))
    return SamsClubClient(creds, settings=options.pop("settings", fast_settings()), **options)


def akinon_client(server: SandboxServer, **options: Any) -> AkinonClient:
    creds = AkinonCredentials(base_url=server.url, token=SECRET)
    return AkinonClient(creds, settings=options.pop("settings", fast_settings()), **options)


def ecwid_client(server: SandboxServer, **options: Any) -> EcwidClient:
    creds = EcwidCredentials(base_url=server.url, store_id=77, token=SECRET)
    return EcwidClient(creds, settings=options.pop("settings", fast_settings()), **options)


def shoplive_client(server: SandboxServer, **options: Any) -> ShopliveClient:
    creds = ShopliveCredentials(base_url=server.url, access_key="access-key", token=SECRET)
    return ShopliveClient(creds, settings=options.pop("settings", fast_settings()), **options)
