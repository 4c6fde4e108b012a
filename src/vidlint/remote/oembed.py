"""Is a platform video public? Ask the platform's public oEmbed endpoint (no key needed).

YouTube and Vimeo answer 200 with a JSON object for a public video, 401/403 for a private or
embed-restricted one, and 404 for a removed or unknown one. Anything else (no network, a timeout,
a 5xx, a body that is not JSON) means "could not verify": ``available`` is None, never a guess.
The endpoint base URLs come from RemoteOptions, so tests point them at a local server.

The look-up runs on the check's deadline, capped by ``oembed_timeout_s``: its sockets are bounded
by it (network.BoundedBackend) and the body loop stops at it, so an endpoint that trickles its
answer costs that much time and no more. An HTTP(S) proxy from the environment is used as before
(the endpoints are the operator's, reached the operator's way), bounded the same way.
"""

from __future__ import annotations

import json
from typing import NamedTuple

import httpx

from vidlint.remote.deadline import Deadline
from vidlint.remote.network import BoundedTransport, env_proxy
from vidlint.remote.options import RemoteOptions
from vidlint.remote.problems import FetchProblem

_PRIVATE = frozenset({401, 403})
# YouTube has also been seen answering a private video with HTTP 200 and a bare text body
# (ruby-oembed/ruby-oembed#79).
_PRIVATE_BODIES = frozenset({b"Forbidden", b"Unauthorized"})
_GONE = frozenset({404, 410})


class Availability(NamedTuple):
    available: bool | None  # None: could not verify
    note: str | None  # one line for people; None when available


def check_availability(
    platform: str, url: str, options: RemoteOptions, deadline: Deadline | None = None
) -> Availability:
    """What ``platform``'s oEmbed endpoint says of ``url``, by ``deadline`` (default: the options'
    ``timeout_s`` from now), and within ``oembed_timeout_s`` whichever ends first."""
    endpoint = options.oembed_endpoints.get(platform)
    if endpoint is None:
        return Availability(None, f"could not verify: no oEmbed endpoint is configured for {platform}")
    deadline = (deadline or Deadline.start(options.timeout_s)).within(options.oembed_timeout_s)
    try:
        transport = options.transport or BoundedTransport(deadline=deadline, proxy=env_proxy(endpoint))
    except ValueError:  # a SOCKS proxy: httpx's own transport, bounded by the timeouts and the body loop
        transport = None
    try:
        with httpx.Client(transport=transport) as client:
            status, body = _get(client, endpoint, url, options, deadline)
    except FetchProblem as problem:
        return Availability(None, f"could not verify with {platform}: {problem.message}")
    except httpx.HTTPError as exc:
        if isinstance(exc, httpx.TimeoutException) and deadline.expired:
            return Availability(None, f"could not verify with {platform}: {deadline.problem().message}")
        return Availability(None, f"could not verify with {platform}: {type(exc).__name__}")
    return _judge(platform, status, body)


def _get(
    client: httpx.Client, endpoint: str, url: str, options: RemoteOptions, deadline: Deadline
) -> tuple[int, bytes]:
    params = {"url": url, "format": "json"}
    headers = {"User-Agent": options.user_agent, "Accept": "application/json"}
    left = deadline.remaining()
    if left <= 0:
        raise deadline.problem()
    timeout = httpx.Timeout(left)
    with client.stream("GET", endpoint, params=params, headers=headers, timeout=timeout) as response:
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > options.oembed_max_bytes:
                break
            deadline.check()
        return response.status_code, bytes(body[: options.oembed_max_bytes])


def _judge(platform: str, status: int, body: bytes) -> Availability:
    if status in _PRIVATE or (status == 200 and body.strip() in _PRIVATE_BODIES):
        return Availability(False, f"{platform} says the video is private or not embeddable (HTTP {status})")
    if status in _GONE:
        return Availability(False, f"{platform} says the video does not exist or was removed (HTTP {status})")
    if status == 200 and _is_json_object(body):
        return Availability(True, None)
    return Availability(None, f"could not verify with {platform}: unexpected answer (HTTP {status})")


def _is_json_object(body: bytes) -> bool:
    try:
        return isinstance(json.loads(body), dict)
    except ValueError:
        return False
