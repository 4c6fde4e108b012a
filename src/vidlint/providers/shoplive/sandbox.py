"""Shoplive's shortform search and retrieval, over generated shortforms (there is no create API)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from vidlint.clients.clock import Clock
from vidlint.sandbox.core import App, AppSettings, HttpError, Request, Response, Route, json_response

STATUSES = ("OPEN", "HIDDEN", "SCHEDULED")
STOCK = ("IN_STOCK", "LOW_IN_STOCK", "SOLD_OUT")
TAGS = ("food", "snack", "beauty", "fashion", "sale", "new")
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
MAX_COUNT = 30


class ShopliveSettings(AppSettings):
    shortform_count: int = 45
    searches_per_window: int = 600
    window_s: float = 60.0


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def make_shortform(index: int) -> dict[str, Any]:
    """A shortform in the document's sample shape (numeric brand / product ids, ``previewVideoUrl``)."""
    created = datetime(2024, 1, 1, 8, 0, tzinfo=UTC) + timedelta(hours=index)
    sid = str(100000000000000000 + index)
    return {
        "shortformId": sid,
        "createdAt": _stamp(created),
        "updatedAt": _stamp(created + timedelta(minutes=30)),
        "status": STATUSES[index % 3],
        "sortOrder": index,
        "details": {
            "title": f"Shortform {index}",
            "description": f"Sample shortform number {index}",
            "brand": {
                "id": 100 + index % 4,
                "identifier": f"brand{index % 4}",
                "name": f"Brand {index % 4}",
                "imageUrl": "https://image.example/brand.png",
            },
            "tags": [TAGS[index % 6], TAGS[(index + 1) % 6]],
            "productCount": 1,
            "productBanner": None,
            "products": [
                {
                    "productId": 5000 + index,
                    "name": f"Product {index}",
                    "brand": f"Brand {index % 4}",
                    "url": f"https://shop.example/p/{index}",
                    "sku": f"sku{index:03d}",
                    "imageUrl": "https://image.example/p.png",
                    "currency": "KRW",
                    "showPrice": True,
                    "originalPrice": 3400.0,
                    "discountPrice": 2500.0,
                    "discountRate": 26.0,
                    "stockStatus": STOCK[index % 3],
                }
            ],
        },
        "activity": {
            "viewCount": 10 * index,
            "likeCount": index,
            "commentCount": index // 2,
            "bookmarkCount": index // 3,
            "shareCount": index // 4,
        },
        "video": {
            "duration": 8000 + 1000 * (index % 20),
            "videoId": str(9000 + index),
            "videoUrl": f"https://resource.example/{sid}/video.m3u8",
            "previewVideoUrl": f"https://resource.example/{sid}/preview.m3u8",
            "screenshotUrl": f"https://image.example/{sid}.png",
        },
    }


def _bad(message: str) -> HttpError:
    return HttpError(json_response({"code": "INVALID_PARAMETER", "message": message}, 400))


def _filters(request: Request) -> list[Any]:
    tests: list[Any] = []
    status = request.arg("status")
    if status is not None:
        if status not in STATUSES:
            raise _bad(f"status must be one of {', '.join(STATUSES)}")
        tests.append(lambda s: s["status"] == status)
    for name in ("from", "to"):
        value = request.arg(name)
        if value is not None and not STAMP.fullmatch(value):
            raise _bad(f"{name} must look like YYYY-MM-DDTHH:mm:ssZ")
    low, high = request.arg("from"), request.arg("to")
    tests.append(
        lambda s: (low is None or s["createdAt"] >= low) and (high is None or s["createdAt"] <= high)
    )
    for field in ("title", "description"):
        text = request.arg(field)
        if text:
            tests.append(lambda s, f=field, t=text: t.lower() in (s["details"][f] or "").lower())
    tags = [t for t in (request.arg("tags") or "").split(",") if t]
    if tags:
        every = (request.arg("tagSearchOperator") or "OR").upper() == "AND"
        join = all if every else any
        tests.append(lambda s: join(t in s["details"]["tags"] for t in tags))
    skus = [k for k in (request.arg("skus") or "").split(",") if k]
    if skus:
        tests.append(lambda s: any(p["sku"] in skus for p in s["details"]["products"]))
    return tests


class ShopliveApp(App):
    name = "shoplive"
    PREFIX = r"/v2/(?P<key>[^/]+)/shortform"

    def __init__(
        self,
        settings: ShopliveSettings | None = None,
        *,
        clock: Clock | None = None,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__(clock, data_dir)
        self.settings: ShopliveSettings = settings or ShopliveSettings()
        self.shortforms = [make_shortform(i) for i in range(1, self.settings.shortform_count + 1)]

    def routes(self) -> list[Route]:
        return [
            Route("GET", self.PREFIX, self.search, limit="api", auth=self._authorize),
            Route("GET", self.PREFIX + r"/(?P<id>[^/]+)", self.retrieve, limit="api", auth=self._authorize),
        ]

    def rate_limits(self) -> dict[str, tuple[int, float]]:
        return {"api": (self.settings.searches_per_window, self.settings.window_s)}

    def state(self) -> dict[str, Any]:
        return {"shortforms": self.shortforms}

    def _authorize(self, request: Request) -> None:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            raise HttpError(json_response({"code": "UNAUTHORIZED", "message": "Bearer token required"}, 401))

    def search(self, request: Request) -> Response:
        tests = _filters(request)
        try:
            page, count = int(request.arg("page") or 1), int(request.arg("count") or MAX_COUNT)
        except ValueError:
            raise _bad("page and count must be integers") from None
        if page < 1 or not 1 <= count <= MAX_COUNT:
            raise _bad(f"page starts at 1 and count is between 1 and {MAX_COUNT}")
        sort = request.arg("sortBy") or "sortOrder"
        if sort not in ("sortOrder", "createdAt", "updatedAt"):
            raise _bad("sortBy must be sortOrder, createdAt or updatedAt")
        ascending = (request.arg("sortAscending") or "false").lower() == "true"
        found = sorted(
            (s for s in self.shortforms if all(t(s) for t in tests)),
            key=lambda s: s[sort],
            reverse=not ascending,
        )
        rows = [_for_search(s) for s in found[(page - 1) * count : page * count]]
        return json_response({"results": rows, "totalCount": len(found), "page": page, "count": count})

    def retrieve(self, request: Request) -> Response:
        for shortform in self.shortforms:
            if shortform["shortformId"] == request.params["id"]:
                # The retrieval answer carries ``video`` as a list, as Shoplive's later pages show it.
                return json_response({**shortform, "video": [shortform["video"]]})
        return json_response({"code": "NOT_FOUND", "message": "shortform not found"}, 404)


def _for_search(shortform: dict[str, Any]) -> dict[str, Any]:
    """Search answers carry only viewCount in activity, as the document says."""
    return {**shortform, "activity": {"viewCount": shortform["activity"]["viewCount"]}}
