"""Sam's Club Media API bodies. Every answer is a JSON array of one object; a bare object is accepted."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter

KNOWN_STATUSES = ("PENDING", "AVAILABLE", "FAILED")
CODE_PATTERN = re.compile(r"\bE_[A-Z_]+\b")
MEDIA_NAME = re.compile(r"[A-Za-z0-9 ]{1,45}")


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class ApiError(_Model):
    message: str = ""
    type: str | None = None
    code: str | None = None


class Allocation(_Model):
    code: str = "success"
    details: str | None = ""
    mediaUploadRequestId: int | None = None
    uploadUrl: str | None = None
    captionUrl: str | None = None


class Completion(_Model):
    code: str = "success"
    details: str | None = ""
    mediaId: int | None = None
    errors: list[ApiError] = Field(default_factory=list)


class MediaDetails(_Model):
    mediaId: int
    status: str  # PENDING | AVAILABLE | FAILED, and later pages add PROCESSING, LIVED: kept open
    details: str | None = None
    name: str | None = None
    thumbnail: str | None = None

    @property
    def codes(self) -> list[str]:
        """The E_* codes named in ``details`` (a FAILED media's reasons), in order, without repeats."""
        return list(dict.fromkeys(CODE_PATTERN.findall(self.details or "")))


class Renamed(_Model):
    code: str = "success"
    details: str | None = ""
    mediaId: int | None = None


def _as_list(value: Any) -> Any:
    return value if isinstance(value, list) else [value]


ALLOCATIONS = TypeAdapter(Annotated[list[Allocation], BeforeValidator(_as_list)])
COMPLETIONS = TypeAdapter(Annotated[list[Completion], BeforeValidator(_as_list)])
MEDIA = TypeAdapter(Annotated[list[MediaDetails], BeforeValidator(_as_list)])
RENAMES = TypeAdapter(Annotated[list[Renamed], BeforeValidator(_as_list)])
