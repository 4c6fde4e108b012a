"""The server-side address policy: which addresses are refused, and that it refuses before connecting."""

from __future__ import annotations

import ipaddress

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.server import LocalFileServer

from vidlint.remote.guard import GuardedTransport, refused, resolve_allowed
from vidlint.remote.problems import BlockedAddress

REFUSED = [
    "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
    "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.2.1",
    "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "ff02::1",
]  # fmt: skip
ALLOWED = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "2001:4860:4860::8888"]


@pytest.mark.parametrize("address", REFUSED)
def test_refused(address: str) -> None:
    assert refused(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ALLOWED)
def test_allowed(address: str) -> None:
    assert not refused(ipaddress.ip_address(address))


private_v4 = st.sampled_from(
    ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10"]
)


@given(network=private_v4, offset=st.integers(0, 2**24 - 1))
def test_every_private_ipv4_address_is_refused(network: str, offset: int) -> None:
    net = ipaddress.ip_network(network)
    address = net.network_address + offset % net.num_addresses
    assert refused(address)
    assert refused(ipaddress.IPv6Address(f"::ffff:{address}"))


def test_localhost_is_refused_by_name() -> None:
    with pytest.raises(BlockedAddress, match="localhost resolves to"):
        resolve_allowed("localhost", 80)


def test_the_guarded_transport_never_connects(server: LocalFileServer) -> None:
    with httpx.Client(transport=GuardedTransport()) as client, pytest.raises(BlockedAddress):
        client.get(server.url("files/samples/empty.mp4"))
    assert server.log() == []
