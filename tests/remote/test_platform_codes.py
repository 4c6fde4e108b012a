"""Links to video platforms and web pages, against a local fake of the platforms' oEmbed endpoints.

The fake answers as YouTube and Vimeo do: 200 with JSON for a public video, 401 / 403 for a
private one, 404 for a removed one. Platform links are never downloaded.
"""

from __future__ import annotations

import pytest
from support.server import LocalFileServer, unused_port

from vidlint.api import check, check_all
from vidlint.remote import RemoteOptions

YOUTUBE = "https://www.youtube.com/watch?v={}"
VIMEO = "https://vimeo.com/76979871/{}"


@pytest.mark.parametrize(
    ("url", "codes"),
    [
        (YOUTUBE.format("publicvideo1"), set()),
        (YOUTUBE.format("privatevideo"), {"VIDEO_UNAVAILABLE"}),
        (YOUTUBE.format("removedvideo"), {"VIDEO_UNAVAILABLE"}),
        (VIMEO.format("public1"), set()),
        (VIMEO.format("private1"), {"VIDEO_UNAVAILABLE"}),
        (VIMEO.format("removed1"), {"VIDEO_UNAVAILABLE"}),
        (YOUTUBE.format("brokenanswer"), {"VIDEO_NOT_VERIFIED"}),  # the platform answered 500
        ("https://www.tiktok.com/@shop/video/7212345678901234567", {"VIDEO_NOT_SUPPORTED"}),
        ("https://www.youtube.com/@somechannel", {"NOT_VIDEO_URL"}),
    ],
)
def test_ecwid_platform_links(
    server: LocalFileServer, fast: RemoteOptions, url: str, codes: set[str]
) -> None:
    report = check(url, "ecwid", remote=fast)
    assert report.codes() == codes
    assert report.passed is not bool(codes & {"VIDEO_UNAVAILABLE", "VIDEO_NOT_SUPPORTED", "NOT_VIDEO_URL"})
    assert report.facts is not None and report.facts.fetch is not None
    assert report.facts.fetch.bytes_transferred == 0  # never downloaded


def test_unavailable_says_what_the_platform_answered(server: LocalFileServer, fast: RemoteOptions) -> None:
    (finding,) = check(YOUTUBE.format("privatevideo"), "ecwid", remote=fast).findings
    assert (finding.code, finding.documented, finding.severity) == ("VIDEO_UNAVAILABLE", True, "error")
    assert finding.actual is not None and "private" in finding.actual and "401" in finding.actual


def test_offline_is_a_could_not_verify_warning(fast: RemoteOptions) -> None:
    offline = fast.model_copy(update={"oembed_endpoints": {"youtube": f"http://127.0.0.1:{unused_port()}/o"}})
    report = check(YOUTUBE.format("publicvideo1"), "ecwid", remote=offline)
    (finding,) = report.findings
    assert (finding.code, finding.severity, finding.documented) == ("VIDEO_NOT_VERIFIED", "warning", False)
    assert finding.actual is not None and "could not verify" in finding.actual
    assert report.passed  # neither a pass nor a fail: a warning


def test_file_marketplaces_want_a_file_not_a_platform_page(
    server: LocalFileServer, fast: RemoteOptions
) -> None:
    """Trendyol downloads the URL and gets a web page: a format error (likewise Sam's Club, Akinon)."""
    reports = check_all(YOUTUBE.format("publicvideo1"), ["trendyol", "samsclub", "akinon"], remote=fast)
    assert reports["trendyol"].codes() == {"seller.integration.video.format.invalid"}
    assert reports["samsclub"].codes() == {"E_FILE_FORMAT"}
    assert reports["akinon"].codes() == {"video.invalid_extension", "video.invalid_format"}
    (finding,) = reports["trendyol"].findings
    assert finding.actual is not None and "a video page on youtube, not a video file" in finding.actual


@pytest.mark.parametrize(
    ("route", "trendyol", "ecwid"),
    [
        ("page.html", {"seller.integration.video.format.invalid"}, {"NOT_VIDEO_URL"}),
        ("files/samples/text_named.mp4", {"seller.integration.video.format.invalid"}, {"NOT_VIDEO_URL"}),
        ("files/samples/images/ok.png", {"seller.integration.video.format.invalid"}, {"NOT_VIDEO_URL"}),
        ("files/samples/ok_h264_aac_1080p_10s.mp4", set(), set()),
    ],
)
def test_what_the_server_sends_decides_for_other_links(
    server: LocalFileServer, fast: RemoteOptions, route: str, trendyol: set[str], ecwid: set[str]
) -> None:
    reports = check_all(server.url(route), ["trendyol", "ecwid"], remote=fast)
    assert (reports["trendyol"].codes(), reports["ecwid"].codes()) == (trendyol, ecwid)


def test_web_page_is_named_in_the_finding(server: LocalFileServer, fast: RemoteOptions) -> None:
    (finding,) = check(server.url("page.html"), "ecwid", remote=fast).findings
    assert finding.actual == "a web page, not a video"
