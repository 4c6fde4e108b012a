"""The network policy for server-side use: refuse hosts that resolve to non-global addresses.

The check sits in the connection itself (network.BoundedBackend's ``allow`` hook): the host is
resolved once, every address is checked, and the socket connects only to addresses that were
checked. So a redirect to an internal host is refused too, and a DNS answer cannot change between
the check and the connect (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import httpx

from vidlint.remote.deadline import Deadline
from vidlint.remote.network import BoundedBackend, BoundedTransport, resolve
from vidlint.remote.problems import BlockedAddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def refused(ip: IPAddress) -> bool:
    """True for loopback, private, link-local, shared, reserved, multicast and unspecified addresses."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return refused(ip.ipv4_mapped)
    return not ip.is_global or ip.is_multicast


def check_allowed(host: str, addresses: Sequence[str]) -> None:
    """Raise BlockedAddress when any address ``host`` resolved to is refused."""
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if refused(ip):
            raise BlockedAddress(f"{host} resolves to {ip}, a private or local address (refused server-side)")


def resolve_allowed(host: str, port: int, timeout: float | None = None) -> str:
    """The first address of ``host`` after checking all of them; raises BlockedAddress when one is refused."""
    addresses = resolve(host, port, timeout)
    check_allowed(host, addresses)
    return addresses[0]


class GuardedBackend(BoundedBackend):
    """A network backend that connects only to addresses ``refused`` accepts (within ``deadline``)."""

    def __init__(self, deadline: Deadline | None = None) -> None:
        super().__init__(deadline, allow=check_allowed)


class GuardedTransport(BoundedTransport):
    """httpx's own transport, with its connection pool built on GuardedBackend (no proxies)."""

    def __init__(self, *, verify: bool = True, deadline: Deadline | None = None) -> None:
        super().__init__(verify=verify, deadline=deadline, allow=check_allowed, trust_env=False)


def make_transport(
    *, block_private: bool, verify: bool, deadline: Deadline | None = None
) -> httpx.BaseTransport:
    """The transport of one check: sockets bounded by ``deadline``, private addresses refused if asked."""
    if block_private:
        return GuardedTransport(verify=verify, deadline=deadline)
    return BoundedTransport(verify=verify, deadline=deadline)
