"""A threaded HTTP/1.1 server on 127.0.0.1 for one App, with a request log, faults and rate limits.

The standard library's server is enough here and gives what a fake provider needs most: full control
of the socket, so a fault can drop a connection before or after the work is done.

Control endpoints (never logged, never faulted) let a test in another process steer it:
``GET /_sandbox/health``, ``GET /_sandbox/requests``, ``GET /_sandbox/state``,
``POST /_sandbox/faults`` (a Fault as JSON), ``DELETE /_sandbox/faults``, ``POST /_sandbox/reset``.
"""

from __future__ import annotations

import contextlib
import logging
import math
import socket
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

from pydantic import ValidationError

from vidlint.clients.redact import redact_text
from vidlint.sandbox.core import App, HttpError, Request, Response, Window, json_response
from vidlint.sandbox.faults import Fault, FaultScript
from vidlint.sandbox.serving import ThreadedServer

log = logging.getLogger(__name__)
_SECRET_HEADERS = ("authorization", "wm_sec.auth_signature")
_SPOOL_BYTES = 1 << 20
MAX_BODY_BYTES = 600_000_000


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]  # lower-cased names; credential values masked
    body_bytes: int
    at: float  # wall-clock time


class SandboxServer(ThreadedServer):
    """``with SandboxServer(app) as server: ...`` serves ``app`` at ``server.url`` until the block ends."""

    def __init__(self, app: App, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.faults = FaultScript()
        self._log: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._windows = {name: Window(c, s, app.clock) for name, (c, s) in app.rate_limits().items()}
        super().__init__(_handler_for(self), host, port)

    def stop(self) -> None:
        super().stop()
        self.app.close()

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._log)

    def clear_requests(self) -> None:
        with self._lock:
            self._log.clear()

    def reset(self) -> None:
        self.clear_requests()
        self.faults.clear()
        with self._lock:
            self._windows = {n: Window(c, s, self.app.clock) for n, (c, s) in self.app.rate_limits().items()}
        self.app.reset()

    def record(self, request: Request, size: int) -> None:
        headers = {k: ("***" if k in _SECRET_HEADERS else v) for k, v in request.headers.items()}
        query = "&".join(f"{k}={v}" for k, vs in request.query.items() for v in vs)
        entry = RecordedRequest(request.method, request.path, query, headers, size, time.time())
        with self._lock:
            self._log.append(entry)

    def dispatch(self, request: Request) -> Response:
        """The app's answer: the matching route, after its rate window."""
        for route in self.app.routes():
            params = route.match(request.method, request.path)
            if params is None:
                continue
            if route.limit is not None:
                refused = self._take(route.limit)
                if refused is not None:
                    return refused
            request.params = params
            try:
                return route.handler(request)
            except HttpError as err:
                return err.response
        return json_response({"message": f"no route for {request.method} {request.path}"}, 404)

    def _take(self, name: str) -> Response | None:
        with self._lock:
            window = self._windows.get(name)
            wait = window.take() if window is not None else None
        if wait is None:
            return None
        retry_after = f"{math.ceil(wait)}" if wait >= 1 else f"{wait:.3f}"
        body = {"message": f"rate limit of {name} exceeded", "retryAfterSeconds": wait}
        return json_response(body, 429, {"Retry-After": retry_after})

    def control(self, request: Request) -> Response:
        action = (request.method, request.path.removeprefix("/_sandbox/"))
        if action == ("GET", "health"):
            return json_response({"provider": self.app.name, "ok": True})
        if action == ("GET", "requests"):
            return json_response([asdict(r) for r in self.requests])
        if action == ("GET", "state"):
            return json_response(self.app.state())
        if action == ("POST", "reset"):
            self.reset()
            return json_response({"reset": True})
        if action == ("DELETE", "faults"):
            self.faults.clear()
            return Response(204)
        if action == ("POST", "faults"):
            try:
                fault = Fault.model_validate(request.json())
            except ValidationError as exc:
                return json_response({"message": str(exc.errors(include_input=False))}, 400)
            self.faults.add(fault)
            return json_response(fault.model_dump(), 201)
        return json_response({"message": "unknown control endpoint"}, 404)


def _handler_for(sandbox: SandboxServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        pass

    Handler.sandbox = sandbox
    return Handler


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "vidlint-sandbox/1"
    timeout = 10  # idle keep-alive connections end instead of holding a thread forever
    sandbox: SandboxServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle's algorithm meets the
        # client's delayed ACK and every keep-alive answer stalls for ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines carry signed query strings: logged redacted, like the clients' own.
        log.debug("%s %s", self.sandbox.app.name, redact_text(format % args))

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def _serve(self) -> None:
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
            try:
                size = self._read_body(spool)
                if size is not None:
                    self._answer(self._request(spool), size)
            except OSError as exc:  # the client went away mid-request
                log.debug("%s: connection lost: %s", self.sandbox.app.name, exc)
                self.close_connection = True

    def _request(self, spool: IO[bytes]) -> Request:
        split = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        query = parse_qs(split.query, keep_blank_values=True)
        return Request(self.command, split.path, query, headers, spool, self.sandbox.url)

    def _answer(self, request: Request, size: int) -> None:
        if request.path.startswith("/_sandbox/"):
            self._write(self.sandbox.control(request))
            return
        self.sandbox.record(request, size)
        fault = self.sandbox.faults.take(request.method, request.path)
        if fault is not None and fault.kind in ("status", "drop"):
            self._drop() if fault.kind == "drop" else self._write(_fault_response(fault))
            return
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay_s)
        response = self._dispatch(request)
        if fault is not None and fault.kind == "drop_after":
            self._drop()
            return
        self._write(response)

    def _dispatch(self, request: Request) -> Response:
        try:
            return self.sandbox.dispatch(request)
        except Exception as exc:  # a bug in an app answers 500 instead of killing the connection
            log.exception("%s: handler failed", self.sandbox.app.name)
            return json_response({"message": f"sandbox error: {type(exc).__name__}"}, 500)

    def _read_body(self, spool: IO[bytes]) -> int | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked(spool)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES:
            self._write(json_response({"message": "bad or too large Content-Length"}, 413))
            self.close_connection = True
            return None
        left = length
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 16))
            if not chunk:
                raise ConnectionResetError("body shorter than Content-Length")
            spool.write(chunk)
            left -= len(chunk)
        return length

    def _read_chunked(self, spool: IO[bytes]) -> int:
        total = 0
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline().strip():  # trailers
                    pass
                return total
            spool.write(self.rfile.read(size))
            self.rfile.readline()
            total += size

    def _write(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def _fault_response(fault: Fault) -> Response:
    headers = {} if fault.retry_after_s is None else {"Retry-After": f"{fault.retry_after_s:g}"}
    return json_response({"message": f"sandbox fault: HTTP {fault.status}"}, fault.status, headers)
