"""Ecwid's bulk media update by URL: links checked and fetched as Ecwid does, the product's media kept.

Decisions where the document is vague (written here so users of the sandbox know what it plays):
a link that is not an absolute http(s) URL answers 422 WRONG_URL; a video on a platform Ecwid does
not support (``unsupported_hosts``) 422 VIDEO_NOT_SUPPORTED; one on a supported platform
(``platform_hosts``) is taken without fetching; a direct video link that answers 401/403/404/410 is
422 VIDEO_UNAVAILABLE, one whose content is not a video 422 NOT_VIDEO_URL; any other failure to fetch
is the item's DOWNLOAD_VIDEO_FAILED (DOWNLOAD_IMAGE_FAILED for images, also when not an image).
A left-out or null mainMedia / galleryMedia changes nothing, an empty galleryMedia erases the gallery,
and both left out is 400 MEDIA_FIELDS_MISSING. A gallery is replaced only when every one of its new
items could be fetched (otherwise it stays as it was and the failing items say why).
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from vidlint.clients.clock import Clock
from vidlint.errors import VidlintError
from vidlint.sandbox.core import App, AppSettings, HttpError, Request, Response, Route, json_response
from vidlint.sandbox.fetch import download, is_http_url

MESSAGES = {
    "WRONG_URL": "That link doesn't look right. Make sure you are pasting the correct link.",
    "NOT_VIDEO_URL": "This is not a link to a video. Make sure you are pasting the correct link.",
    "VIDEO_NOT_SUPPORTED": "Sorry, videos on this platform are not supported.",
    "VIDEO_UNAVAILABLE": "This video can't be accessed. Make sure anyone can view the video you link.",
    "DOWNLOAD_VIDEO_FAILED": "The video could not be downloaded.",
    "DOWNLOAD_IMAGE_FAILED": "The image could not be downloaded.",
}


class EcwidSettings(AppSettings):
    download_timeout_s: float = 10.0
    max_bytes: int = 500_000_000
    platform_hosts: tuple[str, ...] = ("youtube.com", "youtu.be", "vimeo.com")
    unsupported_hosts: tuple[str, ...] = ("tiktok.com", "dailymotion.com", "facebook.com")
    requests_per_window: int = 600
    window_s: float = 60.0


@dataclass
class _Product:
    main_image: str | None = None
    main_video: str | None = None
    gallery: list[dict[str, str]] = field(default_factory=list)

    def public(self, product_id: int) -> dict[str, Any]:
        images = (
            [{"id": "0", "isMain": True, "orderBy": 0, "imageOriginalUrl": self.main_image}]
            if self.main_image
            else []
        )
        videos = (
            [{"id": "v0", "isMain": True, "orderBy": 0, "url": self.main_video}] if self.main_video else []
        )
        for order, item in enumerate(self.gallery, start=1):
            if "imageUrl" in item:
                images.append(
                    {
                        "id": str(order),
                        "isMain": False,
                        "orderBy": order,
                        "imageOriginalUrl": item["imageUrl"],
                    }
                )
            else:
                videos.append({"id": f"v{order}", "isMain": False, "orderBy": order, "url": item["videoUrl"]})
        return {"id": product_id, "media": {"images": images, "videos": videos}}


def _refuse(code: str, status: int = 422) -> HttpError:
    return HttpError(json_response({"errorMessage": MESSAGES.get(code, code), "errorCode": code}, status))


def _host_in(url: str, hosts: tuple[str, ...]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in hosts)


class EcwidApp(App):
    name = "ecwid"
    PRODUCT = r"/api/v3/(?P<store>\d+)/products/(?P<product>\d+)"

    def __init__(
        self,
        settings: EcwidSettings | None = None,
        *,
        clock: Clock | None = None,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__(clock, data_dir)
        self.settings: EcwidSettings = settings or EcwidSettings()
        self.lock = threading.Lock()
        self.products: dict[int, _Product] = {}

    def routes(self) -> list[Route]:
        return [
            Route("GET", self.PRODUCT, self.get_product, limit="api", auth=self._authorize),
            Route("PUT", self.PRODUCT + "/media", self.update_media, limit="api", auth=self._authorize),
        ]

    def rate_limits(self) -> dict[str, tuple[int, float]]:
        return {"api": (self.settings.requests_per_window, self.settings.window_s)}

    def reset(self) -> None:
        with self.lock:
            self.products.clear()

    def state(self) -> dict[str, Any]:
        with self.lock:
            return {"products": [p.public(pid) for pid, p in self.products.items()]}

    def _authorize(self, request: Request) -> None:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            raise HttpError(
                json_response({"errorMessage": "Token is missing", "errorCode": "UNAUTHORIZED"}, 403)
            )

    def get_product(self, request: Request) -> Response:
        product_id = int(request.params["product"])
        with self.lock:
            product = self.products.setdefault(product_id, _Product())
            return json_response(product.public(product_id))

    def update_media(self, request: Request) -> Response:
        body = request.json()
        if not isinstance(body, dict) or ("mainMedia" not in body and "galleryMedia" not in body):
            raise _refuse("MEDIA_FIELDS_MISSING", 400)
        main, gallery = body.get("mainMedia") or None, body.get("galleryMedia")
        if not isinstance(main, dict | None) or not isinstance(gallery, list | None):
            raise _refuse("WRONG_URL")
        items = [*([main] if main else []), *(gallery or [])]
        for item in items:
            self._screen(item)
        main_result = self._fetch_item(main, "0") if main else None
        gallery_results = [self._fetch_item(item, str(n)) for n, item in enumerate(gallery or [], start=1)]
        with self.lock:
            product = self.products.setdefault(int(request.params["product"]), _Product())
            if main and main_result is not None and main_result["success"]:
                product.main_image, product.main_video = main.get("imageUrl"), main.get("videoUrl")
            if gallery is not None and all(r["success"] for r in gallery_results):
                product.gallery = list(gallery)
        return json_response(
            {"mainMedia": main_result, "galleryMedia": gallery_results if gallery is not None else None}
        )

    def _screen(self, item: Any) -> None:
        """Whole-request refusals (422), before anything is fetched."""
        if not isinstance(item, dict) or not (item.get("videoUrl") or item.get("imageUrl")):
            raise _refuse("WRONG_URL")
        for url in (item.get("videoUrl"), item.get("imageUrl")):
            if url is not None and not is_http_url(url):
                raise _refuse("WRONG_URL")
        video = item.get("videoUrl")
        if video and _host_in(video, self.settings.unsupported_hosts):
            raise _refuse("VIDEO_NOT_SUPPORTED")

    def _fetch_item(self, item: dict[str, str], item_id: str) -> dict[str, Any]:
        for kind, url in (("video", item.get("videoUrl")), ("image", item.get("imageUrl"))):
            if url is None or (kind == "video" and _host_in(url, self.settings.platform_hosts)):
                continue
            failure = self._fetch(kind, url)
            if failure is not None:
                return {"success": False, "errorCode": failure, "errorMessage": MESSAGES[failure]}
        return {"success": True, "id": item_id}

    def _fetch(self, kind: str, url: str) -> str | None:
        """None when the link holds what it should; a per-item code, or a raised 422, otherwise."""
        failed = "DOWNLOAD_VIDEO_FAILED" if kind == "video" else "DOWNLOAD_IMAGE_FAILED"
        with tempfile.TemporaryDirectory(dir=self.data_dir) as work:
            got = download(
                url, Path(work), timeout_s=self.settings.download_timeout_s, max_bytes=self.settings.max_bytes
            )
            if got.path is None:
                if kind == "video" and got.failure == "unavailable":
                    raise _refuse("VIDEO_UNAVAILABLE")
                return failed
            found = _kind_of(got.path)
        if kind == "video" and found != "video":
            raise _refuse("NOT_VIDEO_URL")
        return None if found == kind else failed


def _kind_of(path: Path) -> str:
    from vidlint.probing import probe

    try:
        facts = probe(path)
    except VidlintError:
        return "unknown"
    if facts.kind == "image" and not (facts.image and facts.image.decodes):
        return "broken-image"
    return facts.kind
