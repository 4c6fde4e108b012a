"""HttpSession: one httpx client on the check's deadline, with a byte counter and policed redirects.

Redirects are followed here rather than by httpx so that each hop is counted against
``max_redirects``, loops are named as loops, and a redirect to a non-http(s) URL is refused.
Every request gets httpx timeouts cut to the time left, its sockets are bounded by the same deadline
(``network.BoundedBackend``), and bodies are always streamed and read through ``iter_body``, which
counts the bytes and stops when the deadline passes. Running out of time is a FetchProblem with the
outcome "timeout", whichever step it hit.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import httpx

from vidlint.remote.deadline import Deadline
from vidlint.remote.guard import make_transport
from vidlint.remote.options import RemoteOptions
from vidlint.remote.problems import FetchProblem, from_exception


class HttpSession:
    def __init__(self, options: RemoteOptions, deadline: Deadline | None = None) -> None:
        """A session for one check; ``deadline`` defaults to ``options.timeout_s`` from now."""
        self.options = options
        self.deadline = deadline or Deadline.start(options.timeout_s)
        self.bytes_transferred = 0
        self.requests = 0
        self.final_url: str | None = None
        transport = options.transport or make_transport(
            block_private=options.block_private, verify=options.verify_tls, deadline=self.deadline
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
        """Seconds left of the check's budget; raises the "timeout" FetchProblem once it is spent."""
        left = self.deadline.remaining()
        if left <= 0:
            raise self.deadline.problem()
        return left

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
        """Yield at most ``limit`` body bytes of ``response``, counted, within the time budget.

        Chunks come as the network gives them (no buffering up to a size), and each socket read
        waits at most for what is left: a trickling server ends the loop at the deadline.
        """
        left = limit
        if left <= 0:
            return
        try:
            for chunk in response.iter_raw():
                piece = chunk[:left]
                self.bytes_transferred += len(piece)
                left -= len(piece)
                yield piece
                if left <= 0:
                    return
                self.deadline.check()  # also for an injected transport, which has no bounded sockets
        except httpx.HTTPError as exc:
            raise self._problem(exc) from exc

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
            raise self._problem(exc) from exc

    def _problem(self, exc: BaseException) -> FetchProblem:
        """A timeout at the deadline is the budget's; any other failure says what broke."""
        if isinstance(exc, httpx.TimeoutException) and self.deadline.expired:
            return self.deadline.problem()
        return from_exception(exc)

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
