"""Size from the headers, and partial reads.

"A URL whose size header already exceeds the limit gets the size error without being downloaded":
a sparse faststart clip of 500,000,001 bytes, 4 s long (too short as well), served for real; the
bytes the server sent come from its own log. A server without Range support is read up to the
byte cap: a read that reached the index is judged, one that did not is "could not verify".
"""

from __future__ import annotations

from pathlib import Path

from support.media import OVER_LIMIT, OVER_LIMIT_SIZE
from support.server import LocalFileServer

from vidlint.api import check, check_all
from vidlint.packs.builtin import list_marketplaces
from vidlint.remote import RemoteOptions

KIB = 1024
FEW_HUNDRED_KIB = 300 * KIB


def _sent(server: LocalFileServer, name: str) -> int:
    return sum(entry.bytes_sent for entry in server.log() if name in entry.path)


def test_over_the_limit_by_its_header_is_the_size_error_alone(
    server: LocalFileServer, fast: RemoteOptions, media_root: Path
) -> None:
    reports = check_all(server.url(f"files/big/{OVER_LIMIT}"), ["trendyol", "samsclub"], remote=fast)
    assert reports["trendyol"].codes() == {"seller.integration.video.size.exceeded"}
    assert reports["samsclub"].codes() == {"E_FILE_SIZE"}
    (finding,) = reports["trendyol"].findings
    assert finding.actual == "500,000,001 bytes"
    facts = reports["trendyol"].facts
    assert facts is not None and facts.fetch is not None
    assert facts.fetch.content_length == OVER_LIMIT_SIZE == (media_root / "big" / OVER_LIMIT).stat().st_size
    assert 0 < _sent(server, OVER_LIMIT) == facts.fetch.bytes_transferred <= FEW_HUNDRED_KIB


def test_the_same_file_on_disk_gets_every_finding(media_root: Path) -> None:
    """The contrast: locally the 4 s clip is judged in full (there is nothing to download)."""
    local = check_all(media_root / "big" / OVER_LIMIT, ["trendyol", "samsclub"])
    assert local["trendyol"].codes() == {
        "seller.integration.video.size.exceeded", "seller.integration.video.duration.invalid"}
    assert local["samsclub"].codes() == {"E_FILE_SIZE", "E_DURATION"}


def test_a_raised_limit_lets_the_url_be_judged_like_the_file(
    server: LocalFileServer, fast: RemoteOptions
) -> None:
    report = check(server.url(f"files/big/{OVER_LIMIT}"), "trendyol", remote=fast,
                   overrides={"trendyol.size": {"max": 600_000_000}})
    assert report.codes() == {"seller.integration.video.duration.invalid"}


def test_no_range_support_with_the_index_in_reach_is_judged(server: LocalFileServer) -> None:
    """The server ignores Range: the read stops at the byte cap, but the index was in the first bytes."""
    options = RemoteOptions(timeout_s=5.0, max_bytes=256 * KIB)
    report = check(server.url(f"norange/big/{OVER_LIMIT}"), "trendyol", remote=options)
    assert report.codes() == {"seller.integration.video.size.exceeded"}
    facts = report.facts
    assert facts is not None and facts.partial and facts.readable
    assert facts.fetch is not None and facts.fetch.range_supported is False
    assert _sent(server, OVER_LIMIT) < OVER_LIMIT_SIZE // 100  # the server was cut off, not drained


def test_no_range_support_short_of_the_index_is_could_not_verify(server: LocalFileServer) -> None:
    """A moov-at-end clip cut by a 4 KiB cap: neither a pass nor a format error, a warning."""
    options = RemoteOptions(timeout_s=5.0, max_bytes=4 * KIB, oembed_timeout_s=1.0)
    # every pack but Walmart's, which refuses the test server's port before reading anything
    markets = [market for market in list_marketplaces() if market != "walmart-supplier"]
    reports = check_all(server.url("norange/samples/moov_at_end_10s.mp4"), markets, remote=options)
    codes = {market: report.codes() for market, report in reports.items()}
    assert codes == {
        "trendyol": {"seller.integration.video.not.verified"},
        "samsclub": {"E_NOT_VERIFIED"},
        "akinon": {"url.not_verified"},
        "ecwid": {"VIDEO_NOT_VERIFIED"},
        "shoplive": set(),
        "ebay": {"NOT_VERIFIED"},
        "mercadolibre": {"Video could not be verified."},
        "google-merchant": {"video_link_not_verified"},
        "meta-catalog": {"VIDEO_NOT_VERIFIED"},
        "tiktok": {"video_not_verified"},
        "amazon-video-ads": {"NOT_VERIFIED"},
        "shopify": {"NOT_VERIFIED"},
        "wish": {"VIDEO_NOT_VERIFIED"},
    }
    for report in reports.values():
        assert report.passed
        assert all(f.severity == "warning" and not f.documented for f in report.findings)
        assert all(f.actual and "partial" in f.actual for f in report.findings)


def test_no_range_support_for_a_small_file_is_a_whole_read(
    server: LocalFileServer, fast: RemoteOptions
) -> None:
    """Under the cap the server's whole answer is the file: judged like it, not partial."""
    report = check(server.url("norange/samples/short_4s.mp4"), "trendyol", remote=fast)
    assert report.codes() == {"seller.integration.video.duration.invalid"}
    assert report.facts is not None and not report.facts.partial
