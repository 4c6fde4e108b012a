"""HostileServer: a raw-socket HTTP server on 127.0.0.1 that misbehaves on purpose, for time-budget tests.

For vidlint's tests only (not part of the library). Real sockets, port 0, one daemon thread per
connection; nothing leaves the machine. ``LocalFileServer`` speaks correct HTTP through
``http.server``; this one writes bytes by hand so it can stop in the middle of a status line, a
header or a body. Each connection answers one request and closes (no keep-alive), so every hop of a
redirect is a new connection.

Routes (the first path segment; HEAD and GET):
    /trickle-headers/...    the status line, then header bytes one per ``interval_s``, never ending
    /trickle-body/...       HEAD: 200 with Content-Length at once. GET: 206 (or 200 without a Range
                            header) with Content-Range/Content-Length at once, then the body one byte
                            per ``interval_s``
    /silent/...             reads the request and never answers (the connection stays open)
    /redirect-forever/<n>   302 to /redirect-forever/<n+1> at once: a new URL every hop, never a loop
    /redirect-slowly/<n>    the same, each 302 after ``hop_delay_s``
    /huge-headers/...       200, then header lines as fast as the client takes them, never ending
    /oembed-trickle/...     200 application/json with a Content-Length, the body one byte per ``interval_s``
    anything else           404

``stop()`` (or leaving the ``with`` block) ends every connection at once.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from urllib.parse import urlsplit

DECLARED_SIZE = 50_000_000  # what /trickle-body says the file holds
_MAX_REQUEST = 64 * 1024
Span = tuple[int, int]  # first and last byte of a range


class HostileServer:
    """Serve the hostile routes on 127.0.0.1 (port 0) from daemon threads; use as a context manager."""

    def __init__(self, *, interval_s: float = 1.0, hop_delay_s: float = 0.3) -> None:
        self.interval_s = interval_s
        self.hop_delay_s = hop_delay_s
        self.stopping = threading.Event()
        self.requests: list[tuple[str, str]] = []  # (method, path), in arrival order
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.05)
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host!s}:{port}"

    def url(self, route: str) -> str:
        return f"{self.base_url}/{route.lstrip('/')}"

    def stop(self) -> None:
        self.stopping.set()
        self._thread.join(timeout=5)
        self._listener.close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    # connections --------------------------------------------------------------------------------
    def _accept_loop(self) -> None:
        while not self.stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._connections.add(connection)
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        try:
            with contextlib.suppress(OSError):  # the client went away: that is how most cases end
                request = self._read_request(connection)
                if request is not None:
                    method, target, wanted = request
                    with self._lock:
                        self.requests.append((method, target))
                    self._answer(connection, method, target, wanted)
        finally:
            with self._lock:
                self._connections.discard(connection)
            connection.close()

    def _read_request(self, connection: socket.socket) -> tuple[str, str, Span | None] | None:
        """The method, target and byte range of the request, or None when it never came."""
        connection.settimeout(5.0)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(4096)
            if not chunk or len(data) > _MAX_REQUEST:
                return None
            data += chunk
        connection.settimeout(None)
        request_line = data.split(b"\r\n", 1)[0].decode("latin-1")
        method, target, *_ = [*request_line.split(" "), "", ""]
        return method, target, _range_of(data)

    def _answer(self, connection: socket.socket, method: str, target: str, wanted: Span | None) -> None:
        path = urlsplit(target).path
        first, _, rest = path.lstrip("/").partition("/")
        if first == "trickle-headers":
            connection.sendall(b"HTTP/1.1 200 OK\r\n")
            self._trickle(connection, b"X-Slow: " + b"a" * 10_000_000)
        elif first == "trickle-body":
            self._trickle_body(connection, method, wanted)
        elif first == "silent":
            self.stopping.wait()
        elif first in ("redirect-forever", "redirect-slowly"):
            if first == "redirect-slowly" and self.stopping.wait(self.hop_delay_s):
                return
            hop = int(rest) + 1 if rest.isdigit() else 1
            self._send_head(connection, 302, {"Location": f"/{first}/{hop}", "Content-Length": "0"})
        elif first == "huge-headers":
            connection.sendall(b"HTTP/1.1 200 OK\r\n")
            line = b"X-Filler: " + b"b" * 1000 + b"\r\n"
            while not self.stopping.is_set():
                connection.sendall(line * 64)
        elif first == "oembed-trickle":
            body = b'{"type": "video", "version": "1.0", "title": "' + b"t" * 1000 + b'"}'
            self._send_head(
                connection, 200, {"Content-Type": "application/json", "Content-Length": str(len(body))}
            )
            if method != "HEAD":
                self._trickle(connection, body)
        else:
            self._send_head(connection, 404, {"Content-Length": "0"})

    def _trickle_body(self, connection: socket.socket, method: str, wanted: Span | None) -> None:
        if method == "HEAD":
            self._send_head(connection, 200, {"Content-Length": str(DECLARED_SIZE), "Accept-Ranges": "bytes"})
            return
        headers = {"Content-Type": "video/mp4", "Accept-Ranges": "bytes"}
        if wanted is None:
            status, length = 200, DECLARED_SIZE
        else:
            first, last = wanted
            status, length = 206, last - first + 1
            headers["Content-Range"] = f"bytes {first}-{last}/{DECLARED_SIZE}"
        headers["Content-Length"] = str(length)
        self._send_head(connection, status, headers)
        self._trickle(connection, b"\0" * min(length, 1_000_000))

    def _trickle(self, connection: socket.socket, data: bytes) -> None:
        """``data`` one byte at a time, one every ``interval_s`` (the first at once), until stopped."""
        for index in range(len(data)):
            connection.sendall(data[index : index + 1])
            if self.stopping.wait(self.interval_s):
                return

    @staticmethod
    def _send_head(connection: socket.socket, status: int, headers: dict[str, str]) -> None:
        reason = {200: "OK", 206: "Partial Content", 302: "Found", 404: "Not Found"}.get(status, "Status")
        lines = [
            f"HTTP/1.1 {status} {reason}",
            *(f"{k}: {v}" for k, v in headers.items()),
            "Connection: close",
        ]
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))


def _range_of(request: bytes) -> Span | None:
    """``(first, last)`` of the request's ``Range: bytes=...`` header within DECLARED_SIZE, or None."""
    for line in request.split(b"\r\n")[1:]:
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() != "range":
            continue
        first, _, last = value.strip().removeprefix("bytes=").partition("-")
        if not first:  # a suffix range: the last n bytes
            return max(DECLARED_SIZE - int(last or 1), 0), DECLARED_SIZE - 1
        return int(first), min(int(last), DECLARED_SIZE - 1) if last else DECLARED_SIZE - 1
    return None
