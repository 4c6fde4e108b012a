"""Akinon Omnitron product videos and images: multipart upload, list (DRF ``next`` pagination),
reorder, delete, make main image, download from an ERP URL. DRF error bodies become findings."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import httpx
from pydantic import TypeAdapter

from vidlint.clients.base import BaseClient, content_type_for, local_path, token_auth
from vidlint.clients.credentials import BaseUrl, Credentials, HeaderToken, load_credentials
from vidlint.clients.errors import ClientConfigError, ProviderError
from vidlint.clients.findings import provider_finding
from vidlint.clients.http import HttpSettings, ProviderHttp, Upload, decode
from vidlint.clients.preflight import CheckFn, Source
from vidlint.clients.redact import redact_url
from vidlint.clients.results import UploadResult
from vidlint.clients.waiting import PollSchedule, ProgressHook
from vidlint.model.report import Finding
from vidlint.packs.builtin import load_pack
from vidlint.providers.akinon.models import Page, ProductImage, ProductVideo, SpecialImage, drf_errors


class AkinonCredentials(Credentials):
    base_url: BaseUrl  # the customer's own Omnitron address
    token: HeaderToken


Kind = Literal["video", "image"]
_PATHS = {"video": "/api/v1/product_video/", "image": "/api/v1/product_image/"}
_MODELS: dict[str, Any] = {"video": ProductVideo, "image": ProductImage}
_SPECIAL = TypeAdapter(SpecialImage)


def _parse_error(response: httpx.Response) -> tuple[tuple[str | None, str], tuple[Finding, ...]]:
    pairs = drf_errors(response.json())
    findings = tuple(provider_finding("akinon", code, msg) for code, msg in pairs if code != "detail")
    first = pairs[0] if pairs else (None, response.reason_phrase)
    return (first[0], first[1]), findings


class AkinonClient(BaseClient):
    marketplace = "akinon"

    def __init__(
        self,
        credentials: AkinonCredentials,
        *,
        settings: HttpSettings | None = None,
        check: CheckFn | None = None,
        page_size: int = 100,
        max_pages: int = 100,
    ) -> None:
        auth = token_auth("Token", credentials.token)
        http = ProviderHttp(
            "akinon",
            credentials.base_url,
            auth=auth,
            settings=settings,
            error_parser=_parse_error,
            secrets=credentials.secret_values(),
        )
        super().__init__(http, check=check)
        self.page_size, self.max_pages = page_size, max_pages

    @classmethod
    def from_env(cls, **kwargs: Any) -> AkinonClient:
        return cls(load_credentials(AkinonCredentials, "akinon"), **kwargs)

    # -- listing ---------------------------------------------------------------------------------------
    def list_videos(self, product: int) -> list[ProductVideo]:
        return list(self._iter("video", product, TypeAdapter(Page[ProductVideo])))

    def list_images(self, product: int) -> list[ProductImage]:
        return list(self._iter("image", product, TypeAdapter(Page[ProductImage])))

    def _iter(self, kind: Kind, product: int, adapter: TypeAdapter[Page[Any]]) -> Iterator[Any]:
        """Follow DRF's ``next`` links, at most ``max_pages`` of them."""
        url: str | None = _PATHS[kind]
        params: dict[str, int] | None = {"limit": self.page_size, "product": product}
        for _ in range(self.max_pages):
            if url is None:
                return
            page = decode(adapter, self._http.call("GET", url, params=params), "akinon")
            yield from page.results
            url, params = page.next, None  # ``next`` carries its own query
            if url is not None and not self._http.same_origin(url):
                raise ProviderError(
                    f"akinon: refusing to follow a next link to another host: {redact_url(url)}",
                    provider="akinon",
                    code="UNEXPECTED_RESPONSE",
                )

    # -- writing ---------------------------------------------------------------------------------------
    def create_video(self, path: Path, product: int) -> ProductVideo:
        created: ProductVideo = self._create("video", path, {"product": str(product)})
        return created

    def create_image(self, path: Path, product: int, source: str = "integration") -> ProductImage:
        created: ProductImage = self._create("image", path, {"product": str(product), "source": source})
        return created

    def _create(self, kind: Kind, path: Path, fields: dict[str, str]) -> Any:
        """Multipart POST, the file streamed from disk. A retry after an ambiguous failure first looks
        for a new item on the product, so it never uploads the file twice."""
        product = int(fields["product"])
        adapter = TypeAdapter(_MODELS[kind])
        before = {item.pk for item in self._list(kind, product)}
        files: dict[str, Upload] = {kind: Upload(path, content_type_for(path))}

        def attempt() -> Any:
            return decode(
                adapter, self._http.attempt("POST", _PATHS[kind], data=fields, files=files), "akinon"
            )

        def already_created() -> Any:
            fresh = [item for item in self._list(kind, product) if item.pk not in before]
            return max(fresh, key=lambda item: item.pk) if fresh else None

        return self._http.retrying(attempt, idempotent=False, recover=already_created, what=f"akinon {kind}")

    def _list(self, kind: Kind, product: int) -> list[Any]:
        return self.list_videos(product) if kind == "video" else self.list_images(product)

    def reorder(self, kind: Kind, pk: int, order: int) -> Any:
        """PATCH the item's ``order`` (0 first)."""
        response = self._http.call(
            "PATCH", f"{_PATHS[kind]}{pk}/", json={"pk": pk, "order": order}, idempotent=True
        )
        return decode(TypeAdapter(_MODELS[kind]), response, "akinon")

    def delete(self, kind: Kind, pk: int) -> None:
        self._http.call("DELETE", f"{_PATHS[kind]}{pk}/")

    def make_main_image(self, pk: int, special_image_type: str = "base") -> str:
        body = {"_pk": pk, "special_image_type": special_image_type, "_detailed": "make_special"}
        response = self._http.call("POST", f"{_PATHS['image']}{pk}/make_special/", json=body, idempotent=True)
        answer = decode(_SPECIAL, response, "akinon")
        return answer.special_image_type or special_image_type

    def download_image(
        self,
        product: int,
        url: str,
        *,
        image_type: str = "default",
        order: int = 0,
        source: str = "integration",
    ) -> None:
        """Ask Omnitron to fetch an image from the ERP's URL into the product's images."""
        body = {"url": url, "image_type": image_type, "product": product, "order": order, "source": source}
        self._http.call(
            "POST", f"/api/v1/downloadable_image/{product}/download/", json=body, idempotent=False
        )

    # -- the whole flow --------------------------------------------------------------------------------
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
        """Upload a product video, or a product image for a file the akinon pack takes as one (``.png``,
        ``.jpg``, ``.jpeg``: its ``inputs.image``). Metadata: ``product`` (the product's pk); for an image
        also ``source`` (integration, the default, or unified). Omnitron answers at once: nothing to wait
        for, and the created item is live (``approved`` True)."""
        report = self.preflight(source, metadata=metadata, caption=caption, force=force)
        path = local_path(source)
        if path is None:
            raise ClientConfigError(
                "akinon takes a file upload: give a local path (or use download_image for image URLs)"
            )
        try:
            product = int(metadata["product"])
        except (KeyError, TypeError, ValueError):
            raise ClientConfigError("akinon needs metadata product=<product pk>") from None
        kind = kind_of(path)
        item: ProductVideo | ProductImage
        if kind == "image":
            item = self.create_image(path, product, str(metadata.get("source") or "integration"))
        else:
            item = self.create_video(path, product)
        return UploadResult(
            marketplace="akinon",
            source=str(source),
            remote_id=str(item.pk),
            ids={"pk": str(item.pk), "product": str(product)},
            status="CREATED",
            done=True,
            accepted=True,
            approved=True,
            notes=(f"uploaded as a product {kind} ({_PATHS[kind]})",),
            preflight=report,
            forced=force,
        )


def kind_of(path: Path) -> Kind:
    """Which endpoint a file goes to: the pack's image extensions (``inputs.image``) to product_image,
    anything else to product_video, as the pre-flight judged it."""
    return "image" if load_pack("akinon").role_of(path.suffix) == "image" else "video"
