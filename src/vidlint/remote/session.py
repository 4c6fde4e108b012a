"""HttpSession: one httpx client with a time budget, a byte counter and policed redirects.

Redirects are followed here rather than by httpx so that each hop is counted against
``max_redirects``, loops are named as loops, and a redirect to a non-http(s) URL is refused.
Bodies are always streamed and read through ``iter_body``, which counts the bytes and stops
when the time budget is spent.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping

import httpx

from vidlint.remote.guard import make_transport
from vidlint.remote.options import RemoteOptions
from vidlint.remote.problems import FetchProblem, from_exception

_CHUNK = 16 * 1024


class HttpSession:
    def __init__(self, options: RemoteOptions) -> None:
        self.options = options
        self.bytes_transferred = 0
        self.requests = 0
        self.final_url: str | None = None
        self._deadline = time.monotonic() + options.timeout_s
        transport = options.transport or make_transport(
            block_private=options.block_private, verify=options.verify_tls
        )
        self._client = httpx.Client(
            transport=transport,
            follow_redirects=False,
            trust_env=not options.block_private,
            headers={"User-Agent": options.user_agent, "Accept-Encoding": "identity"},
        )

    def __enter__(self) -> HttpSession:
        return self

    def __exit__(self, *_: object) -> None:
        self._client.close()

    def remaining_s(self) -> float:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise FetchProblem("timeout", f"no answer within the {self.options.timeout_s:g} s budget")
        return remaining

    def open(self, method: str, url: str, headers: Mapping[str, str] | None = None) -> httpx.Response:
        """Send ``method`` to ``url`` following redirects; the response is open and streaming (close it)."""
        visited = {url}
        current = url
        for _ in range(self.options.max_redirects + 1):
            response = self._send(method, current, headers)
            location = response.headers.get("location")
            if not (response.is_redirect and location):
                self.final_url = current
                return response
            response.close()
            current = self._next_hop(response, location, visited)
        raise FetchProblem("failed", f"more than {self.options.max_redirects} redirects")

    def iter_body(self, response: httpx.Response, limit: int) -> Iterator[bytes]:
        """Yield at most ``limit`` body bytes of ``response``, counted, within the time budget."""
        left = limit
        if left <= 0:
            return
        try:
            for chunk in response.iter_raw(_CHUNK):
                piece = chunk[:left]
                self.bytes_transferred += len(piece)
                left -= len(piece)
                yield piece
                if left <= 0:
                    return
                self.remaining_s()
        except httpx.HTTPError as exc:
            raise from_exception(exc) from exc

    def read_body(self, response: httpx.Response, limit: int) -> bytes:
        return b"".join(self.iter_body(response, limit))

    def _send(self, method: str, url: str, headers: Mapping[str, str] | None) -> httpx.Response:
        remaining = self.remaining_s()
        timeout = httpx.Timeout(remaining, connect=min(self.options.connect_timeout_s, remaining))
        self.requests += 1
        try:
            request = self._client.build_request(method, url, headers=headers, timeout=timeout)
            return self._client.send(request, stream=True)
        except (httpx.HTTPError, OSError) as exc:
            raise from_exception(exc) from exc

    def _next_hop(self, response: httpx.Response, location: str, visited: set[str]) -> str:
        try:
            target = response.url.join(location)
        except (httpx.InvalidURL, ValueError) as exc:
            raise FetchProblem("failed", f"the server redirected to an invalid URL ({exc})") from exc
        if target.scheme not in ("http", "https"):
            raise FetchProblem("failed", f"the server redirected to a non-http(s) URL: {target}")
        if str(target) in visited:
            raise FetchProblem("failed", f"redirect loop at {target}")
        visited.add(str(target))
        return str(target)
