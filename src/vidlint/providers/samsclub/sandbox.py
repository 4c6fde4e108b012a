"""Sam's Club Media API as the provider's document describes it, on a Walmart-gateway-like front door.

Allocation hands out blob URLs that expire (``upload_url_ttl_s``) and answer an expired or forged
signature with Azure's 403 AuthenticationFailed; completion starts a background check of the uploaded
bytes; media stay PENDING (or ``pending_status``) until the check is done and ``processing_delay_s``
has passed, then turn AVAILABLE or FAILED with the E_* codes in ``details``.
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from vidlint.clients.clock import Clock
from vidlint.clients.signing import verify_signature
from vidlint.providers.samsclub.models import MEDIA_NAME
from vidlint.sandbox.core import App, AppSettings, HttpError, Request, Response, Route, json_response
from vidlint.sandbox.judge import Judge, Verdict

API = "/api/v1/media"
PENDING_LIMIT = (
    "You have exceeded the maximum number of {n} media upload requests per account. Please try again later."
)
VIDEO_LIMIT = (
    "You have reached the limit of {n} videos, please delete unwanted ones among videos that you own"
)
AZURE_AUTH = (
    '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code>'
    "<Message>Server failed to authenticate the request. {why}</Message></Error>"
)


class SamsClubSettings(AppSettings):
    processing_delay_s: float = 1.0  # shortest time a media stays pending (the real one: ~30 minutes)
    pending_status: str = "PENDING"  # Walmart's later pages also show PROCESSING: set it to test that
    upload_url_ttl_s: float = 900.0
    max_pending_requests: int = 10
    max_videos: int = 200
    public_key_pem: str | None = None  # when set, WM_SEC.AUTH_SIGNATURE is verified against it
    signature_max_age_s: float = 300.0
    requests_per_window: int = 300
    window_s: float = 60.0


@dataclass
class _Upload:
    id: int
    advertiser: int
    at: float
    token: str
    sig: str
    video: Path | None = None
    caption: Path | None = None
    completed: bool = False


@dataclass
class _Media:
    id: int
    advertiser: int
    name: str
    verdict: Future[Verdict]
    ready_at: float
    status: str = "PENDING"
    details: str = ""


def _fail(status: int, details: str) -> HttpError:
    return HttpError(json_response([{"code": "failure", "details": details}], status))


def _int(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _fail(400, f"{what} validation failed") from None


def _named_body(request: Request, id_field: str) -> tuple[int, int, str]:
    """(advertiserId, the id in ``id_field``, mediaName) of a complete or rename body, each checked."""
    body = request.json()
    if not isinstance(body, dict):
        raise _fail(400, f"{id_field} validation failed")
    advertiser = _int(body.get("advertiserId"), "Advertiser Id")
    ident = _int(body.get(id_field), id_field)
    name = body.get("mediaName")
    if not isinstance(name, str) or not MEDIA_NAME.fullmatch(name):
        raise _fail(400, "mediaName validation failed")
    return advertiser, ident, name


class SamsClubApp(App):
    name = "samsclub"

    def __init__(
        self,
        settings: SamsClubSettings | None = None,
        *,
        clock: Clock | None = None,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__(clock, data_dir)
        self.settings: SamsClubSettings = settings or SamsClubSettings()
        self.lock = threading.Lock()
        self.uploads: dict[int, _Upload] = {}
        self.media: dict[int, _Media] = {}
        self._request_ids = itertools.count(600001)
        self._media_ids = itertools.count(700001)
        self._judge = Judge("samsclub", "E_FILE_FORMAT")
        key = self.settings.public_key_pem
        loaded = serialization.load_pem_public_key(key.encode()) if key else None
        self._public_key = loaded if isinstance(loaded, rsa.RSAPublicKey) else None

    def routes(self) -> list[Route]:
        return [
            Route("POST", API + "/upload", self.allocate, limit="api", auth=self._authorize),
            Route("PUT", API + "/complete", self.complete, limit="api", auth=self._authorize),
            Route("GET", API, self.listing, limit="api", auth=self._authorize),
            Route("PUT", API, self.rename, limit="api", auth=self._authorize),
            # The blob store authenticates by the URL's signature, checked before the body is read.
            Route("PUT", r"/blob/(?P<token>[^/]+)/(?P<part>video|caption)", self.put_blob, auth=self._signed),
        ]

    def rate_limits(self) -> dict[str, tuple[int, float]]:
        return {"api": (self.settings.requests_per_window, self.settings.window_s)}

    def reset(self) -> None:
        with self.lock:
            self.uploads.clear()
            self.media.clear()

    def state(self) -> dict[str, Any]:
        with self.lock:
            media = [self._public(self._refresh(m)) for m in self.media.values()]
            uploads = [_upload_view(u) for u in self.uploads.values()]
        return {"media": media, "uploads": uploads}

    def close(self) -> None:
        self._judge.close()
        super().close()

    # -- gateway -------------------------------------------------------------------------------------
    def _authorize(self, request: Request) -> None:
        h = request.headers
        needed = ("wm_consumer.id", "wm_consumer.intimestamp", "wm_sec.key_version", "wm_sec.auth_signature")
        if not h.get("authorization", "").startswith("Bearer ") or not all(h.get(n) for n in needed):
            raise _fail(403, "User not authenticated")
        if self._public_key is None:
            return
        stamp = h["wm_consumer.intimestamp"]
        age = abs(time.time() * 1000 - _int(stamp, "intimestamp")) / 1000
        good = verify_signature(
            self._public_key, h["wm_consumer.id"], stamp, h["wm_sec.key_version"], h["wm_sec.auth_signature"]
        )
        if not good or age > self.settings.signature_max_age_s:
            raise _fail(403, "User not authenticated")

    # -- handlers ------------------------------------------------------------------------------------
    def allocate(self, request: Request) -> Response:
        body = request.json() if request.body else {}
        advertiser = _int(request.arg("advertiserId") or (body or {}).get("advertiserId"), "Advertiser Id")
        if (body or {}).get("mediaType", "video") != "video":
            raise _fail(400, "Invalid media Type")
        now = self.clock.now()
        with self.lock:
            self._check_limits(advertiser, now)
            upload = _Upload(
                next(self._request_ids), advertiser, now, secrets.token_hex(8), secrets.token_urlsafe(24)
            )
            self.uploads[upload.id] = upload
        expiry = (datetime.now(UTC) + timedelta(seconds=self.settings.upload_url_ttl_s)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        query = f"sv=2021-08-06&se={expiry}&sr=b&sp=rcwl&sig={upload.sig}"
        base = f"{request.base_url}/blob/{upload.token}"
        answer = {
            "code": "success",
            "details": "",
            "mediaUploadRequestId": upload.id,
            "uploadUrl": f"{base}/video?{query}",
            "captionUrl": f"{base}/caption?{query}",
        }
        return json_response([answer])

    def _check_limits(self, advertiser: int, now: float) -> None:
        ttl = self.settings.upload_url_ttl_s
        pending = [
            u
            for u in self.uploads.values()
            if u.advertiser == advertiser and not u.completed and now - u.at < ttl
        ]
        if len(pending) >= self.settings.max_pending_requests:
            raise _fail(400, PENDING_LIMIT.format(n=self.settings.max_pending_requests))
        owned = [m for m in self.media.values() if m.advertiser == advertiser]
        if len(owned) >= self.settings.max_videos:
            raise _fail(400, VIDEO_LIMIT.format(n=self.settings.max_videos))

    def _signed(self, request: Request) -> None:
        """The blob URL's signature and expiry, as Azure checks them (403 AuthenticationFailed)."""
        self._signed_upload(request)

    def _signed_upload(self, request: Request) -> _Upload:
        with self.lock:
            upload = next((u for u in self.uploads.values() if u.token == request.params["token"]), None)
        given = request.arg("sig") or ""
        if upload is None or not secrets.compare_digest(given.encode(), upload.sig.encode()):
            raise HttpError(_azure(403, "Signature did not match."))
        if self.clock.now() - upload.at >= self.settings.upload_url_ttl_s:
            raise HttpError(_azure(403, "Signed expiry time has passed."))
        return upload

    def put_blob(self, request: Request) -> Response:
        upload = self._signed_upload(request)  # again: the upload may have been reset in between
        if request.headers.get("x-ms-blob-type") != "BlockBlob":
            return Response(
                400, b"<Error><Code>MissingRequiredHeader</Code></Error>", {"Content-Type": "application/xml"}
            )
        part = request.params["part"]
        kind = request.headers.get("content-type", "")
        ext = (
            (".mov" if "quicktime" in kind else ".mp4")
            if part == "video"
            else (".vtt" if "vtt" in kind else ".srt")
        )
        target = self.data_dir / f"{upload.id}-{part}{ext}"
        request.save_body(target)
        with self.lock:
            setattr(upload, part, target)
        return Response(201)

    def complete(self, request: Request) -> Response:
        advertiser, request_id, name = _named_body(request, "mediaUploadRequestId")
        with self.lock:
            upload = self.uploads.get(request_id)
            if upload is None or upload.advertiser != advertiser:
                raise _fail(404, "MediaUploadRequest not found")
            if upload.completed or upload.video is None:
                return json_response([{"code": "failure", "details": "Invalid MediaUploadRequest status"}])
            upload.completed = True
            verdict = self._judge.submit(upload.video, caption=upload.caption)
            media = _Media(
                upload.id, advertiser, name, verdict, self.clock.now() + self.settings.processing_delay_s
            )
            self.media[media.id] = media
        return json_response([{"code": "success", "details": "", "mediaId": media.id, "errors": []}])

    def listing(self, request: Request) -> Response:
        if not request.arg("advertiserId"):
            raise _fail(400, "advertiserId not found in request")
        advertiser = _int(request.arg("advertiserId"), "Advertiser Id")
        wanted, status = request.arg("mediaId"), request.arg("status")
        with self.lock:
            rows = [self._public(self._refresh(m)) for m in self.media.values() if m.advertiser == advertiser]
        rows = [
            r
            for r in rows
            if (wanted is None or str(r["mediaId"]) == wanted) and (status is None or r["status"] == status)
        ]
        if not rows:
            raise _fail(404, "MediaDetails not found")
        return json_response(rows)

    def rename(self, request: Request) -> Response:
        advertiser, media_id, name = _named_body(request, "mediaId")
        with self.lock:
            media = self.media.get(media_id)
            if media is None or media.advertiser != advertiser:
                raise _fail(404, "MediaDetails not found")
            media.name = name
        return json_response([{"code": "success", "details": "", "mediaId": media_id}])

    # -- processing ----------------------------------------------------------------------------------
    def _refresh(self, media: _Media) -> _Media:
        if media.status == "PENDING" and media.verdict.done() and self.clock.now() >= media.ready_at:
            verdict = media.verdict.result()
            media.status = "AVAILABLE" if verdict.ok else "FAILED"
            media.details = (
                ""
                if verdict.ok
                else "Validation failed: " + "; ".join(f"{c}: {m}" for c, m in verdict.errors)
            )
        return media

    def _public(self, media: _Media) -> dict[str, Any]:
        status = self.settings.pending_status if media.status == "PENDING" else media.status
        return {
            "mediaId": media.id,
            "status": status,
            "details": media.details,
            "name": media.name,
            "thumbnail": f"https://thumbnails.sandbox.invalid/{media.id}.png",
        }


def _upload_view(upload: _Upload) -> dict[str, Any]:
    size = upload.video.stat().st_size if upload.video is not None else None
    return {
        "id": upload.id,
        "completed": upload.completed,
        "video_bytes": size,
        "caption": upload.caption is not None,
    }


def _azure(status: int, why: str) -> Response:
    return Response(status, AZURE_AUTH.format(why=why).encode(), {"Content-Type": "application/xml"})
