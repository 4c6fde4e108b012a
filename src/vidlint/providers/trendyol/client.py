"""Trendyol seller video API: create from a URL, list / query, wait for SUCCESS + isApproved or FAILED.

The document gives the bodies, headers, codes and limits but not the path: ``videos_path`` defaults to
the product-integration gateway's seller namespace and can be changed per client.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import TypeAdapter, ValidationError

from vidlint.clients.base import BaseClient, Publisher, local_path
from vidlint.clients.credentials import BaseUrl, Credentials, HeaderText, PathPart, Token, load_credentials
from vidlint.clients.errors import ClientConfigError, NotFound
from vidlint.clients.findings import provider_finding
from vidlint.clients.http import HttpSettings, ProviderHttp, decode
from vidlint.clients.preflight import CheckFn, Source
from vidlint.clients.ratelimit import RateLimiter
from vidlint.clients.results import UploadResult, unknown_status_notes
from vidlint.clients.waiting import PollSchedule, ProgressHook, poll_until, progress_reporter
from vidlint.model.report import Finding
from vidlint.model.source import is_url
from vidlint.providers.trendyol import PROVIDER
from vidlint.providers.trendyol.models import (
    KNOWN_STATUSES,
    CreatedVideo,
    CreateVideoRequest,
    ErrorBody,
    Video,
    VideoPage,
    split_ids,
)


class TrendyolCredentials(Credentials):
    base_url: BaseUrl = "https://apigw.trendyol.com"
    seller_id: PathPart  # in the request path and the User-Agent header
    api_key: Token  # the pair goes out base64-encoded (Basic)
    api_secret: Token
    store_front_code: HeaderText


log = logging.getLogger(__name__)
ACTIVE_VIDEO_CODE = "seller.integration.video.active.exists"
_PAGE = TypeAdapter(VideoPage)
_CREATED = TypeAdapter(CreatedVideo)
_ERROR = TypeAdapter(ErrorBody)


@dataclass(frozen=True)
class TrendyolTiming:
    create_per_window: int = 200  # documented: 200 create requests a minute
    list_per_window: int = 1000  # documented: 1000 list requests a minute
    window_s: float = 60.0
    # PROVIDER.wait: first look after 10 s, then every 30 s, for an hour; a client on a loopback base URL
    # (a sandbox) polls fast by default.
    wait: PollSchedule = field(default_factory=PROVIDER.default_wait)
    scan_page_size: int = 100
    max_scan_pages: int = 50  # bound on listing scans (active-video check, duplicate check)


def _parse_error(response: httpx.Response) -> tuple[tuple[str | None, str], tuple[Finding, ...]]:
    body = _ERROR.validate_json(response.content)
    items = [(item.key or item.code, item.message) for item in body.errors]
    findings = tuple(provider_finding("trendyol", code, msg or None) for code, msg in items if code)
    first = items[0] if items else (None, body.message or response.reason_phrase)
    return first, findings


class TrendyolClient(BaseClient):
    marketplace = "trendyol"
    takes_publisher = True

    def __init__(
        self,
        credentials: TrendyolCredentials,
        *,
        settings: HttpSettings | None = None,
        timing: TrendyolTiming | None = None,
        publisher: Publisher | None = None,
        check: CheckFn | None = None,
        videos_path: str = "/integration/product/sellers/{seller_id}/videos",
    ) -> None:
        pair = f"{credentials.api_key.get_secret_value()}:{credentials.api_secret.get_secret_value()}"
        basic = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
        store = credentials.store_front_code

        def auth() -> dict[str, str]:
            return {"Authorization": basic, "storeFrontCode": store}

        user_agent = {"User-Agent": f"{credentials.seller_id} - SelfIntegration"}
        http = ProviderHttp(
            "trendyol",
            credentials.base_url,
            auth=auth,
            settings=settings,
            error_parser=_parse_error,
            headers=user_agent,
            secrets=credentials.secret_values(),
        )
        super().__init__(http, check=check)
        self.timing = timing or TrendyolTiming(wait=PROVIDER.default_wait(credentials.base_url))
        clock = http.clock
        self._create_limit = RateLimiter(self.timing.create_per_window, self.timing.window_s, clock)
        self._list_limit = RateLimiter(self.timing.list_per_window, self.timing.window_s, clock)
        self._publisher = publisher
        self._path = videos_path.format(seller_id=credentials.seller_id)

    @classmethod
    def preflight_metadata(cls, metadata: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
        """The body as it will be sent: "1,2" (as typed on a command line) is the list ["1", "2"]."""
        if metadata is None or not isinstance(metadata.get("productContentIds"), str):
            return metadata
        return {**metadata, "productContentIds": split_ids(metadata["productContentIds"])}

    @classmethod
    def from_env(cls, **kwargs: Any) -> TrendyolClient:
        return cls(load_credentials(TrendyolCredentials, "trendyol"), **kwargs)

    # -- listing -----------------------------------------------------------------------------------
    def list_videos(
        self, *, status: str | None = None, video_id: str | None = None, page: int = 0, size: int = 10
    ) -> VideoPage:
        params: dict[str, str | int] = {"page": page, "size": size}
        if status is not None:
            params["sellerIntegrationStatus"] = status
        if video_id is not None:
            params["id"] = video_id
        response = self._http.call("GET", self._path, params=params, limiter=self._list_limit)
        return decode(_PAGE, response, "trendyol")

    def iter_videos(self, *, status: str | None = None, size: int | None = None) -> Iterator[Video]:
        """Every video (optionally of one status), page by page, up to ``max_scan_pages`` pages."""
        size = size or self.timing.scan_page_size
        for page in range(self.timing.max_scan_pages):
            batch = self.list_videos(status=status, page=page, size=size)
            yield from batch.data
            if page + 1 >= batch.meta.totalPage or not batch.data:
                return

    def get_video(self, video_id: str) -> Video:
        for video in self.list_videos(video_id=video_id, size=1).data:
            if video.id == video_id:
                return video
        raise NotFound(f"trendyol: no video {video_id}", provider="trendyol", code="NOT_FOUND", status=404)

    def active_videos(self) -> list[Video]:
        """Videos that count as active for their productContentIds: in progress or succeeded."""
        return [v for status in ("IN_PROGRESS", "SUCCESS") for v in self.iter_videos(status=status)]

    # -- creating ----------------------------------------------------------------------------------
    def create_video(self, request: CreateVideoRequest, *, known: Iterable[Video] | None = None) -> str:
        """POST the video; a retry after an ambiguous failure first looks for the video it may have made."""
        before = {v.id for v in (self.active_videos() if known is None else known)}

        def attempt() -> str:
            response = self._http.attempt("POST", self._path, json=request.body(), limiter=self._create_limit)
            return decode(_CREATED, response, "trendyol").videoId

        def already_created() -> str | None:
            # A create that failed at once is not active and is not looked for: repeating it is harmless.
            for video in self.active_videos():
                if video.id not in before and _same_request(video, request):
                    return video.id
            return None

        return self._http.retrying(attempt, idempotent=False, recover=already_created, what="trendyol create")

    def wait_for(
        self,
        video_id: str,
        schedule: PollSchedule | None = None,
        *,
        on_progress: ProgressHook | None = None,
    ) -> tuple[Video, bool]:
        """Poll until FAILED or SUCCESS + isApproved. Returns the last state and whether it finished; each
        step is logged and handed to ``on_progress``."""

        def fetch() -> Video:
            video = self.get_video(video_id)
            if video.status not in KNOWN_STATUSES:
                log.warning("trendyol: video %s has unknown status %r; still waiting", video_id, video.status)
            return video

        report = progress_reporter(
            "trendyol", f"videoId {video_id}", _status_word, "IN_PROGRESS", on_progress
        )
        outcome = poll_until(
            fetch, lambda v: v.finished, schedule or self.timing.wait, self._http.clock, report=report
        )
        return outcome.state, outcome.done

    # -- the whole flow ----------------------------------------------------------------------------
    def upload(
        self,
        source: Source,
        *,
        metadata: Mapping[str, Any],
        caption: Source | None = None,
        force: bool = False,
        wait: bool = False,
        wait_schedule: PollSchedule | None = None,
        on_progress: ProgressHook | None = None,
        publisher: Publisher | None = None,
    ) -> UploadResult:
        path = local_path(source)
        publish = publisher or self._publisher
        if not is_url(source) and publish is None:
            raise self.no_publisher()
        report = self.preflight(source, metadata=metadata, caption=caption, force=force)
        request = _request_from(metadata, str(source) if path is None else "https://placeholder.invalid/")
        active = self.active_videos()
        warnings = _active_warnings(active, request.productContentIds)
        if path is not None and publish is not None:
            request = request.model_copy(update={"videoUrl": publish(path)})
        video_id = self.create_video(request, known=active)
        video, done = (None, False)
        if wait:
            video, done = self.wait_for(video_id, wait_schedule, on_progress=on_progress)
        return _result(str(source), video_id, video, done, report, force, warnings)


def _status_word(video: Video) -> str:
    return "SUCCESS, not approved yet" if video.status == "SUCCESS" and not video.isApproved else video.status


def approval(video: Video | None) -> bool | None:
    """SUCCESS with isApproved is live (True), FAILED rejected (False); anything else is still pending."""
    if video is None:
        return None
    if video.status == "FAILED":
        return False
    return True if video.status == "SUCCESS" and video.isApproved else None


def _request_from(metadata: Mapping[str, Any], url: str) -> CreateVideoRequest:
    try:
        return CreateVideoRequest.from_metadata(metadata, url)
    except ValidationError as exc:
        names = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
        raise ClientConfigError(f"trendyol metadata is incomplete or malformed: {names}") from None


def _same_request(video: Video, request: CreateVideoRequest) -> bool:
    return (
        video.videoUrl == request.videoUrl
        and video.title == request.title
        and set(video.productContentIds) == set(request.productContentIds)
    )


def _active_warnings(active: list[Video], content_ids: list[str]) -> tuple[Finding, ...]:
    wanted = set(content_ids)
    found = []
    for video in active:
        for cid in sorted(wanted.intersection(video.productContentIds)):
            message = (
                f"productContentId {cid} already has an active video {video.id} ({video.status}); "
                "the new one replaces it once it succeeds"
            )
            found.append(provider_finding("trendyol", ACTIVE_VIDEO_CODE, message, severity="warning"))
    return tuple(found)


def _result(
    source: str,
    video_id: str,
    video: Video | None,
    done: bool,
    report: Any,
    forced: bool,
    warnings: tuple[Finding, ...],
) -> UploadResult:
    status = video.status if video else "IN_PROGRESS"
    failure: tuple[Finding, ...] = ()
    if video is not None and video.status == "FAILED":
        failure = (provider_finding("trendyol", video.pack_code or "seller.integration.video.failed"),)
    accepted = {"SUCCESS": True, "FAILED": False}.get(status)
    return UploadResult(
        marketplace="trendyol",
        source=source,
        remote_id=video_id,
        ids={"videoId": video_id},
        status=status,
        done=done,
        accepted=accepted,
        approved=approval(video),
        findings=warnings + failure,
        notes=unknown_status_notes(status, KNOWN_STATUSES),
        preflight=report,
        forced=forced,
    )
