"""The socket layer of a URL check: every connect, handshake, read and write within the check's Deadline.

httpx's timeouts are per operation: its read timeout starts again with every chunk, so a server that
sends one byte a second never trips it. Here every socket operation may wait at most for what is
left of the check's deadline, so the total cannot grow past it, whatever the server does (the TLS
handshake and a TLS record are one operation each: Python bounds them as a whole). Host names are
resolved in a helper thread, because ``getaddrinfo`` takes no timeout: a stuck resolver costs the
check its budget, not a hang (the thread is left to finish on its own).

An optional ``allow`` policy sees every resolved address before anything connects, and the socket
connects only to those addresses (guard.py uses it to refuse private addresses server-side).
"""

from __future__ import annotations

import ipaddress
import os
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from vidlint.remote.deadline import Deadline

Allow = Callable[[str, Sequence[str]], None]  # (host, its addresses); raises to refuse
_Timeout = type[httpcore.TimeoutException]


def resolve(host: str, port: int, timeout: float | None) -> list[str]:
    """The addresses of ``host`` (just ``host`` when it is an IP address), within ``timeout`` seconds.

    Raises httpcore.ConnectTimeout when the resolver takes longer, httpcore.ConnectError when it fails.
    """
    try:
        ipaddress.ip_address(host)
        return [host]
    except ValueError:
        pass
    if timeout is not None and timeout <= 0:
        raise httpcore.ConnectTimeout(f"no time left to resolve {host!r}")
    answer: list[list[Any] | OSError] = []
    done = threading.Event()

    def lookup() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:  # socket.gaierror, and what else a resolver may raise
            answer.append(exc)
        finally:
            done.set()

    threading.Thread(target=lookup, name=f"vidlint-resolve-{host}", daemon=True).start()
    if not done.wait(timeout):
        raise httpcore.ConnectTimeout(f"resolving {host!r} took longer than {timeout:g} s")
    result = answer[0]
    if isinstance(result, OSError):
        raise httpcore.ConnectError(f"cannot resolve {host!r}: {result.strerror or result}") from result
    return list(dict.fromkeys(str(info[4][0]) for info in result))


def _left(deadline: Deadline | None, timeout: float | None, kind: _Timeout) -> float | None:
    """``timeout`` cut to what is left of ``deadline``; raises ``kind`` once nothing is left."""
    if deadline is None:
        return timeout
    left = deadline.bound(timeout)
    if left <= 0:
        raise kind(f"the {deadline.budget_s:g} s time budget is spent")
    return left


class BoundedStream(httpcore.NetworkStream):
    """A connected stream whose every operation ends by the deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: Deadline | None) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _left(self._deadline, timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(self._deadline, timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        left = _left(self._deadline, timeout, httpcore.ConnectTimeout)
        return BoundedStream(self._stream.start_tls(ssl_context, server_hostname, left), self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class BoundedBackend(httpcore.NetworkBackend):
    """httpcore's sync backend with every step bounded by ``deadline`` (None: httpx's timeouts only)
    and every resolved address shown to ``allow`` before connecting."""

    def __init__(self, deadline: Deadline | None = None, *, allow: Allow | None = None) -> None:
        self._deadline = deadline
        self._allow = allow
        self._sync = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        # One clock for the whole step (resolving, then each address in turn): the connect timeout
        # httpx gives, cut to the deadline.
        step = self._step(timeout)
        addresses = resolve(host, port, _left(step, None, httpcore.ConnectTimeout))
        if self._allow is not None:
            self._allow(host, addresses)
        error: httpcore.ConnectError | None = None
        for address in addresses:  # as socket.create_connection does: the first that answers
            left = _left(step, None, httpcore.ConnectTimeout)
            try:
                stream = self._sync.connect_tcp(address, port, left, local_address, socket_options)
            except httpcore.ConnectError as exc:
                error = exc
                continue
            return BoundedStream(stream, self._deadline)
        raise error or httpcore.ConnectError(f"no address for {host!r}")

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        left = _left(self._deadline, timeout, httpcore.ConnectTimeout)
        return BoundedStream(self._sync.connect_unix_socket(path, left, socket_options), self._deadline)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds if self._deadline is None else self._deadline.bound(seconds))

    def _step(self, timeout: float | None) -> Deadline | None:
        if timeout is None:
            return self._deadline
        if self._deadline is None:
            return Deadline.start(timeout)
        return self._deadline.within(timeout)


def env_proxy(url: str) -> str | None:
    """The HTTP(S) proxy the environment sets for ``url`` (``HTTPS_PROXY``, ``ALL_PROXY``, ...,
    minus ``NO_PROXY``), as httpx reads them; None for a direct connection."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def ssl_context(verify: bool, trust_env: bool) -> Any:
    """httpx's SSL context (SSL_CERT_FILE / SSL_CERT_DIR when trusted), made once per process for each
    setting: loading the CA bundle costs ~17 ms of CPU, two thirds of a whole URL check (a catalog run
    checks thousands). A context is safe to share between connections; it holds no per-connection state."""
    key = (verify, trust_env, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
    if key not in _SSL_CONTEXTS:
        _SSL_CONTEXTS[key] = httpx.create_ssl_context(verify=verify, trust_env=trust_env)
    return _SSL_CONTEXTS[key]


_SSL_CONTEXTS: dict[tuple[object, ...], Any] = {}


class BoundedTransport(httpx.HTTPTransport):
    """httpx's own transport with its pool on a BoundedBackend: direct connections, or all through
    one HTTP(S) ``proxy`` (the proxy's socket is bounded the same way)."""

    def __init__(
        self,
        *,
        verify: bool = True,
        deadline: Deadline | None = None,
        allow: Allow | None = None,
        trust_env: bool = True,
        proxy: str | None = None,
    ) -> None:
        context = ssl_context(verify, trust_env)
        super().__init__(verify=context, trust_env=trust_env)
        backend = BoundedBackend(deadline, allow=allow)
        if proxy is None:
            self._pool = httpcore.ConnectionPool(ssl_context=context, network_backend=backend)
            return
        via = httpx.Proxy(url=proxy)
        if via.url.scheme not in ("http", "https"):
            raise ValueError(f"only HTTP(S) proxies can be bounded, not {via.url.scheme!r}")
        self._pool = httpcore.HTTPProxy(
            proxy_url=httpcore.URL(
                scheme=via.url.raw_scheme, host=via.url.raw_host, port=via.url.port, target=via.url.raw_path
            ),
            proxy_auth=via.raw_auth,
            proxy_headers=via.headers.raw,
            ssl_context=context,
            proxy_ssl_context=via.ssl_context,
            network_backend=backend,
        )
