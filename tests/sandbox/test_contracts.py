"""Each sandbox speaks its provider's documented contract, checked over raw HTTP without vidlint's clients."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from vidlint.clients.signing import WalmartRsaSigner
from vidlint.sandbox import SandboxServer, StaticFiles, start
from vidlint.sandbox.pytest_plugin import SandboxFactory

from .support import ADVERTISER, SAMPLES, walmart_keys

P = "seller.integration."
VIDEOS = "/integration/product/sellers/1/videos"
TRENDYOL_HEADERS = {"Authorization": "Basic eDp5", "storeFrontCode": "TR"}
BODY = {"title": "A video", "videoUrl": "https://cdn.example/v.mp4", "productContentIds": ["1"]}


@pytest.fixture(scope="module")
def trendyol() -> Iterator[httpx.Client]:
    with (
        start("trendyol", processing_delay_s=60) as server,
        httpx.Client(base_url=server.url, timeout=5) as http,
    ):
        yield http


@pytest.mark.parametrize(
    ("change", "codes"),
    [
        ({"title": None}, ["title.required"]),
        ({"title": "ab"}, ["title.length"]),
        ({"title": "x" * 51}, ["title.length"]),
        ({"description": "d" * 501}, ["description.length"]),
        ({"videoUrl": None}, ["video.url.required"]),
        ({"videoUrl": "ftp://cdn.example/v.mp4"}, ["video.url.invalid"]),
        ({"productContentIds": []}, ["product.content.ids.required"]),
        ({"productContentIds": [str(i) for i in range(101)]}, ["product.content.ids.max"]),
        ({"videoContentType": "UNBOXING"}, ["video.content.type.invalid"]),
        ({"title": None, "videoUrl": None}, ["title.required", "video.url.required"]),
    ],
)
def test_trendyol_request_validation_codes(
    trendyol: httpx.Client, change: dict[str, Any], codes: list[str]
) -> None:
    body = {k: v for k, v in {**BODY, **change}.items() if v is not None}
    answer = trendyol.post(VIDEOS, json=body, headers=TRENDYOL_HEADERS)
    assert answer.status_code == 400
    assert [e["key"] for e in answer.json()["errors"]] == [P + c for c in codes]


def test_trendyol_body_store_and_status_errors(trendyol: httpx.Client) -> None:
    assert trendyol.post(VIDEOS, headers=TRENDYOL_HEADERS).json()["errors"][0]["key"] == P + "body.required"
    no_store = trendyol.get(VIDEOS, headers={"Authorization": "Basic eDp5"})
    assert no_store.json()["errors"][0]["key"] == P + "invalid.store.front.code"
    bad_status = trendyol.get(VIDEOS, params={"sellerIntegrationStatus": "DONE"}, headers=TRENDYOL_HEADERS)
    assert bad_status.json()["errors"][0]["key"] == P + "invalid.status"
    assert trendyol.get(VIDEOS, headers={"storeFrontCode": "TR"}).status_code == 401


def test_trendyol_creates_and_lists_with_the_documented_envelope(trendyol: httpx.Client) -> None:
    video_id = trendyol.post(VIDEOS, json=BODY, headers=TRENDYOL_HEADERS).json()["videoId"]
    listed = trendyol.get(VIDEOS, params={"id": video_id}, headers=TRENDYOL_HEADERS).json()
    assert listed["meta"] == {"page": 0, "total": 1, "totalPage": 1, "size": 10}
    [video] = listed["data"]
    assert (video["status"], video["isApproved"], video["optimizedVideoUrl"]) == ("IN_PROGRESS", False, None)


def test_trendyol_judges_the_downloaded_bytes(
    vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles
) -> None:
    server = vidlint_sandbox("trendyol", processing_delay_s=0.0, approval_delay_s=0.0)
    outcomes = {}
    with httpx.Client(base_url=server.url, timeout=5) as http:
        for sample in ("ok_h264_aac_1080p_10s.mp4", "mkv_named.mp4", "dur_7s.mp4"):
            body = {**BODY, "videoUrl": vidlint_files.publish(SAMPLES / sample)}
            outcomes[sample] = http.post(VIDEOS, json=body, headers=TRENDYOL_HEADERS).json()["videoId"]
        videos = settled(lambda: http.get(VIDEOS, headers=TRENDYOL_HEADERS).json()["data"], "IN_PROGRESS")
    by_id = {v["id"]: v for v in videos}
    ok, mkv, short = (
        by_id[outcomes[s]] for s in ("ok_h264_aac_1080p_10s.mp4", "mkv_named.mp4", "dur_7s.mp4")
    )
    assert (ok["status"], ok["isApproved"], ok["errorCode"]) == ("SUCCESS", True, None)
    assert mkv["errorCode"] == "video.content.api.seller.integration.video.format.invalid"
    assert short["errorCode"] == "video.content.api.seller.integration.video.duration.invalid"


def settled(fetch: Any, pending: str, timeout_s: float = 15.0) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout_s
    while True:
        rows: list[dict[str, Any]] = fetch()
        if all(r["status"] != pending for r in rows) or time.monotonic() > deadline:
            return rows
        time.sleep(0.05)


# -- Sam's Club ---------------------------------------------------------------------------------------
def gateway(private_pem: str) -> dict[str, str]:
    return {"Authorization": "Bearer t", **WalmartRsaSigner("consumer-1", private_pem, "1").headers()}


def test_samsclub_gateway_refuses_missing_or_forged_signatures(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("samsclub", public_key_pem=walmart_keys()[1])
    url = f"{server.url}/api/v1/media"
    forged = {**gateway(walmart_keys()[0]), "WM_CONSUMER.INTIMESTAMP": "1"}
    answers = [httpx.get(url, params={"advertiserId": 1}, headers=h, timeout=5) for h in ({}, forged)]
    assert [a.status_code for a in answers] == [403, 403]
    assert answers[0].json() == [{"code": "failure", "details": "User not authenticated"}]
    good = httpx.get(url, params={"advertiserId": 1}, headers=gateway(walmart_keys()[0]), timeout=5)
    assert good.status_code == 404 and good.json()[0]["details"] == "MediaDetails not found"


def test_samsclub_media_lifecycle_over_raw_http(vidlint_sandbox: SandboxFactory, tmp_path: Path) -> None:
    server = vidlint_sandbox("samsclub", processing_delay_s=0.0)
    headers = gateway(walmart_keys()[0])
    with httpx.Client(base_url=server.url, timeout=5) as http:
        [slot] = http.post(
            "/api/v1/media/upload",
            params={"advertiserId": ADVERTISER},
            json={"mediaType": "video"},
            headers=headers,
        ).json()
        no_type = http.put(slot["uploadUrl"], content=b"x")
        video = (SAMPLES / "ok_h264_aac_1080p_10s.mp4").read_bytes()
        put = http.put(slot["uploadUrl"], content=video, headers={"x-ms-blob-type": "BlockBlob"})
        body = {
            "advertiserId": ADVERTISER,
            "mediaName": "Bad-name!",
            "mediaUploadRequestId": slot["mediaUploadRequestId"],
        }
        bad_name = http.put("/api/v1/media/complete", json=body, headers=headers)
        done = http.put(
            "/api/v1/media/complete", json={**body, "mediaName": "Good name"}, headers=headers
        ).json()
        again = http.put(
            "/api/v1/media/complete", json={**body, "mediaName": "Good name"}, headers=headers
        ).json()
        params = {"advertiserId": ADVERTISER, "mediaId": done[0]["mediaId"]}
        rows = settled(lambda: http.get("/api/v1/media", params=params, headers=headers).json(), "PENDING")
        no_advertiser = http.get("/api/v1/media", headers=headers)
    assert no_type.status_code == 400 and put.status_code == 201
    assert bad_name.status_code == 400 and bad_name.json()[0]["details"] == "mediaName validation failed"
    assert done[0]["code"] == "success" and done[0]["errors"] == []
    assert again == [{"code": "failure", "details": "Invalid MediaUploadRequest status"}]
    assert rows[0]["status"] == "AVAILABLE" and rows[0]["name"] == "Good name"
    assert no_advertiser.json()[0]["details"] == "advertiserId not found in request"


# -- Akinon --------------------------------------------------------------------------------------------
def test_akinon_answers_in_drf_shape(vidlint_sandbox: SandboxFactory) -> None:
    server = vidlint_sandbox("akinon")
    token = {"Authorization": "Token t"}
    with httpx.Client(base_url=server.url, timeout=5) as http:
        unauthenticated = http.get("/api/v1/product_video/")
        nothing = http.post(
            "/api/v1/product_video/", data={"product": "x"}, files={"other": ("a", b"1")}, headers=token
        )
        bad_source = http.post(
            "/api/v1/product_image/",
            data={"product": "3", "source": "manual"},
            files={"image": ("ok.png", (SAMPLES / "images" / "ok.png").read_bytes(), "image/png")},
            headers=token,
        )
        missing = http.delete("/api/v1/product_video/999/", headers=token)
    assert unauthenticated.status_code == 401
    assert nothing.json() == {
        "product": ["Incorrect type. Expected pk value, received str."],
        "video": ["No file was submitted."],
    }
    assert bad_source.json() == {"source": ['"manual" is not a valid choice.']}
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}


# -- Ecwid ---------------------------------------------------------------------------------------------
def test_ecwid_null_keeps_empty_erases_and_nothing_is_an_error(
    vidlint_sandbox: SandboxFactory, vidlint_files: StaticFiles
) -> None:
    server = vidlint_sandbox("ecwid")
    image = vidlint_files.publish(SAMPLES / "images" / "ok.png")
    bearer = {"Authorization": "Bearer t"}
    url = "/api/v3/1/products/2/media"
    with httpx.Client(base_url=server.url, timeout=5) as http:
        http.put(url, json={"galleryMedia": [{"imageUrl": image}]}, headers=bearer)
        kept = http.put(url, json={"mainMedia": None, "galleryMedia": None}, headers=bearer)
        after_null = gallery_size(server)
        neither = http.put(url, json={}, headers=bearer)
        http.put(url, json={"galleryMedia": []}, headers=bearer)
    assert kept.status_code == 200 and after_null == 1
    assert neither.status_code == 400 and neither.json()["errorCode"] == "MEDIA_FIELDS_MISSING"
    assert gallery_size(server) == 0


def gallery_size(server: SandboxServer) -> int:
    [product] = server.app.state()["products"]
    return sum(not i["isMain"] for i in product["media"]["images"] + product["media"]["videos"])
