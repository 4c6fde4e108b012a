"""Shared helpers for the client tests: sample paths, fast settings, the secret that must never leak."""

from __future__ import annotations

from typing import Any

import httpx

# tests/sandbox/support.py (pytest puts tests/ on sys.path): one key pair and one set of sample paths
# for every suite, re-exported to the client tests.
from sandbox.support import ADVERTISER as ADVERTISER
from sandbox.support import SAMPLES as SAMPLES
from sandbox.support import walmart_keys as walmart_keys

from vidlint.clients.http import HttpSettings
from vidlint.clients.retry import RetryPolicy
from vidlint.clients.waiting import PollSchedule
from vidlint.remote.options import RemoteOptions
from vidlint.sandbox import SandboxServer

QUICK_WAIT = PollSchedule(first_delay_s=0.02, interval_s=0.05, timeout_s=15.0)
SECRET = "s3cr3t-Value-that-must-never-leak"


def fast_settings(**retry: Any) -> HttpSettings:
    policy = RetryPolicy(**{"max_attempts": 4, "base_delay_s": 0.01, "max_delay_s": 0.05, **retry})
    # the sandboxes and file servers are on 127.0.0.1: opt out of the server-side address guard
    return HttpSettings(retry=policy, timeout=httpx.Timeout(3.0), url_check=RemoteOptions())


def paths(server: SandboxServer, method: str | None = None) -> list[str]:
    """The paths the sandbox received (optionally of one method), in order."""
    return [r.path for r in server.requests if method is None or r.method == method]
