"""Trendyol's video create / list bodies, as the provider's document gives them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

VideoContentType = Literal[
    "PRODUCT_PROMOTION",
    "ASSEMBLY_AND_INSTALLATION",
    "PACKAGING",
    "STORE_PROMOTION",
    "ADVERTISEMENT",
    "PRODUCT_USAGE_AND_EXPERIENCE",
]
KNOWN_STATUSES = ("IN_PROGRESS", "SUCCESS", "FAILED")
# Failure codes come namespaced ("video.content.api.seller.integration..."): the pack code is the tail.
CODE_ANCHOR = "seller.integration."


def split_ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class CreateVideoRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    videoUrl: str
    productContentIds: list[str]
    description: str | None = None
    videoContentType: VideoContentType | None = None

    @field_validator("productContentIds", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return split_ids(value)
        if isinstance(value, list | tuple):
            return [str(v) for v in value]
        return value

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, Any], video_url: str) -> CreateVideoRequest:
        fields = {k: v for k, v in metadata.items() if k in cls.model_fields and k != "videoUrl"}
        return cls.model_validate({**fields, "videoUrl": video_url})

    def body(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class CreatedVideo(BaseModel):
    videoId: str


class Video(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    title: str | None = None
    description: str | None = None
    status: str  # IN_PROGRESS | SUCCESS | FAILED; kept open so a new status never crashes a client
    videoUrl: str | None = None
    productContentIds: list[str] = Field(default_factory=list)
    errorCode: str | None = None
    optimizedVideoUrl: str | None = None
    isApproved: bool = False

    @property
    def pack_code(self) -> str | None:
        """errorCode without the provider's namespace, as the rule pack spells it."""
        if self.errorCode is None:
            return None
        at = self.errorCode.find(CODE_ANCHOR)
        return self.errorCode[at:] if at >= 0 else self.errorCode

    @property
    def finished(self) -> bool:
        return self.status == "FAILED" or (self.status == "SUCCESS" and self.isApproved)


class PageMeta(BaseModel):
    page: int = 0
    total: int = 0
    totalPage: int = 0
    size: int = 10


class VideoPage(BaseModel):
    meta: PageMeta = Field(default_factory=PageMeta)
    data: list[Video] = Field(default_factory=list)


class ErrorItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    key: str | None = None
    code: str | None = None
    message: str = ""


class ErrorBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    errors: list[ErrorItem] = Field(default_factory=list)
    message: str | None = None
