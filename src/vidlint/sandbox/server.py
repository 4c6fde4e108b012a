"""A threaded HTTP/1.1 server on 127.0.0.1 for one App, with a request log, faults and rate limits.

The standard library's server is enough here and gives what a fake provider needs most: full control
of the socket, so a fault can drop a connection before or after the work is done.

Each request goes: head (request line and headers) -> route -> the route's ``auth`` -> body -> log ->
fault -> rate window -> handler. Authentication looks at the head only: a refused caller gets its answer
before a byte of its body is read, and the connection is closed after it (what the client was still
sending is discarded, never stored); so does a request with a body for a path no route serves (404).
A body, declared by Content-Length or chunked, is capped by the app's ``max_body_bytes`` (413 at once,
or as soon as the chunks pass the cap); malformed framing (a bad chunk size, a chunk not followed by
CRLF, an overlong line) is answered 400 with a one-line body.

Control endpoints (never logged, never faulted) let a test in another process steer it:
``GET /_sandbox/health``, ``GET /_sandbox/requests``, ``GET /_sandbox/state``,
``POST /_sandbox/faults`` (a Fault as JSON), ``DELETE /_sandbox/faults``, ``POST /_sandbox/reset``.
The request log masks credentials: the values of credential-like headers (Authorization, signatures,
API keys, cookies) and query parameters (``sig=``, ``token=``, ...).
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import socket
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

from pydantic import ValidationError

from vidlint.clients.redact import REDACTED, redact_text, secret_header, sensitive_name
from vidlint.sandbox.core import (
    MAX_BODY_BYTES,
    App,
    HttpError,
    Request,
    Response,
    Route,
    Window,
    json_response,
)
from vidlint.sandbox.faults import Fault, FaultScript
from vidlint.sandbox.serving import ThreadedServer

__all__ = ["MAX_BODY_BYTES", "RecordedRequest", "SandboxServer"]

log = logging.getLogger(__name__)
_SPOOL_BYTES = 1 << 20
CONTROL_BODY_BYTES = 1 << 20  # the control endpoints take small JSON bodies
_LINE_BYTES = 4096  # a chunk-size or trailer line
_MAX_TRAILERS = 64
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")
_LINGER_BYTES = 1 << 20  # after an early answer: at most this much of the rest is discarded...
_LINGER_S = 1.0  # ...for at most this long, so the client reads the answer instead of a reset


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: str  # credential-like parameters' values masked
    headers: dict[str, str]  # lower-cased names; credential values masked
    body_bytes: int  # 0 when the body was never read (a refused caller)
    at: float  # wall-clock time


class _Refused(Exception):
    """Answer ``response`` now and close the connection: the rest of the request is not read."""

    def __init__(self, response: Response) -> None:
        super().__init__(f"HTTP {response.status}")
        self.response = response


def _bad_request(message: str) -> _Refused:
    return _Refused(json_response({"message": message}, 400))


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
    def max_body_bytes(self) -> int:
        return int(getattr(self.app.settings, "max_body_bytes", MAX_BODY_BYTES))

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
        headers = {k: (REDACTED if secret_header(k) else v) for k, v in request.headers.items()}
        query = "&".join(
            f"{k}={REDACTED if sensitive_name(k) else v}" for k, vs in request.query.items() for v in vs
        )
        entry = RecordedRequest(request.method, request.path, query, headers, size, time.time())
        with self._lock:
            self._log.append(entry)

    def route_for(self, request: Request) -> Route | None:
        """The app's route for this method and path (its named groups put in ``request.params``)."""
        for route in self.app.routes():
            params = route.match(request.method, request.path)
            if params is not None:
                request.params = params
                return route
        return None

    def authenticate(self, route: Route | None, request: Request) -> Response | None:
        """The route's refusal of this request's head, None when it may go on."""
        if route is None or route.auth is None:
            return None
        try:
            route.auth(request)
        except HttpError as err:
            return err.response
        return None

    def dispatch(self, request: Request) -> Response:
        """The app's answer, in process: the matching route, its authentication, its rate window."""
        route = self.route_for(request)
        refused = self.authenticate(route, request)
        return refused if refused is not None else self.respond(route, request)

    def respond(self, route: Route | None, request: Request) -> Response:
        """The answer of an authenticated request: after the route's rate window, its handler's."""
        if route is None:
            return json_response({"message": f"no route for {request.method} {request.path}"}, 404)
        if route.limit is not None:
            refused = self._take(route.limit)
            if refused is not None:
                return refused
        try:
            return route.handler(request)
        except HttpError as err:
            return err.response

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
            return self._add_fault(request)
        return json_response({"message": "unknown control endpoint"}, 404)

    def _add_fault(self, request: Request) -> Response:
        try:
            fault = Fault.model_validate(request.json())
            self.faults.add(fault)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'fault'}: {e['msg']}"
                for e in exc.errors(include_input=False)
            )
            return json_response({"message": " ".join(problems.split())}, 400)
        except ValueError as exc:
            return json_response({"message": " ".join(str(exc).split())}, 400)
        return json_response(fault.model_dump(), 201)


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
    _expects_continue = False  # the client waits for "100 Continue" before it sends the body

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle's algorithm meets the
        # client's delayed ACK and every keep-alive answer stalls for ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines carry signed query strings: logged redacted, like the clients' own.
        log.debug("%s %s", self.sandbox.app.name, redact_text(format % args))

    def handle_expect_100(self) -> bool:
        # http.server would answer "100 Continue" at once; it is sent only once the body is wanted.
        self._expects_continue = True
        return True

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def _serve(self) -> None:
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
            try:
                self._handle(spool)
            except _Refused as refused:
                self._refuse(refused.response)
            except OSError as exc:  # the client went away mid-request
                log.debug("%s: connection lost: %s", self.sandbox.app.name, exc)
                self.close_connection = True
            except Exception as exc:  # a bug here: logged, answered 500, never a traceback on stderr
                log.exception("%s: request failed", self.sandbox.app.name)
                self._refuse(json_response({"message": f"sandbox error: {type(exc).__name__}"}, 500))
            finally:
                self._expects_continue = False

    def _handle(self, spool: IO[bytes]) -> None:
        sandbox = self.sandbox
        request = self._request(spool)
        if request.path.startswith("/_sandbox/"):
            self._read_body(spool, CONTROL_BODY_BYTES)
            self._write(sandbox.control(request))
            return
        route = sandbox.route_for(request)
        refused = sandbox.authenticate(route, request)  # on the head alone: no body has been read
        if refused is None and route is None and self._has_body():
            refused = sandbox.respond(None, request)  # a 404 needs none of the body either
        if refused is not None:
            sandbox.record(request, 0)
            raise _Refused(refused)
        size = self._read_body(spool, sandbox.max_body_bytes)
        sandbox.record(request, size)
        fault = sandbox.faults.take(request.method, request.path)
        if fault is not None and fault.kind in ("status", "drop"):
            self._drop() if fault.kind == "drop" else self._write(_fault_response(fault))
            return
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay_s)
        response = self._respond(route, request)
        if fault is not None and fault.kind == "drop_after":
            self._drop()
            return
        self._write(response)

    def _request(self, spool: IO[bytes]) -> Request:
        try:
            split = urlsplit(self.path)
        except ValueError:
            raise _bad_request("malformed request target") from None
        headers = {k.lower(): v for k, v in self.headers.items()}
        query = parse_qs(split.query, keep_blank_values=True)
        return Request(self.command, split.path, query, headers, spool, self.sandbox.url)

    def _respond(self, route: Route | None, request: Request) -> Response:
        try:
            return self.sandbox.respond(route, request)
        except Exception as exc:  # a bug in an app answers 500 instead of killing the connection
            log.exception("%s: handler failed", self.sandbox.app.name)
            return json_response({"message": f"sandbox error: {type(exc).__name__}"}, 500)

    # -- reading the body --------------------------------------------------------------------------
    def _read_body(self, spool: IO[bytes], limit: int) -> int:
        """The body into ``spool``, at most ``limit`` bytes; _Refused for bad framing or a larger body."""
        coding = self.headers.get("Transfer-Encoding")
        if coding is not None:
            if coding.split(",")[-1].strip().lower() != "chunked":
                raise _bad_request("unsupported Transfer-Encoding")
            self._continue()
            return self._read_chunked(spool, limit)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > limit:
            raise _Refused(json_response({"message": "bad or too large Content-Length"}, 413))
        if length:
            self._continue()
        self._copy(spool, length)
        return length

    def _has_body(self) -> bool:
        return "Transfer-Encoding" in self.headers or self.headers.get("Content-Length", "0").strip() != "0"

    def _continue(self) -> None:
        if self._expects_continue:
            self._expects_continue = False
            self.send_response_only(100)
            self.end_headers()

    def _read_chunked(self, spool: IO[bytes], limit: int) -> int:
        total = 0
        while True:
            size_text = self._line().split(b";", 1)[0].strip()
            if not _CHUNK_SIZE.fullmatch(size_text):
                raise _bad_request("malformed chunked body: bad chunk size")
            size = int(size_text, 16)
            if size == 0:
                break
            if total + size > limit:
                raise _Refused(json_response({"message": "chunked body too large"}, 413))
            self._copy(spool, size)
            total += size
            if self._line().strip():
                raise _bad_request("malformed chunked body: chunk data not followed by CRLF")
        for _ in range(_MAX_TRAILERS):
            if not self._line().strip():
                return total
        raise _bad_request("malformed chunked body: too many trailer lines")

    def _line(self) -> bytes:
        line = self.rfile.readline(_LINE_BYTES + 1)
        if not line.endswith(b"\n"):
            if len(line) > _LINE_BYTES:
                raise _bad_request("malformed chunked body: line too long")
            raise ConnectionResetError("the connection closed inside a chunked body")
        return line

    def _copy(self, spool: IO[bytes], length: int) -> None:
        left = length
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 16))
            if not chunk:
                raise ConnectionResetError("body shorter than declared")
            spool.write(chunk)
            left -= len(chunk)

    # -- answering ---------------------------------------------------------------------------------
    def _write(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body)

    def _refuse(self, response: Response) -> None:
        """Answer before (the rest of) the body was read, then close: the unread bytes cannot be
        told apart from a next request."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self._write(Response(response.status, response.body, {**response.headers, "Connection": "close"}))
            self._linger()

    def _linger(self) -> None:
        """Half-close, then discard what the client is still sending for a moment: closing with unread
        bytes would send a reset, and the client might lose the answer with it."""
        self.connection.shutdown(socket.SHUT_WR)
        deadline, left = time.monotonic() + _LINGER_S, _LINGER_BYTES
        while left > 0 and (remaining := deadline - time.monotonic()) > 0:
            self.connection.settimeout(remaining)
            data = self.connection.recv(min(left, 1 << 16))
            if not data:
                return
            left -= len(data)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def _fault_response(fault: Fault) -> Response:
    headers = {} if fault.retry_after_s is None else {"Retry-After": f"{fault.retry_after_s:g}"}
    return json_response({"message": f"sandbox fault: HTTP {fault.status}"}, fault.status, headers)
