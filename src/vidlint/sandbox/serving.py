"""What the sandbox's servers share: a ThreadingHTTPServer on a daemon thread, as a context manager."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from socketserver import BaseRequestHandler
from types import TracebackType
from typing import Any, Self

log = logging.getLogger(__name__)


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up or resets mid-request is ordinary for a fake provider (faults and timeouts
    do it on purpose): logged at DEBUG, not printed as a traceback on stderr. Anything else still is."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            log.debug("client %s went away mid-request", client_address, exc_info=True)
            return
        super().handle_error(request, client_address)


class ThreadedServer:
    """Serves with ``handler`` from ``start()`` (or entering the ``with`` block) until ``stop()``."""

    def __init__(self, handler: Callable[[Any, Any, Any], BaseRequestHandler], host: str, port: int) -> None:
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise ValueError(f"port must be an integer from 0 to 65535 (0 picks a free one), not {port!r}")
        self._httpd = _QuietServer((host, port), handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
