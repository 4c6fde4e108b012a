"""Sam's Club Media API on Walmart's gateway: allocate, PUT the file (and caption), complete, poll, rename.

Upload URLs expire 15 minutes after allocation: a PUT refused for an expired signature (or one the
client's own clock says is about to expire) re-allocates and starts the PUTs again, up to
``max_reallocations`` times. The account limits (10 pending upload requests, 200 videos) surface as
LimitExceeded. Polling follows the document's advice (first look after ~30 min, then every 15 min, for 4 h;
a client whose base URL is on loopback, a sandbox, looks every 0.5 s); each step is reported to
``on_progress``. Any status the client does not know is treated as still in progress, and said so.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import httpx
from pydantic import SecretStr, field_validator
from pydantic_core import PydanticCustomError

from vidlint.clients.base import BaseClient, content_type_for, local_path
from vidlint.clients.credentials import (
    BaseUrl,
    Credentials,
    HeaderText,
    HeaderToken,
    PrivateKey,
    load_credentials,
)
from vidlint.clients.errors import (
    AuthError,
    ClientConfigError,
    LimitExceeded,
    NotFound,
    ProviderError,
    ValidationFailed,
)
from vidlint.clients.findings import provider_finding
from vidlint.clients.http import HttpSettings, ProviderHttp, decode
from vidlint.clients.preflight import CheckFn, Source
from vidlint.clients.results import UploadResult, unknown_status_notes
from vidlint.clients.signing import Signer, WalmartRsaSigner, rsa_key_problem
from vidlint.clients.waiting import PollSchedule, ProgressHook, poll_until, progress_reporter
from vidlint.model.report import Finding
from vidlint.providers.samsclub import PROVIDER
from vidlint.providers.samsclub.models import (
    ALLOCATIONS,
    COMPLETIONS,
    KNOWN_STATUSES,
    MEDIA,
    RENAMES,
    Allocation,
    Completion,
    MediaDetails,
)


class SamsClubCredentials(Credentials):
    base_url: BaseUrl = "https://developer.api.walmart.com/api-proxy/service/sp/api-sams/v1"
    advertiser_id: int
    consumer_id: HeaderText
    auth_token: HeaderToken
    private_key: PrivateKey  # PEM, or the bare base64 body; or ``private_key_file``: the file holding it
    key_version: HeaderText = "1"

    file_fields: ClassVar[tuple[str, ...]] = ("private_key",)

    @field_validator("private_key")
    @classmethod
    def _rsa(cls, value: SecretStr) -> SecretStr:
        """Refused when read (one line naming where it came from), not when the first request is signed."""
        problem = rsa_key_problem(value.get_secret_value())
        if problem is not None:
            raise PydanticCustomError("credential_format", problem)
        return value


log = logging.getLogger(__name__)
# The gateway words its account limits (10 pending upload requests, 200 videos) only in prose.
LIMITS = (
    (re.compile(r"maximum number of \d+ media upload requests"), "E_PENDING_LIMIT"),
    (re.compile(r"limit of \d+ videos"), "E_VIDEO_LIMIT"),
)


@dataclass(frozen=True)
class SamsClubTiming:
    # The document: processing takes ~30 minutes; poll 30 minutes after uploading, then every 15 minutes,
    # for 4 hours (PROVIDER.wait). A client on a loopback base URL (a sandbox) polls fast by default.
    wait: PollSchedule = field(default_factory=PROVIDER.default_wait)
    url_ttl_s: float = 900.0  # upload URLs expire 15 minutes after allocation
    url_margin_s: float = 60.0  # re-allocate before a PUT when less than this is left
    max_reallocations: int = 2


@dataclass
class _Slot:
    allocation: Allocation
    at: float  # client clock when allocated


def _parse_error(response: httpx.Response) -> tuple[tuple[str | None, str], tuple[Finding, ...]]:
    body = response.json()
    item = body[0] if isinstance(body, list) and body else body
    if not isinstance(item, dict):
        return (None, response.reason_phrase), ()
    text = str(item.get("details") or item.get("message") or response.reason_phrase)
    findings = tuple(
        provider_finding("samsclub", e["code"], e.get("message") or None)
        for e in item.get("errors") or []
        if isinstance(e, dict) and e.get("code")
    )
    code = next((c for pattern, c in LIMITS if pattern.search(text)), None)
    return (code, text), findings


def _status_word(media: MediaDetails) -> str:
    return media.status


def approval(status: str) -> bool | None:
    """AVAILABLE is the media live (approved), FAILED rejected; anything else is still pending."""
    return {"AVAILABLE": True, "FAILED": False}.get(status)


def _url_expired(err: ProviderError) -> bool:
    return isinstance(err, AuthError) and err.status == 403


class SamsClubClient(BaseClient):
    marketplace = "samsclub"

    def __init__(
        self,
        credentials: SamsClubCredentials,
        *,
        settings: HttpSettings | None = None,
        timing: SamsClubTiming | None = None,
        signer: Signer | None = None,
        check: CheckFn | None = None,
    ) -> None:
        token = credentials.auth_token.get_secret_value()
        gateway = signer or WalmartRsaSigner(
            credentials.consumer_id, credentials.private_key.get_secret_value(), credentials.key_version
        )

        def auth() -> dict[str, str]:
            return {"Authorization": f"Bearer {token}", **gateway.headers()}

        http = ProviderHttp(
            "samsclub",
            credentials.base_url,
            auth=auth,
            settings=settings,
            error_parser=_parse_error,
            secrets=credentials.secret_values(),
        )
        super().__init__(http, check=check)
        self.advertiser_id = credentials.advertiser_id
        self.timing = timing or SamsClubTiming(wait=PROVIDER.default_wait(credentials.base_url))

    @classmethod
    def from_env(cls, **kwargs: Any) -> SamsClubClient:
        return cls(load_credentials(SamsClubCredentials, "samsclub"), **kwargs)

    # -- the API's calls -----------------------------------------------------------------------------
    def allocate(self) -> Allocation:
        """POST /api/v1/media/upload. Repeating it is safe: an unused allocation expires, making no media."""
        params = {"advertiserId": self.advertiser_id}
        body = {"mediaType": "video", "advertiserId": self.advertiser_id}
        try:
            response = self._http.call(
                "POST", "/api/v1/media/upload", params=params, json=body, idempotent=True
            )
        except ValidationFailed as err:
            if err.code in {code for _, code in LIMITS}:
                raise LimitExceeded(str(err), provider="samsclub", code=err.code, status=err.status) from None
            raise
        allocation: Allocation = decode(ALLOCATIONS, response, "samsclub")[0]
        if allocation.code.lower() != "success" or not allocation.uploadUrl:
            raise ProviderError(
                f"samsclub: allocation refused: {allocation.details}",
                provider="samsclub",
                code="E_ALLOCATION",
            )
        return allocation

    def put_file(self, url: str, path: Path) -> None:
        """PUT a file to a pre-signed upload URL, streamed from disk (no gateway credentials are sent)."""
        headers = {"x-ms-blob-type": "BlockBlob", "Content-Type": content_type_for(path)}
        self._http.call("PUT", url, body_path=path, headers=headers, authenticated=False)

    def complete(self, request_id: int, media_name: str) -> Completion:
        """PUT /api/v1/media/complete. A retry first looks for the media it may already have made."""
        body = {
            "advertiserId": self.advertiser_id,
            "mediaName": media_name,
            "mediaUploadRequestId": request_id,
        }
        before = {m.mediaId for m in self._named(media_name)}

        def attempt() -> Completion:
            response = self._http.attempt("PUT", "/api/v1/media/complete", json=body)
            done: Completion = decode(COMPLETIONS, response, "samsclub")[0]
            return done

        def already_completed() -> Completion | None:
            fresh = [m for m in self._named(media_name) if m.mediaId not in before]
            return Completion(mediaId=max(m.mediaId for m in fresh)) if fresh else None

        return self._http.retrying(
            attempt, idempotent=False, recover=already_completed, what="samsclub complete"
        )

    def list_media(self, *, media_id: int | None = None, status: str | None = None) -> list[MediaDetails]:
        params: dict[str, str | int] = {"advertiserId": self.advertiser_id}
        if media_id is not None:
            params["mediaId"] = media_id
        if status is not None:
            params["status"] = status
        try:
            response = self._http.call("GET", "/api/v1/media", params=params)
        except NotFound:  # "MediaDetails not found": an empty list, not an error
            return []
        return decode(MEDIA, response, "samsclub")

    def get_media(self, media_id: int) -> MediaDetails:
        for media in self.list_media(media_id=media_id):
            if media.mediaId == media_id:
                return media
        raise NotFound(f"samsclub: no media {media_id}", provider="samsclub", code="NOT_FOUND", status=404)

    def rename(self, media_id: int, media_name: str) -> int:
        """PUT /api/v1/media: a new name for a media (same rules as at completion)."""
        body = {"advertiserId": self.advertiser_id, "mediaName": media_name, "mediaId": media_id}
        response = self._http.call("PUT", "/api/v1/media", json=body)
        renamed = decode(RENAMES, response, "samsclub")[0]
        return renamed.mediaId or media_id

    def wait_for(
        self,
        media_id: int,
        schedule: PollSchedule | None = None,
        *,
        on_progress: ProgressHook | None = None,
    ) -> tuple[MediaDetails, bool]:
        """Poll until AVAILABLE or FAILED; an unknown status means still in progress. Each step is logged
        and handed to ``on_progress``."""

        def fetch() -> MediaDetails:
            media = self.get_media(media_id)
            if media.status not in KNOWN_STATUSES:
                log.warning(
                    "samsclub: media %s reports unknown status %r; still waiting", media_id, media.status
                )
            return media

        report = progress_reporter("samsclub", f"mediaId {media_id}", _status_word, "PENDING", on_progress)
        outcome = poll_until(
            fetch,
            lambda m: m.status in ("AVAILABLE", "FAILED"),
            schedule or self.timing.wait,
            self._http.clock,
            report=report,
        )
        return outcome.state, outcome.done

    # -- the whole flow ------------------------------------------------------------------------------
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
    ) -> UploadResult:
        report = self.preflight(source, metadata=metadata, caption=caption, force=force)
        video, subtitles = local_path(source), local_path(caption) if caption is not None else None
        name = str(metadata.get("mediaName") or "")
        if video is None or (caption is not None and subtitles is None):
            raise ClientConfigError("samsclub uploads local files: give a file path, not a URL")
        if not name:
            raise ClientConfigError("samsclub needs metadata mediaName (1-45 letters, digits, spaces)")
        slot = self._upload_files(video, subtitles)
        request_id = slot.allocation.mediaUploadRequestId or 0
        completion = self.complete(request_id, name)
        waiting = (wait_schedule or self.timing.wait, on_progress) if wait else None
        return self._finish(str(source), request_id, completion, report, force, waiting)

    def _upload_files(self, video: Path, caption: Path | None) -> _Slot:
        reallocations = 0
        while True:
            slot = _Slot(self.allocate(), self._http.clock.now())
            try:
                self._put_all(slot, video, caption)
                return slot
            except ProviderError as err:
                if not _url_expired(err) or reallocations >= self.timing.max_reallocations:
                    raise
                reallocations += 1
                log.info("samsclub: upload URL expired; allocating a new one (%d)", reallocations)

    def _put_all(self, slot: _Slot, video: Path, caption: Path | None) -> None:
        for url, path in ((slot.allocation.uploadUrl, video), (slot.allocation.captionUrl, caption)):
            if path is None:
                continue
            if url is None:
                raise ProviderError("samsclub: the allocation has no caption URL", provider="samsclub")
            left = self.timing.url_ttl_s - (self._http.clock.now() - slot.at)
            if left < self.timing.url_margin_s:
                raise AuthError("samsclub: upload URL about to expire", provider="samsclub", status=403)
            self.put_file(url, path)

    def _named(self, name: str) -> list[MediaDetails]:
        return [m for m in self.list_media() if m.name == name]

    def _finish(
        self,
        source: str,
        request_id: int,
        completion: Completion,
        report: Any,
        forced: bool,
        waiting: tuple[PollSchedule, ProgressHook | None] | None,
    ) -> UploadResult:
        early = tuple(
            provider_finding("samsclub", e.code, e.message or None) for e in completion.errors if e.code
        )
        if completion.code.lower() != "success" or completion.mediaId is None:
            raise ValidationFailed(
                f"samsclub: completion refused: {completion.details}",
                provider="samsclub",
                code="E_COMPLETE",
                findings=early,
            )
        media_id = completion.mediaId
        media, done = (None, False)
        if waiting is not None:
            media, done = self.wait_for(media_id, waiting[0], on_progress=waiting[1])
        status = media.status if media else "PENDING"
        failed = (
            tuple(provider_finding("samsclub", code) for code in media.codes)
            if media and status == "FAILED"
            else ()
        )
        return UploadResult(
            marketplace="samsclub",
            source=source,
            remote_id=str(media_id),
            ids={"mediaUploadRequestId": str(request_id), "mediaId": str(media_id)},
            status=status,
            done=done,
            accepted={"AVAILABLE": True, "FAILED": False}.get(status),
            approved=approval(status),
            findings=early + failed,
            notes=unknown_status_notes(status, KNOWN_STATUSES),
            preflight=report,
            forced=forced,
        )
