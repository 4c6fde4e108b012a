"""LocalFileServer: an HTTP/1.1 file server on 127.0.0.1 with Range support and fault routes.

For vidlint's tests and benchmarks only (not part of the library): the CLI and the API check
``http://127.0.0.1:.../files/...`` sources against it. Port 0, a daemon thread, nothing leaves
the machine. Every answer is logged with the body bytes actually written, so tests can assert
what a client transferred from the server's side. ``rate_bytes_per_s`` and ``latency_s`` make it
behave like a remote server (a bandwidth, and a delay before each answer) for benchmarks.

Routes (GET and HEAD):
    /files/<path>           the file under root; one byte range (a-b, a-, -n) answered 206 or 416
    /norange/<path>         the same file with Range ignored (always 200, no Accept-Ranges)
    /chunked/<path>         the same file in chunked encoding: no Content-Length, Range ignored
    /nohead/<path>          the same file, but HEAD is refused with 403 (as S3 does for a GET-signed URL)
    /status/<code>          an empty answer with that status
    /slow/<ms>/<route>      waits <ms> milliseconds before answering <route>
    /drip/<path>            headers at once, then 1 KiB every 50 ms (20 KiB/s)
    /reset/<path>           promises the whole range, sends half of it, then resets the connection
    /lying/<path>           declares 1 MiB more than the file holds, sends what there is, closes
    /redirect/<n>/<route>   n redirects (302), then <route>
    /loop/a, /loop/b        redirect to each other forever
    /page.html              a small HTML page
    /oembed/<platform>      a fake oEmbed endpoint: ``url`` containing "private" -> 401 (youtube)
                            or 403 (others), "removed" -> 404, "broken" -> 500, else 200 with JSON
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import os
import re
import socket
import struct
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

CHUNK = 64 * 1024
SEND_BUFFER = 64 * 1024  # small, so "bytes written" stays close to what the client really took
LYING_EXTRA = 1024 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@dataclass(frozen=True)
class LogEntry:
    method: str
    path: str
    range: str | None
    status: int
    bytes_sent: int


def parse_range(header: str | None, size: int) -> tuple[int, int] | Literal["unsatisfiable"] | None:
    """The single byte range a Range header asks of a ``size``-byte file; None means "send it all"."""
    match = _RANGE.match((header or "").strip())
    if match is None or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":
        wanted = int(last)
        return "unsatisfiable" if wanted == 0 or size == 0 else (max(size - wanted, 0), size - 1)
    start = int(first)
    if start >= size:
        return "unsatisfiable"
    end = min(int(last), size - 1) if last else size - 1
    return None if end < start else (start, end)


def unused_port() -> int:
    """A local port nothing listens on (connections to it are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, rate_bytes_per_s: int | None, latency_s: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root.resolve()
        self.rate_bytes_per_s = rate_bytes_per_s
        self.latency_s = latency_s
        self.stopping = threading.Event()
        self.entries: list[LogEntry] = []
        self.lock = threading.Condition()
        self.active = 0  # answers being written right now

    def begin(self) -> None:
        with self.lock:
            self.active += 1

    def record(self, entry: LogEntry) -> None:
        with self.lock:
            self.entries.append(entry)
            self.active -= 1
            self.lock.notify_all()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 5  # an idle keep-alive connection ends after this
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)

    def handle(self) -> None:
        with contextlib.suppress(OSError):  # the client went away (reset, broken pipe, timeout)
            super().handle()

    def log_message(self, format: str, *args: object) -> None:
        pass  # the server keeps its own log

    def send_response(self, code: int, message: str | None = None) -> None:
        self._status = code
        super().send_response(code, message)

    def do_GET(self) -> None:
        self._dispatch(body=True)

    def do_HEAD(self) -> None:
        self._dispatch(body=False)

    def _dispatch(self, *, body: bool) -> None:
        self._status, self._sent, self._body = 0, 0, body
        self.server.begin()
        parts = urlsplit(self.path)
        try:
            if not self.server.stopping.wait(self.server.latency_s):
                self._route(unquote(parts.path), parts.query)
        finally:
            self.server.record(
                LogEntry(self.command, self.path, self.headers.get("Range"), self._status, self._sent)
            )

    def _route(self, route: str, query: str) -> None:
        first, _, rest = route.lstrip("/").partition("/")
        if first == "files":
            self._file(rest)
        elif first == "norange":
            self._file(rest, ranges=False)
        elif first == "chunked":
            self._chunked(rest)
        elif first == "nohead" and not self._body:
            self._empty(403)
        elif first == "nohead":
            self._file(rest)
        elif first in ("drip", "reset", "lying"):
            self._file(rest, fault=first)
        elif first == "slow":
            self._slow(rest, query)
        elif first == "redirect":
            self._redirect_chain(rest, query)
        elif first == "loop":
            self._redirect("/loop/b" if rest == "a" else "/loop/a")
        elif first == "status":
            self._empty(int(rest) if rest.isdigit() and 200 <= int(rest) <= 599 else 400)
        elif first == "page.html":
            self._bytes(
                200,
                b"<!DOCTYPE html><html><head><title>A page</title></head><body>Hi</body></html>",
                "text/html; charset=utf-8",
            )
        elif first == "oembed":
            self._oembed(rest, query)
        else:
            self._empty(404)

    # answers ------------------------------------------------------------------------------------
    def _empty(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _bytes(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self._body:
            self._write(data)

    def _redirect(self, location: str) -> None:
        self._empty(302, {"Location": location})

    def _redirect_chain(self, rest: str, query: str) -> None:
        hops, _, target = rest.partition("/")
        count = int(hops) if hops.isdigit() else 0
        if count <= 0:
            self._route("/" + target, query)
        else:
            self._redirect(f"/redirect/{count - 1}/{target}" if count > 1 else f"/{target}")

    def _slow(self, rest: str, query: str) -> None:
        delay, _, target = rest.partition("/")
        if self.server.stopping.wait(int(delay) / 1000 if delay.isdigit() else 0):
            self.close_connection = True
            return
        self._route("/" + target, query)

    def _oembed(self, platform: str, query: str) -> None:
        url = parse_qs(query).get("url", [""])[0]
        if "private" in url:
            self._bytes(401 if platform == "youtube" else 403, b"Unauthorized", "text/plain")
        elif "removed" in url:
            self._bytes(404, b"Not Found", "text/plain")
        elif "broken" in url:
            self._bytes(500, b"Internal Server Error", "text/plain")
        else:
            answer = {"type": "video", "version": "1.0", "provider_name": platform, "title": "A public video"}
            self._bytes(200, json.dumps(answer).encode(), "application/json")

    # files --------------------------------------------------------------------------------------
    def _resolve(self, relative: str) -> Path | None:
        path = (self.server.root / relative).resolve()
        if not path.is_relative_to(self.server.root) or not path.is_file():
            return None
        return path

    def _file(self, relative: str, *, ranges: bool = True, fault: str | None = None) -> None:
        path = self._resolve(relative)
        if path is None:
            self._empty(404)
            return
        real = path.stat().st_size
        size = real + (LYING_EXTRA if fault == "lying" else 0)
        span = parse_range(self.headers.get("Range"), size) if ranges else None
        if span == "unsatisfiable":
            self._empty(416, {"Content-Range": f"bytes */{size}"})
            return
        start, end = span if span is not None else (0, size - 1)
        self.send_response(206 if span is not None else 200)
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        self.send_header("Content-Length", str(end - start + 1))
        if ranges:
            self.send_header("Accept-Ranges", "bytes")
        if span is not None:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if self._body:
            self._send_file(path, start, min(end, real - 1), fault)

    def _chunked(self, relative: str) -> None:
        path = self._resolve(relative)
        if path is None:
            self._empty(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if not self._body:
            return
        with path.open("rb") as source:
            while (chunk := source.read(CHUNK)) and not self.server.stopping.is_set():
                self.wfile.write(b"%x\r\n" % len(chunk))
                self._write(chunk)
                self.wfile.write(b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def _send_file(self, path: Path, start: int, end: int, fault: str | None) -> None:
        stop_at = start + (end - start + 1) // 2 if fault == "reset" else end + 1
        with path.open("rb") as source:
            source.seek(start)
            position = start
            while position < stop_at and not self.server.stopping.is_set():
                chunk = source.read(min(1024 if fault == "drip" else CHUNK, stop_at - position))
                if not chunk:
                    break
                self._write(chunk)
                position += len(chunk)
                if fault == "drip":
                    self.server.stopping.wait(0.05)
        if fault == "reset":
            self._reset()
        elif fault == "lying":
            self.close_connection = True

    def _write(self, data: bytes) -> None:
        if self.server.rate_bytes_per_s:
            self.server.stopping.wait(len(data) / self.server.rate_bytes_per_s)
        self.wfile.write(data)
        self._sent += len(data)

    def _reset(self) -> None:
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


class LocalFileServer:
    """Serve ``root`` on 127.0.0.1 (port 0) in a daemon thread; use as a context manager."""

    def __init__(
        self, root: str | os.PathLike[str], *, rate_bytes_per_s: int | None = None, latency_s: float = 0.0
    ) -> None:
        self._server = _Server(Path(root), rate_bytes_per_s, latency_s)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> LocalFileServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, route: str) -> str:
        return f"{self.base_url}/{route.lstrip('/')}"

    def log(self, settle_s: float = 5.0) -> list[LogEntry]:
        """Every answer so far, once the answers still being written have finished (or ``settle_s`` passed).

        A client that stops reading early (a byte cap) leaves the server writing until the socket
        breaks: waiting makes ``bytes_sent`` final.
        """
        with self._server.lock:
            self._server.lock.wait_for(lambda: self._server.active == 0, timeout=settle_s)
            return list(self._server.entries)

    def clear_log(self, settle_s: float = 5.0) -> None:
        """Forget the answers so far, once those still being written have finished."""
        with self._server.lock:
            self._server.lock.wait_for(lambda: self._server.active == 0, timeout=settle_s)
            self._server.entries.clear()

    def bytes_sent(self) -> int:
        return sum(entry.bytes_sent for entry in self.log())
