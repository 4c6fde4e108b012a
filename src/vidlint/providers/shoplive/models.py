"""Shoplive's shortform object. The document's sample disagrees with its own table (``previewVideoUrl`` vs
``previewUrl``, numeric ids where the table says String, ``video`` as an object or a list): both are
accepted and normalised here, so callers see one shape."""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

STATUSES = ("OPEN", "HIDDEN", "SCHEDULED")
STOCK_STATUSES = ("IN_STOCK", "LOW_IN_STOCK", "SOLD_OUT")


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Brand(_Model):
    id: str | None = None
    identifier: str | None = None
    name: str | None = None
    imageUrl: str | None = None

    _id = field_validator("id", mode="before")(_text)


class Product(_Model):
    productId: str | None = None
    name: str | None = None
    brand: str | None = None
    url: str | None = None
    sku: str | None = None
    imageUrl: str | None = None
    currency: str | None = None
    showPrice: bool | None = None
    originalPrice: float | None = None
    discountPrice: float | None = None
    discountRate: float | None = None
    stockStatus: str | None = None

    _id = field_validator("productId", mode="before")(_text)


class ProductBanner(_Model):
    title: str | None = None
    imageUrl: str | None = None
    scheme: str | None = None


class Details(_Model):
    title: str | None = None
    description: str | None = None
    brand: Brand | None = None
    tags: list[str] = Field(default_factory=list)
    productCount: int | None = None
    productBanner: ProductBanner | None = None
    products: list[Product] = Field(default_factory=list)


class Activity(_Model):
    viewCount: int | None = None
    likeCount: int | None = None  # not in search results
    commentCount: int | None = None
    bookmarkCount: int | None = None
    shareCount: int | None = None


class Video(_Model):
    duration_ms: int | None = Field(default=None, validation_alias=AliasChoices("duration", "duration_ms"))
    videoId: str | None = None
    videoUrl: str | None = None
    previewUrl: str | None = Field(
        default=None, validation_alias=AliasChoices("previewUrl", "previewVideoUrl")
    )
    screenshotUrl: str | None = None

    _id = field_validator("videoId", mode="before")(_text)


class Shortform(_Model):
    shortformId: str
    createdAt: str | None = None
    updatedAt: str | None = None
    status: str | None = None
    details: Details = Field(default_factory=Details)
    activity: Activity = Field(default_factory=Activity)
    videos: list[Video] = Field(default_factory=list, validation_alias=AliasChoices("video", "videos"))

    _id = field_validator("shortformId", mode="before")(_text)

    @field_validator("videos", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value

    @property
    def video(self) -> Video | None:
        return self.videos[0] if self.videos else None


class ShortformPage(_Model):
    results: list[Shortform] = Field(default_factory=list, validation_alias=AliasChoices("results", "data"))
    totalCount: int | None = None
    page: int | None = None
    count: int | None = None
