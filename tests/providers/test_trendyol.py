"""TrendyolClient against the Trendyol sandbox over real sockets; videos served by a local file server."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import httpx
import pytest

from vidlint.clients.errors import ClientConfigError, PreflightFailed, RateLimited, ValidationFailed
from vidlint.clients.http import HttpSettings
from vidlint.clients.preflight import ForcedUploadWarning
from vidlint.clients.waiting import PollSchedule
from vidlint.providers.trendyol.client import ACTIVE_VIDEO_CODE, TrendyolTiming
from vidlint.providers.trendyol.models import CreateVideoRequest
from vidlint.sandbox import Fault, StaticFiles
from vidlint.sandbox.pytest_plugin import SandboxFactory

from .support import SAMPLES, SECRET, fast_settings, paths, trendyol_client

META = {"title": "Product promotion", "productContentIds": ["1001", "1002"]}
OK = SAMPLES / "ok_h264_aac_1080p_10s.mp4"
FAST = {"processing_delay_s": 0.05, "approval_delay_s": 0.05}


def test_a_published_file_ends_approved(vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles) -> None:
    server = vidlint_sandbox("trendyol", **FAST)
    with trendyol_client(server, publisher=vidlint_files.publish) as client:
        result = client.upload(OK, metadata=META, wait=True)
    assert (result.status, result.done, result.accepted, result.approved) == ("SUCCESS", True, True, True)
    assert result.findings == () and result.preflight is not None and result.preflight.passed
    created = server.app.state()["videos"]
    assert [v["id"] for v in created] == [result.remote_id]
    assert created[0]["videoUrl"].startswith(vidlint_files.url)  # the sandbox fetched it from there


def test_a_failing_clip_makes_no_request_at_all(
    vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles
) -> None:
    server = vidlint_sandbox("trendyol")
    published: list[str] = []

    def publish(path: Path) -> str:
        published.append(str(path))
        return "http://files.invalid/clip.mp4"

    with trendyol_client(server, publisher=publish) as client, pytest.raises(PreflightFailed) as caught:
        client.upload(SAMPLES / "short_4s.mp4", metadata=META)
    assert "seller.integration.video.duration.invalid" in caught.value.report.codes()
    assert server.requests == [] and published == []


def test_a_forced_upload_fails_remotely_with_the_packs_finding(
    vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles
) -> None:
    server = vidlint_sandbox("trendyol", **FAST)
    with (
        trendyol_client(server, publisher=vidlint_files.publish) as client,
        pytest.warns(UserWarning, match="FORCED"),
    ):
        result = client.upload(SAMPLES / "long_125s.mp4", metadata=META, force=True, wait=True)
    assert (result.status, result.accepted, result.forced) == ("FAILED", False, True)
    [finding] = result.findings
    assert (finding.code, finding.rule, finding.documented) == (
        "seller.integration.video.duration.invalid",
        "trendyol.duration",
        True,
    )


def test_an_existing_active_video_is_warned_about(
    vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles
) -> None:
    server = vidlint_sandbox("trendyol", **FAST)
    with trendyol_client(server, publisher=vidlint_files.publish) as client:
        first = client.upload(OK, metadata=META, wait=True)
        second = client.upload(OK, metadata={**META, "productContentIds": ["1002", "3"]})
    warnings = [f for f in second.findings if f.code == ACTIVE_VIDEO_CODE]
    assert [w.severity for w in warnings] == ["warning"]
    assert "1002" in warnings[0].message and first.remote_id in warnings[0].message


def test_listing_follows_every_page(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("trendyol", processing_delay_s=60)
    with trendyol_client(server, timing=TrendyolTiming(scan_page_size=2)) as client:
        made = {
            client.create_video(
                CreateVideoRequest(
                    title=f"Video {i}", videoUrl=f"http://h/{i}.mp4", productContentIds=[str(i)]
                )
            )
            for i in range(5)
        }
        page = client.list_videos(status="IN_PROGRESS", page=1, size=2)
        listed = {v.id for v in client.iter_videos(status="IN_PROGRESS")}
    assert (page.meta.total, page.meta.totalPage, len(page.data)) == (5, 3, 2)
    assert listed == made


def test_a_create_whose_answer_was_lost_is_not_repeated(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("trendyol", processing_delay_s=60)
    server.faults.add(Fault(kind="drop_after", method="POST", path="*/videos"))
    request = CreateVideoRequest(title="Lost answer", videoUrl="http://h/v.mp4", productContentIds=["9"])
    with trendyol_client(server) as client:
        video_id = client.create_video(request)
    assert [v["id"] for v in server.app.state()["videos"]] == [video_id]
    assert paths(server, "POST") == ["/integration/product/sellers/4242/videos"]


def test_a_create_refused_before_processing_is_sent_again(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("trendyol", processing_delay_s=60)
    server.faults.add(Fault(kind="drop", method="POST", path="*/videos"))
    server.faults.add(Fault(kind="status", status=503, method="POST", path="*/videos"))
    request = CreateVideoRequest(title="Second try", videoUrl="http://h/v.mp4", productContentIds=["9"])
    with trendyol_client(server) as client:
        video_id = client.create_video(request)
    assert [v["id"] for v in server.app.state()["videos"]] == [video_id]
    assert len(paths(server, "POST")) == 3


def test_429_retry_after_is_waited_for(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("trendyol")
    server.faults.add(Fault(kind="status", status=429, retry_after_s=0.3, method="GET"))
    with trendyol_client(server) as client:
        started = time.monotonic()
        client.list_videos()
    assert time.monotonic() - started >= 0.3
    assert len(server.requests) == 2


def test_the_client_keeps_under_the_documented_create_limit(vidlint_sandbox: SandboxFactory) -> None:
    # The server counts on arrival, a little after the client: its window is a bit shorter, as a real margin.
    server = vidlint_sandbox("trendyol", processing_delay_s=60, create_per_window=3, window_s=0.5)
    timing = TrendyolTiming(create_per_window=3, window_s=0.6)
    with trendyol_client(server, timing=timing) as client:
        started = time.monotonic()
        for i in range(4):
            request = CreateVideoRequest(
                title=f"Video {i}", videoUrl=f"http://h/{i}.mp4", productContentIds=[str(i)]
            )
            client.create_video(request, known=[])
    assert time.monotonic() - started >= 0.55  # the fourth waited for the window
    assert len(server.app.state()["videos"]) == 4 and len(paths(server, "POST")) == 4  # no 429 was needed


def test_the_servers_429s_are_survived_when_the_client_limit_is_looser(
    vidlint_sandbox: SandboxFactory,
) -> None:
    server = vidlint_sandbox("trendyol", list_per_window=2, window_s=0.4)
    with trendyol_client(server) as client:
        for _ in range(4):
            client.list_videos()
    answered = [r for r in server.requests if r.method == "GET"]
    assert len(answered) > 4  # some were refused with 429 and sent again after Retry-After


def test_rate_limit_errors_surface_when_retries_run_out(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("trendyol")
    server.faults.add(Fault(kind="status", status=429, retry_after_s=0.01, times=0))
    with (
        trendyol_client(server, settings=fast_settings(max_attempts=2)) as client,
        pytest.raises(RateLimited),
    ):
        client.list_videos()


def test_by_default_the_preflight_refuses_a_url_on_a_private_address(
    vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles
) -> None:
    """Clients run server-side on URLs their users submit: loopback is refused before any request."""
    server = vidlint_sandbox("trendyol", processing_delay_s=0.0)
    url = vidlint_files.publish(OK)  # a passing clip, served on 127.0.0.1
    guarded = HttpSettings(timeout=httpx.Timeout(3.0))  # the default url_check: RemoteOptions.server_side()
    with trendyol_client(server, settings=guarded) as client, pytest.raises(PreflightFailed) as caught:
        client.upload(url, metadata=META)
    report = caught.value.report
    assert report.codes() == {"seller.integration.video.download.failed"}
    assert report.facts is not None and report.facts.fetch is not None
    assert report.facts.fetch.outcome == "blocked"
    assert server.requests == []


def test_an_unreachable_url_is_stopped_by_the_preflight_before_any_request(
    vidlint_sandbox: SandboxFactory,
) -> None:
    server = vidlint_sandbox("trendyol", processing_delay_s=0.0)
    elsewhere = vidlint_sandbox("shoplive")
    with trendyol_client(server) as client, pytest.raises(PreflightFailed) as caught:
        client.upload(f"{elsewhere.url}/missing.mp4", metadata=META, wait=True)
    assert caught.value.report.codes() == {"seller.integration.video.download.failed"}
    assert server.requests == []


def test_download_failures_come_back_as_the_documented_codes(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("trendyol", processing_delay_s=0.0, download_timeout_s=0.3)
    elsewhere = vidlint_sandbox("shoplive")
    elsewhere.faults.add(Fault(kind="slow", delay_s=1.0, path="*/slow.mp4", times=0))
    with trendyol_client(server) as client, pytest.warns(ForcedUploadWarning):
        missing = client.upload(f"{elsewhere.url}/missing.mp4", metadata=META, wait=True, force=True)
        slow = client.upload(f"{elsewhere.url}/slow.mp4", metadata=META, wait=True, force=True)
    assert [f.code for f in missing.findings if f.severity == "error"] == [
        "seller.integration.video.download.failed"
    ]
    assert [f.code for f in slow.findings if f.severity == "error"] == [
        "seller.integration.video.download.timeout"
    ]


def test_request_errors_carry_the_documented_code(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("trendyol", store_front_codes=["DE"])
    with trendyol_client(server) as client, pytest.raises(ValidationFailed) as caught:
        client.list_videos()
    assert caught.value.code == "seller.integration.invalid.store.front.code"
    assert [f.rule for f in caught.value.findings] == ["trendyol.store-front-code"]


def test_a_local_file_needs_a_publisher_and_nothing_is_sent_without_one(
    vidlint_sandbox: SandboxFactory,
) -> None:
    server = vidlint_sandbox("trendyol")
    with trendyol_client(server) as client, pytest.raises(ClientConfigError, match="publisher"):
        client.upload(OK, metadata=META)
    assert server.requests == []


def test_credentials_stay_out_of_logs_reprs_and_errors(
    vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles, caplog: pytest.LogCaptureFixture
) -> None:
    server = vidlint_sandbox("trendyol", **FAST)
    server.faults.add(Fault(kind="status", status=500, times=0, method="GET"))
    with caplog.at_level(logging.DEBUG), trendyol_client(server, publisher=vidlint_files.publish) as client:
        with pytest.raises(Exception) as caught:
            client.upload(OK, metadata=META)
        text = caplog.text + repr(client) + str(caught.value)
    assert SECRET not in text
    assert server.requests[0].headers["authorization"] == "***"  # the sandbox's own log masks it too


def test_success_without_approval_is_not_finished(
    vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles
) -> None:
    server = vidlint_sandbox("trendyol", processing_delay_s=0.1, auto_approve=False)
    schedule = PollSchedule(first_delay_s=0.0, interval_s=0.05, timeout_s=0.5)
    with trendyol_client(server, publisher=vidlint_files.publish) as client:
        video_id = client.upload(OK, metadata=META).remote_id
        video, done = client.wait_for(video_id, schedule)
    assert (video.status, video.isApproved, done) == ("SUCCESS", False, False)  # succeeded, not yet live
