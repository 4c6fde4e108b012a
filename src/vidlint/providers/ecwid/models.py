"""Ecwid's bulk media update bodies and the product's current media."""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class MediaItem(BaseModel):
    """One link: a video, an image, or (for mainMedia) both."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    videoUrl: str | None = None
    imageUrl: str | None = None

    def body(self) -> dict[str, str]:
        return self.model_dump(exclude_none=True)


class MediaItemResult(_Model):
    success: bool
    id: str | None = None
    errorCode: str | None = None
    errorMessage: str | None = None

    _id = field_validator("id", mode="before")(_text)


class MediaUpdateResult(_Model):
    mainMedia: MediaItemResult | list[MediaItemResult] | None = None
    galleryMedia: list[MediaItemResult] | None = None

    @property
    def main_results(self) -> list[MediaItemResult]:
        if self.mainMedia is None:
            return []
        return self.mainMedia if isinstance(self.mainMedia, list) else [self.mainMedia]

    @property
    def failures(self) -> list[MediaItemResult]:
        return [r for r in [*self.main_results, *(self.galleryMedia or [])] if not r.success]


class ProductImage(_Model):
    id: str
    isMain: bool = False
    orderBy: int = 0
    imageOriginalUrl: str | None = None

    _id = field_validator("id", mode="before")(_text)


class ProductVideo(_Model):
    id: str
    isMain: bool = False
    orderBy: int = 0
    url: str | None = Field(default=None, validation_alias=AliasChoices("url", "videoUrl"))

    _id = field_validator("id", mode="before")(_text)


class ProductMedia(_Model):
    images: list[ProductImage] = Field(default_factory=list)
    videos: list[ProductVideo] = Field(default_factory=list)


class Product(_Model):
    id: int
    media: ProductMedia = Field(default_factory=ProductMedia)

    def main_item(self) -> MediaItem:
        image = next((i.imageOriginalUrl for i in self.media.images if i.isMain), None)
        video = next((v.url for v in self.media.videos if v.isMain), None)
        return MediaItem(videoUrl=video, imageUrl=image)

    def gallery_items(self) -> list[MediaItem]:
        """The gallery in its order, as the links an update would re-send to keep it."""
        rows: list[tuple[int, MediaItem]] = [
            (i.orderBy, MediaItem(imageUrl=i.imageOriginalUrl)) for i in self.media.images if not i.isMain
        ]
        rows += [(v.orderBy, MediaItem(videoUrl=v.url)) for v in self.media.videos if not v.isMain]
        return [item for _, item in sorted(rows, key=lambda row: row[0])]


class ErrorBody(_Model):
    errorMessage: str | None = None
    errorCode: str | None = None
