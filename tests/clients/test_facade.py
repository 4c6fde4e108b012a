"""The upload facade: pre-flight before credentials or requests, then the provider's whole flow."""

from __future__ import annotations

import logging
import time
import warnings
from pathlib import Path

import pytest
from providers.support import akinon_client

import vidlint
import vidlint.clients.waiting
from vidlint.clients.errors import ClientConfigError, NotOffered, PreflightFailed
from vidlint.clients.facade import upload
from vidlint.clients.preflight import ForcedUploadWarning
from vidlint.sandbox import StaticFiles
from vidlint.sandbox.pytest_plugin import SandboxFactory

from .support import ADVERTISER, QUICK_WAIT, SAMPLES, SECRET, walmart_keys

FAILING = [
    (
        "trendyol",
        "short_4s.mp4",
        {"title": "Clip", "productContentIds": ["1"]},
        "seller.integration.video.duration.invalid",
    ),
    ("samsclub", "short_4s.mp4", {"mediaName": "Clip"}, "E_DURATION"),
    ("samsclub", "dci4k_4096x2160_6s.mp4", {"mediaName": "Clip"}, "E_MAX_PIXEL"),
    ("akinon", "mp4_named.mov", {"product": 5}, "video.invalid_extension"),
    ("akinon", "mkv_named.mp4", {"product": 5}, "video.invalid_format"),
]


def samsclub_env(url: str) -> dict[str, str]:
    return {
        "VIDLINT_SAMSCLUB_BASE_URL": url,
        "VIDLINT_SAMSCLUB_ADVERTISER_ID": str(ADVERTISER),
        "VIDLINT_SAMSCLUB_CONSUMER_ID": "consumer-1",
        "VIDLINT_SAMSCLUB_AUTH_TOKEN": SECRET,
        "VIDLINT_SAMSCLUB_PRIVATE_KEY": walmart_keys()[0],
    }


def trendyol_env(url: str) -> dict[str, str]:
    return {
        "VIDLINT_TRENDYOL_BASE_URL": url,
        "VIDLINT_TRENDYOL_SELLER_ID": "7",
        "VIDLINT_TRENDYOL_API_KEY": "key",
        "VIDLINT_TRENDYOL_API_SECRET": SECRET,
        "VIDLINT_TRENDYOL_STORE_FRONT_CODE": "TR",
    }


@pytest.mark.parametrize(("marketplace", "sample", "metadata", "code"), FAILING)
def test_a_failing_file_is_refused_before_any_request(
    vidlint_sandbox: SandboxFactory, marketplace: str, sample: str, metadata: dict[str, object], code: str
) -> None:
    server = vidlint_sandbox(marketplace)
    env = {f"VIDLINT_{marketplace.upper()}_BASE_URL": server.url}  # and no credentials at all
    with pytest.raises(PreflightFailed) as caught:
        upload(
            SAMPLES / sample, marketplace, metadata=metadata, env=env, publisher=lambda p: "http://x/y.mp4"
        )
    assert code in caught.value.report.codes()
    assert not caught.value.report.passed
    assert server.requests == []


def test_a_passing_file_then_needs_credentials_named_not_shown(tmp_path: Path) -> None:
    env = {"VIDLINT_SAMSCLUB_AUTH_TOKEN": SECRET}
    with pytest.raises(ClientConfigError, match="consumer_id") as caught:
        upload(
            SAMPLES / "ok_h264_aac_1080p_10s.mp4",
            "samsclub",
            metadata={"mediaName": "Clip"},
            env=env,
            credentials_path=tmp_path / "none.toml",
        )
    assert SECRET not in str(caught.value)


def test_the_whole_flow_from_the_environment(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub", public_key_pem=walmart_keys()[1], processing_delay_s=0.0)
    result = upload(
        SAMPLES / "captioned_good.mp4",
        "samsclub",
        metadata={"mediaName": "Clip"},
        caption=SAMPLES / "captioned_good.srt",
        wait=True,
        wait_schedule=QUICK_WAIT,
        env=samsclub_env(server.url),
    )
    assert (result.marketplace, result.status, result.accepted) == ("samsclub", "AVAILABLE", True)
    assert result.preflight is not None and result.preflight.passed


def test_force_sends_it_anyway_and_says_so_once(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub", processing_delay_s=0.0)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        result = upload(
            SAMPLES / "short_4s.mp4",
            "samsclub",
            metadata={"mediaName": "Clip"},
            force=True,
            wait=True,
            wait_schedule=QUICK_WAIT,
            env=samsclub_env(server.url),
        )
    forced = [w for w in seen if issubclass(w.category, ForcedUploadWarning)]
    assert len(forced) == 1 and "FORCED UPLOAD" in str(forced[0].message)
    assert result.forced and result.status == "FAILED"
    assert [f.code for f in result.findings] == ["E_DURATION"]


def test_a_given_client_is_used_and_checked_for_its_marketplace(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("akinon")
    with akinon_client(server) as client:
        result = upload(
            SAMPLES / "ok_h264_aac_1080p_10s.mp4", "akinon", metadata={"product": 3}, client=client
        )
        with pytest.raises(ValueError, match="not 'trendyol'"):
            upload(SAMPLES / "ok_h264_aac_1080p_10s.mp4", "trendyol", metadata={}, client=client)
    assert result.accepted and result.marketplace == "akinon"


def test_trendyol_through_the_facade_with_a_publisher(
    vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles
) -> None:
    server = vidlint_sandbox("trendyol", processing_delay_s=0.0, approval_delay_s=0.0)
    env = {
        "VIDLINT_TRENDYOL_BASE_URL": server.url,
        "VIDLINT_TRENDYOL_SELLER_ID": "7",
        "VIDLINT_TRENDYOL_API_KEY": "key",
        "VIDLINT_TRENDYOL_API_SECRET": SECRET,
        "VIDLINT_TRENDYOL_STORE_FRONT_CODE": "TR",
    }
    result = upload(
        SAMPLES / "ok_hevc_aac_1080p_10s.mov",
        "trendyol",
        metadata={"title": "HEVC clip", "productContentIds": "11,12"},
        wait=True,
        wait_schedule=QUICK_WAIT,
        env=env,
        publisher=vidlint_files.publish,
    )
    assert (result.status, result.approved) == ("SUCCESS", True)
    assert server.app.state()["videos"][0]["productContentIds"] == ["11", "12"]


def test_shoplive_is_refused_without_credentials_or_requests() -> None:
    with pytest.raises(NotOffered):
        upload(SAMPLES / "ok_h264_aac_1080p_10s.mp4", "shoplive", metadata={}, env={})


def test_an_unknown_marketplace_is_a_configuration_error() -> None:
    with pytest.raises(ClientConfigError, match="no upload client"):
        upload(SAMPLES / "ok_h264_aac_1080p_10s.mp4", "amazon", metadata={})


# -- issue 12: waiting, approval, what cannot be done --------------------------------------------------------
def test_waiting_on_a_sandbox_is_quick_and_reported_through_a_hook_and_logging(
    vidlint_sandbox: SandboxFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """The README's example, as is: the sandbox's default settings, ``wait=True`` and no schedule."""
    server = vidlint_sandbox("samsclub")
    seen: list[vidlint.clients.waiting.WaitProgress] = []
    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger="vidlint.clients.waiting"):
        result = vidlint.upload(
            SAMPLES / "ok_h264_aac_1080p_10s.mp4",
            "samsclub",
            metadata={"mediaName": "Spring promo"},
            wait=True,
            on_progress=seen.append,
            env=samsclub_env(server.url),
        )
    assert time.monotonic() - started < 20
    assert (result.status, result.done, result.accepted, result.approved) == ("AVAILABLE", True, True, True)
    first, last = seen[0], seen[-1]
    assert (first.polls, first.status, first.elapsed_s, first.next_poll_s) == (0, "PENDING", 0.0, 0.5)
    assert first.schedule == vidlint.PollSchedule(first_delay_s=0.5, interval_s=0.5, timeout_s=300.0)
    assert (last.status, last.done, last.next_poll_s) == ("AVAILABLE", True, None)
    assert [p.polls for p in seen] == list(range(len(seen)))
    assert all(p.remote_id == f"mediaId {result.remote_id}" for p in seen)
    logged = [r.getMessage() for r in caplog.records if r.name == "vidlint.clients.waiting"]
    assert len(logged) == len(seen) and logged[-1].endswith(f"finished after {last.polls} polls")


def test_a_given_schedule_wins_over_the_sandbox_default(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub", processing_delay_s=60)
    seen: list[vidlint.clients.waiting.WaitProgress] = []
    schedule = vidlint.PollSchedule(first_delay_s=0.0, interval_s=0.05, timeout_s=0.2)
    result = vidlint.upload(
        SAMPLES / "ok_h264_aac_1080p_10s.mp4",
        "samsclub",
        metadata={"mediaName": "Clip"},
        wait=True,
        wait_schedule=schedule,
        on_progress=seen.append,
        env=samsclub_env(server.url),
    )
    assert (result.status, result.done, result.approved) == ("PENDING", False, None)
    assert seen[-1].next_poll_s is None and not seen[-1].done and seen[-1].elapsed_s >= 0.2
    assert {p.schedule for p in seen} == {schedule}


@pytest.mark.parametrize(("wait", "approved"), [(True, True), (False, None)])
def test_samsclub_approved_follows_its_status(
    vidlint_sandbox: SandboxFactory, wait: bool, approved: bool | None
) -> None:
    server = vidlint_sandbox("samsclub", processing_delay_s=0.0)
    result = vidlint.upload(
        SAMPLES / "ok_h264_aac_1080p_10s.mp4",
        "samsclub",
        metadata={"mediaName": "Clip"},
        wait=wait,
        env=samsclub_env(server.url),
    )
    assert (result.status, result.approved) == (("AVAILABLE" if wait else "PENDING"), approved)


def test_samsclub_rejection_is_not_approved(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub", processing_delay_s=0.0)
    with pytest.warns(ForcedUploadWarning):
        result = vidlint.upload(
            SAMPLES / "hd720_10s.mp4",
            "samsclub",
            metadata={"mediaName": "Clip"},
            force=True,
            wait=True,
            env=samsclub_env(server.url),
        )
    assert (result.status, result.accepted, result.approved) == ("FAILED", False, False)


@pytest.mark.parametrize(
    ("settings", "wait", "status", "approved"),
    [
        ({"processing_delay_s": 0.0, "approval_delay_s": 0.0}, True, "SUCCESS", True),
        ({"processing_delay_s": 0.0, "auto_approve": False}, False, "IN_PROGRESS", None),
    ],
    ids=["approved", "not-waited-for"],
)
def test_trendyol_approved_is_none_until_trendyol_says(
    vidlint_sandbox: SandboxFactory,
    vidlint_files: StaticFiles,
    settings: dict[str, object],
    wait: bool,
    status: str,
    approved: bool | None,
) -> None:
    server = vidlint_sandbox("trendyol", **settings)
    result = vidlint.upload(
        SAMPLES / "ok_h264_aac_1080p_10s.mp4",
        "trendyol",
        metadata={"title": "Clip", "productContentIds": "11"},
        wait=wait,
        env=trendyol_env(server.url),
        publisher=vidlint_files.publish,
    )
    assert (result.status, result.approved) == (status, approved)


def test_akinon_and_ecwid_items_are_live_at_once(
    vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles
) -> None:
    akinon, ecwid = vidlint_sandbox("akinon"), vidlint_sandbox("ecwid")
    image = vidlint.upload(
        SAMPLES / "images" / "ok.jpg",
        "akinon",
        metadata={"product": 7},
        env={"VIDLINT_AKINON_BASE_URL": akinon.url, "VIDLINT_AKINON_TOKEN": SECRET},
    )
    video = vidlint.upload(
        SAMPLES / "ok_h264_aac_1080p_10s.mp4",
        "ecwid",
        metadata={"productId": 7},
        env={
            "VIDLINT_ECWID_BASE_URL": ecwid.url,
            "VIDLINT_ECWID_STORE_ID": "77",
            "VIDLINT_ECWID_TOKEN": SECRET,
        },
        publisher=vidlint_files.publish,
    )
    assert (image.status, image.done, image.approved) == ("CREATED", True, True)
    assert [r.path for r in akinon.requests if r.method == "POST"] == ["/api/v1/product_image/"]
    assert (video.status, video.done, video.approved) == ("UPDATED", True, True)


@pytest.mark.parametrize("marketplace", ["trendyol", "ecwid"])
def test_a_local_file_without_a_publisher_is_refused_before_anything(
    vidlint_sandbox: SandboxFactory, marketplace: str
) -> None:
    server = vidlint_sandbox(marketplace)
    env = {f"VIDLINT_{marketplace.upper()}_BASE_URL": server.url}  # and no credentials at all
    with pytest.raises(ClientConfigError, match=r"takes media by URL: pass publisher="):
        vidlint.upload(SAMPLES / "ok_h264_aac_1080p_10s.mp4", marketplace, metadata={}, env=env)
    assert server.requests == []
