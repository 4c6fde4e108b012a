"""Trendyol's video service as its document describes it: create from a URL, background download and check,
IN_PROGRESS -> SUCCESS (then isApproved) or FAILED with an errorCode, paginated listing, rate limits."""

from __future__ import annotations

import itertools
import math
import threading
import uuid
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from vidlint.clients.clock import Clock
from vidlint.providers.trendyol.models import KNOWN_STATUSES, VideoContentType
from vidlint.sandbox.core import App, AppSettings, HttpError, Request, Response, Route, json_response
from vidlint.sandbox.fetch import download, is_http_url
from vidlint.sandbox.judge import Judge, Verdict, judge_file

P = "seller.integration."
ERROR_PREFIX = "video.content.api."
CONTENT_TYPES: tuple[str, ...] = get_args(VideoContentType)
MESSAGES = {
    "title.required": "Title is required.",
    "title.length": "Title must be between 3 and 50 characters.",
    "description.length": "Description must be a maximum of 500 characters.",
    "video.url.required": "Video URL is required.",
    "video.url.invalid": "Video URL must start with http:// or https://.",
    "product.content.ids.required": "At least one product content ID is required.",
    "product.content.ids.max": "Product content ID list can contain a maximum of 100 elements.",
    "body.required": "Required fields are missing.",
    "invalid.status": "Invalid sellerIntegrationStatus value. Valid values: IN_PROGRESS, SUCCESS, FAILED.",
    "invalid.store.front.code": "Invalid storeFrontCode value.",
    "video.content.type.invalid": "Invalid videoContentType value.",
}
DOWNLOAD_CODES = {
    "invalid_url": "video.url.invalid",
    "timeout": "video.download.timeout",
    "failed": "video.download.failed",
    "unavailable": "video.download.failed",
    "too_large": "video.size.exceeded",
}


class TrendyolSettings(AppSettings):
    processing_delay_s: float = 1.0  # shortest time a video stays IN_PROGRESS
    approval_delay_s: float = 1.0  # SUCCESS -> isApproved after this long (when auto_approve)
    auto_approve: bool = True
    download_timeout_s: float = 30.0
    max_bytes: int = 500_000_000
    create_per_window: int = 200
    list_per_window: int = 1000
    window_s: float = 60.0
    store_front_codes: list[str] | None = None  # None accepts any non-empty code


@dataclass
class _Video:
    id: str
    body: dict[str, Any]
    verdict: Future[Verdict]
    ready_at: float
    status: str = "IN_PROGRESS"
    error_code: str | None = None
    approved: bool = False
    succeeded_at: float | None = None
    content_ids: list[str] = field(default_factory=list)

    def public(self, base_url: str) -> dict[str, Any]:
        done = self.status == "SUCCESS"
        return {
            "id": self.id,
            "title": self.body.get("title"),
            "description": self.body.get("description", ""),
            "status": self.status,
            "videoUrl": self.body.get("videoUrl"),
            "productContentIds": list(self.content_ids),
            "videoContentType": self.body.get("videoContentType", "PRODUCT_PROMOTION"),
            "errorCode": self.error_code,
            "optimizedVideoUrl": f"{base_url}/optimized/{self.id}/video_hd.mp4" if done else None,
            "isApproved": self.approved,
        }


def _error(status: int, codes: list[str]) -> Response:
    errors = [{"key": P + c, "message": MESSAGES.get(c, c)} for c in codes]
    return json_response({"exception": "ClientApiBusinessException", "errors": errors}, status)


def validate_body(body: Any) -> list[str]:
    """The document's request validations, in its order (codes without the ``seller.integration.`` prefix)."""
    if not isinstance(body, dict) or not body:
        return ["body.required"]
    found: list[str] = []
    title = body.get("title")
    if not isinstance(title, str) or not title.strip():
        found.append("title.required")
    elif not 3 <= len(title) <= 50:
        found.append("title.length")
    description = body.get("description")
    if isinstance(description, str) and len(description) > 500:
        found.append("description.length")
    url = body.get("videoUrl")
    if not url:
        found.append("video.url.required")
    elif not is_http_url(url):
        found.append("video.url.invalid")
    ids = body.get("productContentIds")
    if not isinstance(ids, list) or not ids:
        found.append("product.content.ids.required")
    elif len(ids) > 100:
        found.append("product.content.ids.max")
    if body.get("videoContentType", "PRODUCT_PROMOTION") not in CONTENT_TYPES:
        found.append("video.content.type.invalid")
    return found


class TrendyolApp(App):
    name = "trendyol"
    PATH = r"/integration/product/sellers/(?P<seller>[^/]+)/videos"

    def __init__(
        self,
        settings: TrendyolSettings | None = None,
        *,
        clock: Clock | None = None,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__(clock, data_dir)
        self.settings: TrendyolSettings = settings or TrendyolSettings()
        self.lock = threading.Lock()
        self.videos: dict[str, _Video] = {}
        self._judge = Judge("trendyol", P + "video.format.invalid")

    def routes(self) -> list[Route]:
        return [
            Route("POST", self.PATH, self.create, limit="create", auth=self._authorize),
            Route("GET", self.PATH, self.listing, limit="list", auth=self._authorize),
        ]

    def rate_limits(self) -> dict[str, tuple[int, float]]:
        s = self.settings
        return {"create": (s.create_per_window, s.window_s), "list": (s.list_per_window, s.window_s)}

    def reset(self) -> None:
        with self.lock:
            self.videos.clear()

    def state(self) -> dict[str, Any]:
        with self.lock:
            return {"videos": [self._refresh(v).public("") for v in self.videos.values()]}

    def close(self) -> None:
        self._judge.close()
        super().close()

    # -- handlers ----------------------------------------------------------------------------------
    def _authorize(self, request: Request) -> None:
        if not request.headers.get("authorization", "").startswith("Basic "):
            body = {"exception": "ClientApiAuthenticationException", "message": "unauthorized"}
            raise HttpError(json_response(body, 401))
        code = request.headers.get("storefrontcode", "")
        allowed = self.settings.store_front_codes
        if not code or (allowed is not None and code not in allowed):
            raise HttpError(_error(400, ["invalid.store.front.code"]))

    def create(self, request: Request) -> Response:
        body = request.json()
        problems = validate_body(body)
        if problems:
            return _error(400, problems)
        video_id = str(uuid.uuid4())
        work = self.data_dir / video_id
        work.mkdir()
        verdict = self._judge.run(lambda: self._process(body["videoUrl"], work))
        ready = self.clock.now() + self.settings.processing_delay_s
        ids = [str(i) for i in body["productContentIds"]]
        record = _Video(video_id, body, verdict, ready, content_ids=ids)
        with self.lock:
            self.videos[video_id] = record
        return json_response({"videoId": video_id})

    def listing(self, request: Request) -> Response:
        status = request.arg("sellerIntegrationStatus")
        if status is not None and status not in KNOWN_STATUSES:
            return _error(400, ["invalid.status"])
        try:
            page, size = int(request.arg("page") or 0), int(request.arg("size") or 10)
        except ValueError:
            return _error(400, ["body.required"])
        page, size = max(page, 0), min(max(size, 1), 1000)
        wanted = request.arg("id")
        with self.lock:
            rows = [self._refresh(v) for v in self.videos.values()]
            chosen = [
                v.public(request.base_url)
                for v in rows
                if (status is None or v.status == status) and (wanted is None or v.id == wanted)
            ]
        meta = {"page": page, "total": len(chosen), "totalPage": math.ceil(len(chosen) / size), "size": size}
        return json_response({"meta": meta, "data": chosen[page * size : (page + 1) * size]})

    # -- processing --------------------------------------------------------------------------------
    def _process(self, url: str, work: Path) -> Verdict:
        s = self.settings
        got = download(url, work, timeout_s=s.download_timeout_s, max_bytes=s.max_bytes)
        if got.path is None:
            code = DOWNLOAD_CODES[got.failure or "failed"]
            return Verdict(((P + code, MESSAGES.get(code, code)),))
        return judge_file(got.path, "trendyol", unreadable_code=P + "video.format.invalid")

    def _refresh(self, video: _Video) -> _Video:
        """Move a video along its lifecycle once its time has come (called with the lock held)."""
        now = self.clock.now()
        if video.status == "IN_PROGRESS" and video.verdict.done() and now >= video.ready_at:
            verdict = video.verdict.result()
            if verdict.ok:
                video.status, video.succeeded_at = "SUCCESS", now
                self._release_older(video)
            else:
                video.status, video.error_code = "FAILED", ERROR_PREFIX + verdict.errors[0][0]
        if video.status == "SUCCESS" and self.settings.auto_approve and video.succeeded_at is not None:
            video.approved = video.approved or now >= video.succeeded_at + self.settings.approval_delay_s
        return video

    def _release_older(self, video: _Video) -> None:
        """After SUCCESS, older videos lose their association with the same productContentIds."""
        for other in itertools.takewhile(lambda v: v is not video, self.videos.values()):
            other.content_ids = [c for c in other.content_ids if c not in video.content_ids]
