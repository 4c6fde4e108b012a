"""Shared helpers for the client tests: sample paths, fast settings, clients pointed at a sandbox."""

from __future__ import annotations

from typing import Any

import httpx

# tests/sandbox/support.py (pytest puts tests/ on sys.path): one key pair and one set of sample paths
# for both suites, re-exported to the client tests.
from sandbox.support import ADVERTISER as ADVERTISER
from sandbox.support import SAMPLES as SAMPLES
from sandbox.support import walmart_keys as walmart_keys

from vidlint.clients.akinon import AkinonClient
from vidlint.clients.credentials import (
    AkinonCredentials,
    EcwidCredentials,
    SamsClubCredentials,
    ShopliveCredentials,
    TrendyolCredentials,
)
from vidlint.clients.ecwid import EcwidClient
from vidlint.clients.http import HttpSettings
from vidlint.clients.retry import RetryPolicy
from vidlint.clients.samsclub import SamsClubClient, SamsClubTiming
from vidlint.clients.shoplive import ShopliveClient
from vidlint.clients.trendyol import TrendyolClient, TrendyolTiming
from vidlint.clients.waiting import PollPlan
from vidlint.remote.options import RemoteOptions
from vidlint.sandbox import SandboxServer

QUICK_WAIT = PollPlan(first_delay_s=0.02, interval_s=0.05, timeout_s=15.0)
SECRET = "s3cr3t-Value-that-must-never-leak"


def fast_settings(**retry: Any) -> HttpSettings:
    policy = RetryPolicy(**{"max_attempts": 4, "base_delay_s": 0.01, "max_delay_s": 0.05, **retry})
    # the sandboxes and file servers are on 127.0.0.1: opt out of the server-side address guard
    return HttpSettings(retry=policy, timeout=httpx.Timeout(3.0), url_check=RemoteOptions())


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


def paths(server: SandboxServer, method: str | None = None) -> list[str]:
    """The paths the sandbox received (optionally of one method), in order."""
    return [r.path for r in server.requests if method is None or r.method == method]
