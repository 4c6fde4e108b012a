"""A URL source with a request body, and the URLs inside request bodies.

Decision (rules/ecwid.toml notes): the media URLs of a body are checked for their syntax only
(WRONG_URL); only the source URL is fetched. The server's log shows what was requested.
"""

from __future__ import annotations

from support.server import LocalFileServer

from vidlint.api import check, check_all
from vidlint.packs.builtin import list_marketplaces
from vidlint.remote import RemoteOptions

GOOD = "samples/ok_h264_aac_1080p_10s.mp4"


def test_ecwid_body_urls_are_judged_by_syntax_not_fetched(
    server: LocalFileServer, fast: RemoteOptions
) -> None:
    body = {
        "mainMedia": {"imageUrl": server.url("files/samples/images/ok.jpg")},
        "galleryMedia": [{"videoUrl": server.url("status/404")}, {"imageUrl": "not a url"}],
    }
    report = check(server.url(f"files/{GOOD}"), "ecwid", metadata=body, remote=fast)
    (finding,) = report.findings
    assert (finding.code, finding.actual) == ("WRONG_URL", "galleryMedia.1.imageUrl: not a url")
    assert {entry.path for entry in server.log()} == {f"/files/{GOOD}"}


def test_ecwid_source_url_fills_the_main_video(server: LocalFileServer, fast: RemoteOptions) -> None:
    body = {"mainMedia": {"videoUrl": "https://cdn.example.com/other.mp4"}}
    report = check(server.url("status/404"), "ecwid", metadata=body, remote=fast)
    assert report.codes() == {"DOWNLOAD_VIDEO_FAILED"}
    assert not any("cdn.example.com" in entry.path for entry in server.log())


def test_trendyol_body_with_a_url_source(server: LocalFileServer, fast: RemoteOptions) -> None:
    """The source fills videoUrl: a complete body passes, the file is judged, the body's rules run."""
    body = {"title": "Spring promotion", "productContentIds": ["123456"]}
    good = check(server.url(f"files/{GOOD}"), "trendyol", metadata=body, remote=fast)
    assert good.codes() == set()
    short = check(server.url("files/samples/short_4s.mp4"), "trendyol", metadata={**body, "title": "ab"},
                  remote=fast)
    assert short.codes() == {"seller.integration.video.duration.invalid", "seller.integration.title.length"}


def test_check_all_reads_a_url_once(server: LocalFileServer, fast: RemoteOptions) -> None:
    reports = check_all(server.url(f"files/{GOOD}"), remote=fast)
    assert sorted(reports) == list_marketplaces()
    # the sample is 1080p at 2 fps, 10 s: what the new packs say of it, from their pages
    expected = {
        "mercadolibre": {"Video must be vertical."},
        "tiktok": {"frame_rate_check_failed"},
        "amazon-video-ads": {"FRAME_RATE_TOO_LOW"},
        "wish": {"VIDEO_NOT_9_16"},
        "walmart-supplier": {"VIDEO_URL_PORT_NOT_ALLOWED"},  # the test server's random port
    }
    assert {m: r.codes() for m, r in reports.items()} == {m: expected.get(m, set()) for m in reports}
    heads = [entry for entry in server.log() if entry.method == "HEAD"]
    assert len(heads) == 1
    facts = reports["ecwid"].facts
    assert facts is not None and facts.fetch is not None
    assert facts.fetch.bytes_transferred == sum(entry.bytes_sent for entry in server.log())
