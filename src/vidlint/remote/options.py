"""RemoteOptions: every limit a URL check obeys, with defaults fit for a command line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field

from vidlint.remote.links import PLATFORM_HOSTS

KIB = 1024
MIB = 1024 * KIB

# Each platform's public oEmbed endpoint, as the platform documents it.
DEFAULT_OEMBED_ENDPOINTS: Mapping[str, str] = {
    "youtube": "https://www.youtube.com/oembed",
    "vimeo": "https://vimeo.com/api/oembed.json",
}


class RemoteOptions(BaseModel):
    """How far vidlint may go when it reads a URL.

    ``timeout_s`` is one wall-clock budget for the whole check of a URL (one ``fetch_facts`` call),
    not a per-request timeout. One deadline on the monotonic clock starts with the call and every
    step shares it: name lookup and connect, TLS, the HEAD, each redirect hop, each ranged GET, the
    oEmbed look-up, and waiting for the shared probe worker. Each socket operation may only wait for
    what is left, so a server that trickles bytes runs out of time like one that never answers;
    the outcome is then "timeout" (for a platform link, "could not verify"). The isolated worker is
    killed ``fetch.ISOLATION_MARGIN_S`` (0.5 s) after the deadline, should native code ignore it.
    ``connect_timeout_s`` (name lookup and connect, per connection) and ``oembed_timeout_s`` (the
    platform look-up) are caps inside that budget, never additions to it. With an injected
    ``transport`` the sockets are not vidlint's: the budget then holds through each request's
    timeouts and a check after every body chunk, but not inside a response's headers.
    ``max_bytes`` caps the body bytes read from the server, whatever it sends: past it the probe
    stops and the facts say ``partial``.
    ``block_private`` refuses hosts that resolve to private, loopback, link-local or otherwise
    non-global addresses, checked on every connection (redirects included). It is off by default
    for the CLI and ``check()``, and on in ``server_side()``, which the clients' server-side helpers use.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    timeout_s: float = Field(default=30.0, gt=0)
    connect_timeout_s: float = Field(default=10.0, gt=0)
    max_redirects: int = Field(default=5, ge=0, le=30)
    max_bytes: int = Field(default=4 * MIB, ge=4 * KIB)
    block_size: int = Field(default=64 * KIB, ge=4 * KIB, le=4 * MIB)
    block_private: bool = False
    verify_tls: bool = True
    user_agent: str = "vidlint (pre-flight video check)"
    isolate: bool = True  # run download + probe in the killable probe worker (ignored with a transport)
    check_platform: bool = True
    oembed_endpoints: Mapping[str, str] = Field(default_factory=lambda: dict(DEFAULT_OEMBED_ENDPOINTS))
    oembed_timeout_s: float = Field(default=3.0, gt=0)
    oembed_max_bytes: int = Field(default=64 * KIB, ge=1 * KIB)
    platform_hosts: Mapping[str, tuple[str, ...]] = Field(default_factory=lambda: dict(PLATFORM_HOSTS))
    transport: httpx.BaseTransport | None = None  # tests may inject one; it then owns block_private

    @classmethod
    def server_side(cls, **changes: Any) -> RemoteOptions:
        """Options for checking URLs that untrusted users submit to a server: private addresses refused."""
        return cls(**{"block_private": True, **changes})
