"""Akinon Omnitron product media bodies (Django REST framework) and DRF error bodies as pack codes.

DRF answers ``{field: [message, ...]}`` without its error codes; the pack's code is
``<field>.<DRF code>``, so the code is recovered from DRF's fixed wording.
"""

from __future__ import annotations

import re
from typing import Any, Generic, TypeVar

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

T = TypeVar("T")
# DRF's (and Django's) messages -> their error codes, most specific first.
DRF_CODES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (r"^No file was submitted", "required"),
        (r"^This field is required", "required"),
        (r"^The submitted file is empty", "empty"),
        (r"^File extension .* is not allowed", "invalid_extension"),
        (r"^The submitted file is not a valid MPEG-4", "invalid_format"),
        (r"^Upload a valid image", "invalid_image"),
        (r"^Incorrect type\. Expected pk value", "incorrect_type"),
        (r"^Invalid pk .* object does not exist", "does_not_exist"),
        (r"^Ensure this value is greater than or equal to", "min_value"),
        (r"^Ensure this value is less than or equal to", "max_value"),
        (r"^A valid integer is required", "invalid"),
        (r'^".*" is not a valid choice', "invalid_choice"),
        (r"^Enter a valid URL", "invalid"),
        (r"^The submitted data was not a file", "invalid"),
    )
)


def drf_code(field: str, message: str) -> str:
    for pattern, code in DRF_CODES:
        if pattern.search(message):
            return f"{field}.{code}"
    return f"{field}.invalid"


def drf_errors(body: Any) -> list[tuple[str, str]]:
    """(code, message) pairs from a DRF error body, in field order."""
    if not isinstance(body, dict):
        return []
    if isinstance(body.get("detail"), str):
        return [("detail", body["detail"])]
    pairs: list[tuple[str, str]] = []
    for field, messages in body.items():
        for message in messages if isinstance(messages, list) else [messages]:
            pairs.append((drf_code(field, str(message)), str(message)))
    return pairs


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class ProductVideo(_Model):
    pk: int
    product: int | None = None
    video: str | None = None
    # The document's own samples spell it "Order" in some answers.
    order: int | None = Field(default=None, validation_alias=AliasChoices("order", "Order"))
    modified_date: str | None = None
    created_date: str | None = None


class ProductImage(_Model):
    pk: int
    product: int | None = None
    image: str | None = None
    order: int | None = Field(default=None, validation_alias=AliasChoices("order", "Order"))
    source: str | None = None
    special_image_type: str | None = None


class SpecialImage(_Model):
    special_image_type: str | None = None


class Page(_Model, Generic[T]):
    count: int = 0
    next: str | None = None
    previous: str | None = None
    results: list[T] = Field(default_factory=list)
