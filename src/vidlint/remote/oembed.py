"""Is a platform video public? Ask the platform's public oEmbed endpoint (no key needed).

YouTube and Vimeo answer 200 with a JSON object for a public video, 401/403 for a private or
embed-restricted one, and 404 for a removed or unknown one. Anything else (no network, a timeout,
a 5xx, a body that is not JSON) means "could not verify": ``available`` is None, never a guess.
The endpoint base URLs come from RemoteOptions, so tests point them at a local server.
"""

from __future__ import annotations

import json
from typing import NamedTuple

import httpx

from vidlint.remote.options import RemoteOptions

_PRIVATE = frozenset({401, 403})
# YouTube has also been seen answering a private video with HTTP 200 and a bare text body
# (ruby-oembed/ruby-oembed#79).
_PRIVATE_BODIES = frozenset({b"Forbidden", b"Unauthorized"})
_GONE = frozenset({404, 410})


class Availability(NamedTuple):
    available: bool | None  # None: could not verify
    note: str | None  # one line for people; None when available


def check_availability(platform: str, url: str, options: RemoteOptions) -> Availability:
    endpoint = options.oembed_endpoints.get(platform)
    if endpoint is None:
        return Availability(None, f"could not verify: no oEmbed endpoint is configured for {platform}")
    try:
        with httpx.Client(transport=options.transport, timeout=options.oembed_timeout_s) as client:
            status, body = _get(client, endpoint, url, options)
    except httpx.HTTPError as exc:
        return Availability(None, f"could not verify with {platform}: {type(exc).__name__}")
    return _judge(platform, status, body)


def _get(client: httpx.Client, endpoint: str, url: str, options: RemoteOptions) -> tuple[int, bytes]:
    params = {"url": url, "format": "json"}
    headers = {"User-Agent": options.user_agent, "Accept": "application/json"}
    with client.stream("GET", endpoint, params=params, headers=headers) as response:
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > options.oembed_max_bytes:
                break
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
