"""SamsClubClient against the Sam's Club sandbox, which verifies every gateway signature it receives."""

from __future__ import annotations

import logging
import tracemalloc
from pathlib import Path

import pytest

from vidlint.clients.errors import AuthError, LimitExceeded, PreflightFailed
from vidlint.providers.samsclub.client import SamsClubTiming
from vidlint.providers.samsclub.models import KNOWN_STATUSES
from vidlint.sandbox import Fault
from vidlint.sandbox.pytest_plugin import SandboxFactory

from .support import QUICK_WAIT, SAMPLES, SECRET, paths, samsclub_client, walmart_keys

GOOD = SAMPLES / "captioned_good.mp4"
NAME = {"mediaName": "Spring sale 2024"}


def test_allocate_put_complete_poll(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub", public_key_pem=walmart_keys()[1], processing_delay_s=0.05)
    with samsclub_client(server) as client:
        result = client.upload(GOOD, metadata=NAME, caption=SAMPLES / "captioned_good.srt", wait=True)
    assert (result.status, result.done, result.accepted) == ("AVAILABLE", True, True)
    assert set(result.ids) == {"mediaUploadRequestId", "mediaId"}
    sent = paths(server)
    assert sent[:1] == ["/api/v1/media/upload"]
    assert sum(p.startswith("/blob/") for p in sent) == 2  # the video and the caption
    blob_puts = [r for r in server.requests if r.path.startswith("/blob/")]
    assert all("authorization" not in r.headers for r in blob_puts)  # no gateway token leaves for the blob
    assert all(r.headers["x-ms-blob-type"] == "BlockBlob" for r in blob_puts)


def test_a_failing_clip_makes_no_request_at_all(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub")
    with samsclub_client(server) as client, pytest.raises(PreflightFailed) as caught:
        client.upload(SAMPLES / "short_4s.mp4", metadata=NAME)
    assert caught.value.report.codes() == {"E_DURATION"}
    assert server.requests == []


def test_the_processing_verdict_comes_back_as_the_packs_findings(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub", processing_delay_s=0.05)
    with samsclub_client(server) as client, pytest.warns(UserWarning, match="FORCED"):
        result = client.upload(SAMPLES / "hd720_10s.mp4", metadata=NAME, force=True, wait=True)
    assert (result.status, result.accepted) == ("FAILED", False)
    assert [(f.code, f.rule, f.documented) for f in result.findings] == [
        ("E_MIN_PIXEL", "samsclub.min-pixel", True)
    ]


def test_an_unknown_status_means_still_in_progress(
    vidlint_sandbox: SandboxFactory, caplog: pytest.LogCaptureFixture
) -> None:
    server = vidlint_sandbox("samsclub", processing_delay_s=0.3, pending_status="PROCESSING")
    assert "PROCESSING" not in KNOWN_STATUSES
    with caplog.at_level(logging.WARNING), samsclub_client(server) as client:
        result = client.upload(GOOD, metadata=NAME, wait=True)
    assert result.status == "AVAILABLE" and result.done
    assert "unknown status 'PROCESSING'; still waiting" in caplog.text


def test_waiting_gives_up_after_the_budget_without_failing(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub", processing_delay_s=30)
    timing = SamsClubTiming(wait=QUICK_WAIT.__class__(first_delay_s=0.0, interval_s=0.05, timeout_s=0.2))
    with samsclub_client(server, timing=timing) as client:
        result = client.upload(GOOD, metadata=NAME, wait=True)
    assert (result.status, result.done, result.accepted) == ("PENDING", False, None)


def test_an_expired_upload_url_is_reallocated(vidlint_sandbox: SandboxFactory) -> None:
    # The first PUT takes longer than the URL lives; the client allocates again instead of failing.
    server = vidlint_sandbox("samsclub", processing_delay_s=0.0, upload_url_ttl_s=0.3)
    server.faults.add(Fault(kind="slow", delay_s=0.5, method="PUT", path="/blob/*"))
    with samsclub_client(server) as client:
        result = client.upload(GOOD, metadata=NAME)
    assert paths(server).count("/api/v1/media/upload") == 2
    uploads = server.app.state()["uploads"]
    assert result.ids["mediaUploadRequestId"] == str(uploads[-1]["id"]) and not uploads[0]["completed"]


def test_reallocation_is_bounded(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub", upload_url_ttl_s=0.0)
    with (
        samsclub_client(server, timing=SamsClubTiming(max_reallocations=1)) as client,
        pytest.raises(AuthError),
    ):
        client.upload(GOOD, metadata=NAME)
    assert paths(server).count("/api/v1/media/upload") == 2


def test_a_url_about_to_expire_is_not_even_tried(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub")
    timing = SamsClubTiming(url_ttl_s=10, url_margin_s=20, max_reallocations=2)
    with samsclub_client(server, timing=timing) as client, pytest.raises(AuthError, match="about to expire"):
        client.upload(GOOD, metadata=NAME)
    assert not any(p.startswith("/blob/") for p in paths(server))


@pytest.mark.parametrize(
    ("settings", "code"),
    [({"max_pending_requests": 1}, "E_PENDING_LIMIT"), ({"max_videos": 1}, "E_VIDEO_LIMIT")],
)
def test_account_limits_surface_as_clear_errors(
    vidlint_sandbox: SandboxFactory, settings: dict[str, int], code: str
) -> None:
    server = vidlint_sandbox("samsclub", **settings)
    with samsclub_client(server) as client:
        if code == "E_PENDING_LIMIT":
            client.allocate()  # one allocation left pending
        else:
            client.upload(GOOD, metadata=NAME)
        with pytest.raises(LimitExceeded) as caught:
            client.upload(GOOD, metadata={"mediaName": "Second video"})
    assert caught.value.code == code


def test_a_completion_whose_answer_was_lost_is_not_repeated(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub", processing_delay_s=0.0)
    server.faults.add(Fault(kind="drop_after", path="*/complete"))
    with samsclub_client(server) as client:
        result = client.upload(GOOD, metadata=NAME, wait=True)
    assert [m["mediaId"] for m in server.app.state()["media"]] == [int(result.remote_id)]
    assert paths(server).count("/api/v1/media/complete") == 1
    assert result.status == "AVAILABLE"


@pytest.mark.parametrize(
    "fault",
    [
        Fault(kind="status", status=429, retry_after_s=0.05, path="*/media/upload"),
        Fault(kind="status", status=500, path="/blob/*"),
        Fault(kind="drop", method="PUT", path="/blob/*"),
        Fault(kind="drop", method="GET", path="/api/v1/media"),
        Fault(kind="status", status=503, method="GET", path="/api/v1/media", times=2),
    ],
    ids=["429-allocate", "500-put", "dropped-put", "dropped-poll", "503-poll"],
)
def test_transient_faults_are_retried_through(vidlint_sandbox: SandboxFactory, fault: Fault) -> None:
    server = vidlint_sandbox("samsclub", processing_delay_s=0.0)
    server.faults.add(fault)
    with samsclub_client(server) as client:
        result = client.upload(GOOD, metadata=NAME, wait=True)
    assert result.status == "AVAILABLE"
    assert server.faults.pending() == []  # the fault was met, and survived
    assert len(server.app.state()["media"]) == 1


def test_a_wrong_key_is_refused_by_the_gateway(vidlint_sandbox: SandboxFactory, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    server = vidlint_sandbox("samsclub", public_key_pem=walmart_keys()[1])
    with samsclub_client(server, private_pem=other.decode()) as client, pytest.raises(AuthError) as caught:
        client.upload(GOOD, metadata=NAME)
    assert caught.value.status == 403 and SECRET not in str(caught.value)


def test_rename_and_status_listing(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub", processing_delay_s=0.0)
    with samsclub_client(server) as client:
        media_id = int(client.upload(GOOD, metadata=NAME, wait=True).remote_id)
        client.rename(media_id, "Summer sale")
        renamed = client.get_media(media_id)
        available = client.list_media(status="AVAILABLE")
        failed = client.list_media(status="FAILED")
    assert renamed.name == "Summer sale"
    assert [m.mediaId for m in available] == [media_id] and failed == []


def test_the_video_is_streamed_not_read_into_memory(vidlint_sandbox: SandboxFactory, tmp_path: Path) -> None:
    big = tmp_path / "big.mp4"
    with big.open("wb") as out:
        out.truncate(48 * 1024 * 1024)  # sparse: costs no disk
    server = vidlint_sandbox("samsclub")
    with samsclub_client(server) as client:
        url = client.allocate().uploadUrl
        assert url is not None
        tracemalloc.start()
        try:
            client.put_file(url, big)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 8 * 1024 * 1024
    assert server.app.state()["uploads"][0]["video_bytes"] == big.stat().st_size
