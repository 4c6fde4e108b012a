"""A URL that cannot be fetched gets its download error alone, from each marketplace, whatever the file.

Real faults from the local server (test_fetch.py covers how each is detected); here, what each
marketplace answers. Short time budgets come from RemoteOptions, so the slow cases end quickly.
"""

from __future__ import annotations

import time

import pytest
from support.media import MARKETPLACES
from support.server import LocalFileServer, unused_port

from vidlint.api import check, check_all
from vidlint.remote import RemoteOptions

SHORT = "samples/short_4s.mp4"  # too short everywhere: a file rule would fire if the file were judged
FAILED = {
    "trendyol": ["seller.integration.video.download.failed"],
    "samsclub": ["E_DOWNLOAD_FAILED"],
    "akinon": ["url.download_failed"],
    "ecwid": ["DOWNLOAD_VIDEO_FAILED"],
    "shoplive": [],
}
TIMED_OUT = {**FAILED, "trendyol": ["seller.integration.video.download.timeout"]}


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ("status/404", FAILED),
        ("status/500", FAILED),
        ("files/samples/no_such_clip.mp4", FAILED),
        (f"reset/{SHORT}", FAILED),
        ("loop/a", FAILED),
        (f"redirect/9/files/{SHORT}", FAILED),
        (f"lying/{SHORT}", FAILED),
        (f"slow/1500/files/{SHORT}", TIMED_OUT),
        ("drip/big/over_limit_4s.mp4", TIMED_OUT),
    ],
)
def test_fetch_failure_is_the_download_code_alone(
    server: LocalFileServer, route: str, expected: dict[str, list[str]]
) -> None:
    options = RemoteOptions(timeout_s=0.5, connect_timeout_s=0.5)
    started = time.monotonic()
    reports = check_all(server.url(route), MARKETPLACES, remote=options)
    assert time.monotonic() - started < 4.0
    assert {market: sorted(report.codes()) for market, report in reports.items()} == expected
    for market, report in reports.items():
        assert report.passed is (market == "shoplive")
        for finding in report.findings:  # the reason is the network's, in one line
            assert finding.actual and "\n" not in finding.actual


def test_404_says_what_the_server_answered(server: LocalFileServer, fast: RemoteOptions) -> None:
    (finding,) = check(server.url("status/404"), "trendyol", remote=fast).findings
    assert finding.code == "seller.integration.video.download.failed"
    assert finding.documented and finding.rule == "trendyol.download-failed"
    assert finding.actual is not None and "404" in finding.actual


def test_refused_connection(fast: RemoteOptions) -> None:
    url = f"http://127.0.0.1:{unused_port()}/clip.mp4"
    assert check(url, "ecwid", remote=fast).codes() == {"DOWNLOAD_VIDEO_FAILED"}


def test_private_address_refused_server_side(server: LocalFileServer) -> None:
    """A server checking its users' URLs blocks private addresses: Trendyol could not fetch them either."""
    url = server.url(f"files/{SHORT}")
    blocked = check(url, "trendyol", remote=RemoteOptions.server_side(timeout_s=2.0))
    assert blocked.codes() == {"seller.integration.video.download.failed"}
    assert blocked.facts is not None and blocked.facts.fetch is not None
    assert blocked.facts.fetch.outcome == "blocked"
    assert server.log() == []  # nothing was asked of the server
    judged = check(url, "trendyol", remote=RemoteOptions(timeout_s=2.0))
    assert judged.codes() == {"seller.integration.video.duration.invalid"}


def test_a_failed_url_still_gets_its_request_rules(server: LocalFileServer, fast: RemoteOptions) -> None:
    body = {"title": "ab", "productContentIds": ["1"]}
    report = check(server.url("status/503"), "trendyol", metadata=body, remote=fast)
    assert report.codes() == {"seller.integration.video.download.failed", "seller.integration.title.length"}
