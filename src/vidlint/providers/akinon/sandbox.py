"""Akinon Omnitron's product video / image endpoints, answering in Django REST framework's shape.

Uploads are judged at once (Omnitron answers the POST synchronously): the field checks DRF itself
makes (required, empty, extension, pk, choices) are done here, and the content is checked by vidlint
with the akinon pack, whose codes are ``<field>.<DRF code>``.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vidlint.clients.clock import Clock
from vidlint.sandbox.core import App, AppSettings, HttpError, Request, Response, Route, json_response
from vidlint.sandbox.fetch import download, file_name, is_http_url
from vidlint.sandbox.judge import judge_file
from vidlint.sandbox.multipart import parse_form

SOURCES = ("integration", "unified")
IMAGE_TYPES = ("default", "swatch", "picto")
NO_FILE = "No file was submitted."
API = r"/api/v1/product_(?P<kind>video|image)/"
SPECIAL = r"/api/v1/product_image/(?P<pk>\d+)/make_special/"
DOWNLOAD = r"/api/v1/downloadable_image/(?P<product>\d+)/download/"


class AkinonSettings(AppSettings):
    page_size: int = 100
    max_page_size: int = 1000
    download_timeout_s: float = 10.0
    max_bytes: int = 500_000_000
    requests_per_window: int = 600
    window_s: float = 60.0


@dataclass
class _Item:
    pk: int
    kind: str
    product: int
    path: Path
    order: int
    source: str | None
    created: str
    modified: str
    special: str | None = None

    def public(self, base_url: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "pk": self.pk,
            "product": self.product,
            self.kind: f"{base_url}/media/{self.path.name}",
            "order": self.order,
            "modified_date": self.modified,
            "created_date": self.created,
        }
        if self.kind == "image":
            body["source"] = self.source
        return body


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _invalid(errors: dict[str, list[str]]) -> HttpError:
    return HttpError(json_response(errors, 400))


def _pk_error(value: str | None) -> str | None:
    if value is None or value == "":
        return "This field is required."
    if not value.strip().isdigit():
        return f"Incorrect type. Expected pk value, received {type(value).__name__}."
    return None if int(value) > 0 else f'Invalid pk "{value}" - object does not exist.'


class AkinonApp(App):
    name = "akinon"

    def __init__(
        self,
        settings: AkinonSettings | None = None,
        *,
        clock: Clock | None = None,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__(clock, data_dir)
        self.settings: AkinonSettings = settings or AkinonSettings()
        self.lock = threading.Lock()
        self.items: dict[int, _Item] = {}
        self._pks = itertools.count(20001)

    def routes(self) -> list[Route]:
        auth = self._authorize
        return [
            Route("GET", API, self.listing, limit="api", auth=auth),
            Route("POST", API, self.create, limit="api", auth=auth),
            Route("PATCH", API + r"(?P<pk>\d+)/", self.reorder, limit="api", auth=auth),
            Route("DELETE", API + r"(?P<pk>\d+)/", self.delete, limit="api", auth=auth),
            Route("POST", SPECIAL, self.make_special, limit="api", auth=auth),
            Route("POST", DOWNLOAD, self.download, limit="api", auth=auth),
            Route("GET", r"/media/(?P<name>[^/]+)", self.media),  # public, like the media host
        ]

    def rate_limits(self) -> dict[str, tuple[int, float]]:
        return {"api": (self.settings.requests_per_window, self.settings.window_s)}

    def reset(self) -> None:
        with self.lock:
            self.items.clear()

    def state(self) -> dict[str, Any]:
        with self.lock:
            return {
                "items": [{**i.public(""), "kind": i.kind, "special": i.special} for i in self.items.values()]
            }

    def _authorize(self, request: Request) -> None:
        if not request.headers.get("authorization", "").startswith("Token "):
            raise HttpError(json_response({"detail": "Authentication credentials were not provided."}, 401))

    def _item(self, request: Request, kind: str) -> _Item:
        item = self.items.get(int(request.params["pk"]))
        if item is None or item.kind != kind:
            raise HttpError(json_response({"detail": "Not found."}, 404))
        return item

    # -- handlers --------------------------------------------------------------------------------------
    def listing(self, request: Request) -> Response:
        kind = request.params["kind"]
        try:
            limit = min(int(request.arg("limit") or self.settings.page_size), self.settings.max_page_size)
            offset = max(int(request.arg("offset") or 0), 0)
        except ValueError:
            raise _invalid({"limit": ["A valid integer is required."]}) from None
        product = request.arg("product")
        with self.lock:
            rows = sorted(
                (
                    i
                    for i in self.items.values()
                    if i.kind == kind and (product is None or str(i.product) == product)
                ),
                key=lambda i: (i.order, i.pk),
            )
        page = [i.public(request.base_url) for i in rows[offset : offset + limit]]
        link = f"{request.base_url}{request.path}?limit={limit}" + (f"&product={product}" if product else "")
        more = offset + limit < len(rows)
        return json_response(
            {
                "count": len(rows),
                "next": f"{link}&offset={offset + limit}" if more else None,
                "previous": f"{link}&offset={max(offset - limit, 0)}" if offset > 0 else None,
                "results": page,
            }
        )

    def create(self, request: Request) -> Response:
        kind = request.params["kind"]
        form = parse_form(request.headers.get("content-type", ""), request.body)
        if form is None:
            raise HttpError(json_response({"detail": "Unsupported media type in request."}, 415))
        errors = self._field_errors(kind, form.fields, form.files)
        if errors:
            raise _invalid(errors)
        filename, content = form.files[kind]
        target = self.data_dir / f"{uuid.uuid4().hex}-{file_name(filename, kind)}"
        target.write_bytes(content)
        self._judge(kind, target)
        source = form.fields.get("source", "integration") if kind == "image" else None
        item = self._store(kind, int(form.fields["product"]), target, source)
        return json_response(item.public(request.base_url), 201)

    def _field_errors(
        self, kind: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]
    ) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        pk_problem = _pk_error(fields.get("product"))
        if pk_problem:
            errors["product"] = [pk_problem]
        upload = files.get(kind)
        if upload is None or not upload[0]:
            errors[kind] = [NO_FILE]
        elif not upload[1]:
            errors[kind] = ["The submitted file is empty."]
        elif kind == "video" and not upload[0].lower().endswith(".mp4"):
            extension = upload[0].rsplit(".", 1)[-1] if "." in upload[0] else ""
            errors[kind] = [f"File extension “{extension}” is not allowed. Allowed extensions are: mp4."]
        if kind == "image" and fields.get("source", "integration") not in SOURCES:
            errors["source"] = [f'"{fields["source"]}" is not a valid choice.']
        return errors

    def _judge(self, kind: str, path: Path) -> None:
        fallback = "video.invalid_format" if kind == "video" else "image.invalid_image"
        verdict = judge_file(path, "akinon", unreadable_code=fallback)
        mine = [(code, message) for code, message in verdict.errors if code.startswith(kind + ".")]
        if mine:
            path.unlink(missing_ok=True)
            raise _invalid({kind: [message for _, message in mine[:1]]})

    def _store(self, kind: str, product: int, path: Path, source: str | None) -> _Item:
        with self.lock:
            siblings = [i.order for i in self.items.values() if i.kind == kind and i.product == product]
            stamp = _now()
            item = _Item(
                next(self._pks), kind, product, path, max(siblings, default=-1) + 1, source, stamp, stamp
            )
            self.items[item.pk] = item
        return item

    def reorder(self, request: Request) -> Response:
        body = request.json()
        order = body.get("order") if isinstance(body, dict) else None
        if order is not None and (not isinstance(order, int) or isinstance(order, bool)):
            raise _invalid({"order": ["A valid integer is required."]})
        if order is not None and order < 0:
            raise _invalid({"order": ["Ensure this value is greater than or equal to 0."]})
        with self.lock:
            item = self._item(request, request.params["kind"])
            if order is not None:
                item.order, item.modified = order, _now()
        return json_response(item.public(request.base_url))

    def delete(self, request: Request) -> Response:
        with self.lock:
            item = self._item(request, request.params["kind"])
            del self.items[item.pk]
        return Response(204)

    def make_special(self, request: Request) -> Response:
        body = request.json()
        special = body.get("special_image_type", "base") if isinstance(body, dict) else "base"
        with self.lock:
            item = self._item(request, "image")
            for other in self.items.values():
                if other.kind == "image" and other.product == item.product and other.special == special:
                    other.special = None
            item.special = str(special)
        return json_response({"special_image_type": item.special})

    def download(self, request: Request) -> Response:
        body = request.json()
        if not isinstance(body, dict):
            raise _invalid({"non_field_errors": ["Invalid data. Expected a dictionary."]})
        url, image_type = body.get("url"), body.get("image_type", "default")
        if not is_http_url(url):
            raise _invalid({"url": ["Enter a valid URL."]})
        if image_type not in IMAGE_TYPES:
            raise _invalid({"image_type": [f'"{image_type}" is not a valid choice.']})
        got = download(
            str(url),
            self.data_dir,
            timeout_s=self.settings.download_timeout_s,
            max_bytes=self.settings.max_bytes,
        )
        if got.path is None:
            raise _invalid({"url": [f"The file could not be downloaded ({got.failure})."]})
        final = got.path.with_name(f"{uuid.uuid4().hex}-{got.path.name}")
        got.path.rename(final)
        self._judge("image", final)
        self._store("image", int(request.params["product"]), final, str(body.get("source", "integration")))
        return json_response({})

    def media(self, request: Request) -> Response:
        path = self.data_dir / request.params["name"]
        if not path.is_file() or path.parent != self.data_dir:
            return json_response({"detail": "Not found."}, 404)
        return Response(200, path.read_bytes(), {"Content-Type": "application/octet-stream"})
