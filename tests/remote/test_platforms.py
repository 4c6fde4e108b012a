"""Video platform links: never downloaded; availability asked of the platform's oEmbed endpoint.

The endpoints are the local server's fake, which answers as the platforms do: 200 with JSON for a
public video, 401 (YouTube) or 403 (Vimeo) for a private one, 404 for a removed one.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from support.server import LocalFileServer, unused_port

from vidlint.remote import DEFAULT_OEMBED_ENDPOINTS, RemoteOptions, fetch_facts

YOUTUBE = "https://www.youtube.com/watch?v={}"
VIMEO = "https://vimeo.com/76979871/{}"


def _options(server: LocalFileServer, **changes: object) -> RemoteOptions:
    endpoints = {name: server.url(f"oembed/{name}") for name in ("youtube", "vimeo")}
    return RemoteOptions(**{"oembed_endpoints": endpoints, "oembed_timeout_s": 1.0, **changes})


@pytest.mark.parametrize(
    ("url", "available", "status"),
    [
        (YOUTUBE.format("publicvideo1"), True, 200),
        (YOUTUBE.format("privatevideo"), False, 401),
        (YOUTUBE.format("removedvideo"), False, 404),
        (YOUTUBE.format("brokenanswer"), None, 500),
        (VIMEO.format("public1"), True, 200),
        (VIMEO.format("private1"), False, 403),
        (VIMEO.format("removed1"), False, 404),
    ],
)
def test_availability_from_oembed(
    server: LocalFileServer, url: str, available: bool | None, status: int
) -> None:
    facts = fetch_facts(url, options=_options(server))
    assert facts.fetch is not None
    fetch = facts.fetch
    assert (fetch.outcome, fetch.link_kind, fetch.platform_available) == ("ok", "platform", available)
    assert facts.kind == "unknown" and facts.fetch.bytes_transferred == 0
    (entry,) = server.log()
    query = parse_qs(urlsplit(entry.path).query)
    assert (entry.status, query["url"], query["format"]) == (status, [url], ["json"])
    assert (facts.fetch.error is None) is (available is True)
    if available is None:
        assert facts.fetch.error is not None and facts.fetch.error.startswith("could not verify")


def test_offline_is_could_not_verify(fast: RemoteOptions) -> None:
    endpoints = {"youtube": f"http://127.0.0.1:{unused_port()}/oembed"}
    options = fast.model_copy(update={"oembed_endpoints": endpoints})
    facts = fetch_facts(YOUTUBE.format("publicvideo1"), options=options)
    assert facts.fetch is not None and facts.fetch.platform_available is None
    assert facts.fetch.error is not None and "could not verify" in facts.fetch.error


def test_a_slow_platform_is_could_not_verify(server: LocalFileServer) -> None:
    options = _options(
        server, oembed_endpoints={"youtube": server.url("slow/3000/oembed/youtube")}, oembed_timeout_s=0.3
    )
    started = time.monotonic()
    facts = fetch_facts(YOUTUBE.format("publicvideo1"), options=options)
    assert time.monotonic() - started < 2.0
    assert facts.fetch is not None and facts.fetch.platform_available is None


@pytest.mark.parametrize(
    ("url", "kind", "platform"),
    [
        ("https://www.tiktok.com/@shop/video/7212345678901234567", "platform", "tiktok"),  # no endpoint
        ("https://www.youtube.com/@somechannel", "page", "youtube"),  # not a video: nothing to ask
    ],
)
def test_links_that_need_no_lookup(server: LocalFileServer, url: str, kind: str, platform: str) -> None:
    facts = fetch_facts(url, options=_options(server))
    assert facts.fetch is not None
    fetch = facts.fetch
    assert (fetch.link_kind, fetch.platform, fetch.platform_available) == (kind, platform, None)
    assert server.log() == []


def test_platform_checks_can_be_turned_off(server: LocalFileServer) -> None:
    facts = fetch_facts(YOUTUBE.format("publicvideo1"), options=_options(server, check_platform=False))
    assert facts.fetch is not None and facts.fetch.platform_available is None
    assert server.log() == []


def test_server_side_options_still_reach_the_configured_endpoints(server: LocalFileServer) -> None:
    """The endpoints are the operator's configuration, not user input: block_private does not apply."""
    options = RemoteOptions.server_side(oembed_endpoints={"youtube": server.url("oembed/youtube")})
    facts = fetch_facts(YOUTUBE.format("publicvideo1"), options=options)
    assert facts.fetch is not None and facts.fetch.platform_available is True


def test_default_endpoints_are_the_platforms_own() -> None:
    assert DEFAULT_OEMBED_ENDPOINTS == {
        "youtube": "https://www.youtube.com/oembed",
        "vimeo": "https://vimeo.com/api/oembed.json",
    }
