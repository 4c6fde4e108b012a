"""Ecwid: bulk update of a product's main and gallery media by URL.

An empty ``galleryMedia`` list erases the product's gallery, so this client sends one only when the
caller passes ``erase_gallery=True``; a field it does not mean to change goes out as an explicit
``null`` ("no change"), never left out (one reading of the document deletes a left-out gallery).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx
from pydantic import TypeAdapter

from vidlint.clients.base import BaseClient, Publisher, local_path, token_auth
from vidlint.clients.credentials import BaseUrl, Credentials, HeaderToken, load_credentials
from vidlint.clients.errors import ClientConfigError
from vidlint.clients.findings import provider_finding
from vidlint.clients.http import HttpSettings, ProviderHttp, decode
from vidlint.clients.preflight import CheckFn, Source
from vidlint.clients.results import UploadResult
from vidlint.clients.waiting import PollSchedule, ProgressHook
from vidlint.model.report import Finding
from vidlint.model.source import is_url
from vidlint.providers.ecwid.models import ErrorBody, MediaItem, MediaItemResult, MediaUpdateResult, Product


class EcwidCredentials(Credentials):
    base_url: BaseUrl = "https://app.ecwid.com"
    store_id: int
    token: HeaderToken


_RESULT = TypeAdapter(MediaUpdateResult)
_PRODUCT = TypeAdapter(Product)
_ERROR = TypeAdapter(ErrorBody)


def _parse_error(response: httpx.Response) -> tuple[tuple[str | None, str], tuple[Finding, ...]]:
    body = _ERROR.validate_json(response.content)
    message = body.errorMessage or response.reason_phrase
    findings = (provider_finding("ecwid", body.errorCode, body.errorMessage),) if body.errorCode else ()
    return (body.errorCode, message), findings


def media_body(
    main: MediaItem | None, gallery: Sequence[MediaItem] | None, *, erase_gallery: bool
) -> dict[str, Any]:
    """The request body; the one place that decides whether an empty gallery list may go out."""
    if erase_gallery and gallery:
        raise ClientConfigError("ecwid: erase_gallery=True contradicts a non-empty gallery")
    if gallery is not None and not gallery and not erase_gallery:
        raise ClientConfigError("ecwid: an empty gallery erases it; pass erase_gallery=True to mean that")
    if main is None and gallery is None and not erase_gallery:
        raise ClientConfigError("ecwid: nothing to update (give main, gallery or erase_gallery=True)")
    items = [] if erase_gallery else None if gallery is None else [g.body() for g in gallery]
    return {"mainMedia": main.body() if main is not None else None, "galleryMedia": items}


class EcwidClient(BaseClient):
    marketplace = "ecwid"
    takes_publisher = True

    def __init__(
        self,
        credentials: EcwidCredentials,
        *,
        settings: HttpSettings | None = None,
        publisher: Publisher | None = None,
        check: CheckFn | None = None,
    ) -> None:
        auth = token_auth("Bearer", credentials.token)
        http = ProviderHttp(
            "ecwid",
            credentials.base_url,
            auth=auth,
            settings=settings,
            error_parser=_parse_error,
            secrets=credentials.secret_values(),
        )
        super().__init__(http, check=check)
        self._products = f"/api/v3/{credentials.store_id}/products"
        self._publisher = publisher

    @classmethod
    def preflight_metadata(cls, metadata: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
        """The request body is built by this client (and always valid): only the source is judged."""
        return None

    @classmethod
    def from_env(cls, **kwargs: Any) -> EcwidClient:
        return cls(load_credentials(EcwidCredentials, "ecwid"), **kwargs)

    def get_product(self, product_id: int) -> Product:
        return decode(_PRODUCT, self._http.call("GET", f"{self._products}/{product_id}"), "ecwid")

    def update_media(
        self,
        product_id: int,
        *,
        main: MediaItem | None = None,
        gallery: Sequence[MediaItem] | None = None,
        erase_gallery: bool = False,
    ) -> MediaUpdateResult:
        """PUT the product's media (a replacement, so repeating it is safe). 422 answers raise
        ValidationFailed carrying the code as a finding; per-item failures are in the result."""
        body = media_body(main, gallery, erase_gallery=erase_gallery)
        response = self._http.call("PUT", f"{self._products}/{product_id}/media", json=body, idempotent=True)
        return decode(_RESULT, response, "ecwid")

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
        """Set a product's video by URL (metadata: ``productId``; ``placement`` "main", the default, or
        "gallery" to append to the gallery). Everything else on the product is sent back unchanged.
        Ecwid answers at once, per item: ``approved`` is True when the video landed, False when not."""
        if not is_url(source) and (publisher or self._publisher) is None:
            raise self.no_publisher()
        report = self.preflight(source, metadata=metadata, caption=caption, force=force)
        product_id, placement = _target(metadata)
        url = self._url_for(source, publisher)
        current = self.get_product(product_id)
        if placement == "main":
            result = self.update_media(
                product_id, main=MediaItem(videoUrl=url, imageUrl=current.main_item().imageUrl)
            )
            mine = result.main_results
        else:
            result = self.update_media(
                product_id, gallery=[*current.gallery_items(), MediaItem(videoUrl=url)]
            )
            mine = (result.galleryMedia or [])[-1:]
        return _result(str(source), product_id, mine, report, force)

    def _url_for(self, source: Source, publisher: Publisher | None) -> str:
        path = local_path(source)
        if path is None:
            return str(source)
        publish = publisher or self._publisher
        if publish is None:
            raise self.no_publisher()
        return publish(path)


def _target(metadata: Mapping[str, Any]) -> tuple[int, str]:
    placement = str(metadata.get("placement", "main"))
    if placement not in ("main", "gallery"):
        raise ClientConfigError("ecwid metadata placement must be main or gallery")
    try:
        return int(metadata["productId"]), placement
    except (KeyError, TypeError, ValueError):
        raise ClientConfigError("ecwid needs metadata productId=<product id>") from None


def _result(
    source: str, product_id: int, mine: list[MediaItemResult], report: Any, forced: bool
) -> UploadResult:
    failed = [r for r in mine if not r.success]
    findings = tuple(
        provider_finding("ecwid", r.errorCode or "DOWNLOAD_VIDEO_FAILED", r.errorMessage) for r in failed
    )
    ids = {"productId": str(product_id)}
    landed = [r.id for r in mine if r.success and r.id is not None]
    if landed:
        ids["mediaId"] = landed[0]
    return UploadResult(
        marketplace="ecwid",
        source=source,
        remote_id=str(product_id),
        ids=ids,
        status="FAILED" if failed else "UPDATED",
        done=True,
        accepted=not failed,
        approved=not failed,
        findings=findings,
        preflight=report,
        forced=forced,
    )
