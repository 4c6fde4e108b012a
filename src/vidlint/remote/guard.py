"""The network policy for server-side use: refuse hosts that resolve to non-global addresses.

The check sits in the connection itself (an httpcore network backend): the host is resolved once,
every address is checked, and the socket connects to the address that was checked. So a redirect
to an internal host is refused too, and a DNS answer cannot change between the check and the
connect (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Iterable

import certifi
import httpcore
import httpx

from vidlint.remote.problems import BlockedAddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def refused(ip: IPAddress) -> bool:
    """True for loopback, private, link-local, shared, reserved, multicast and unspecified addresses."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return refused(ip.ipv4_mapped)
    return not ip.is_global or ip.is_multicast


def resolve_allowed(host: str, port: int) -> str:
    """The first address of ``host`` after checking all of them; raises BlockedAddress when one is refused."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"cannot resolve {host!r}: {exc.strerror}") from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    for ip in addresses:
        if refused(ip):
            raise BlockedAddress(f"{host} resolves to {ip}, a private or local address (refused server-side)")
    return str(addresses[0])


class GuardedBackend(httpcore.SyncBackend):
    """A network backend that connects only to addresses ``refused`` accepts."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        address = resolve_allowed(host, port)
        return super().connect_tcp(address, port, timeout, local_address, socket_options)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport, with its connection pool built on GuardedBackend (no proxies)."""

    def __init__(self, *, verify: bool = True) -> None:
        super().__init__(verify=verify, trust_env=False)
        context = ssl.create_default_context(cafile=certifi.where())
        if not verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        self._pool = httpcore.ConnectionPool(ssl_context=context, network_backend=GuardedBackend())


def make_transport(*, block_private: bool, verify: bool) -> httpx.BaseTransport:
    if block_private:
        return GuardedTransport(verify=verify)
    return httpx.HTTPTransport(verify=verify)
