"""FetchProblem: why a URL could not be read, already sorted into the outcome the rules map to codes.

Every network failure goes through ``from_exception`` so the mapping lives in one place:
timeouts (connect, read, or the overall budget) -> "timeout"; refused connections, DNS and TLS
failures, resets, short bodies and HTTP errors -> "failed"; addresses refused by policy -> "blocked".
"""

from __future__ import annotations

import ssl
from typing import Literal

import httpx

Outcome = Literal["failed", "timeout", "blocked"]


class FetchProblem(Exception):
    """A URL could not be read; ``outcome`` is what FetchFacts records, ``message`` one line for people."""

    def __init__(self, outcome: Outcome, message: str, *, http_status: int | None = None) -> None:
        super().__init__(message)
        self.outcome: Outcome = outcome
        self.message = message
        self.http_status = http_status


class BlockedAddress(FetchProblem):
    """Raised while connecting when the host resolves to an address the policy refuses."""

    def __init__(self, message: str) -> None:
        super().__init__("blocked", message)


def http_error(response: httpx.Response) -> FetchProblem:
    reason = response.reason_phrase or "error"
    return FetchProblem(
        "failed",
        f"the server answered HTTP {response.status_code} {reason}",
        http_status=response.status_code,
    )


def from_exception(exc: BaseException) -> FetchProblem:
    """The FetchProblem for an exception raised while talking to a server."""
    if isinstance(exc, FetchProblem):
        return exc
    if isinstance(exc, httpx.TimeoutException):
        return FetchProblem("timeout", f"the server did not answer in time ({_kind(exc)})")
    if isinstance(exc, httpx.ConnectError):
        return FetchProblem("failed", f"could not connect: {_first_line(exc)}")
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return FetchProblem("failed", f"the connection broke: {_first_line(exc)}")
    if isinstance(exc, ssl.SSLError):
        return FetchProblem("failed", f"TLS failed: {_first_line(exc)}")
    if isinstance(exc, httpx.HTTPError | OSError):
        return FetchProblem("failed", f"{_kind(exc)}: {_first_line(exc)}")
    return FetchProblem("failed", f"unexpected {_kind(exc)}: {_first_line(exc)}")


def _kind(exc: BaseException) -> str:
    return type(exc).__name__


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
