"""Request fields: presence, object shapes, primary keys, URLs and timestamps."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from vidlint.checks.base import Fail, MinLen, Params, check_kind, is_whole, shown


@dataclass(frozen=True, kw_only=True)
class RequiredParams(Params):
    def describe(self, unit: str) -> str:
        return "present and not empty"


@check_kind("required", RequiredParams, sees_absent=True)
def required(value: object, p: RequiredParams) -> Fail | None:
    """Fails on null, an empty or blank string, an empty list or object.

    Whether an absent field fails is the check's ``on_missing`` ("fail" by default), so the same
    kind also says "if you send it, it must not be empty" (``on_missing = "pass"``).
    """
    if value is None:
        return Fail("null")
    if isinstance(value, str) and not value.strip():
        return Fail("blank" if value else "empty")
    if isinstance(value, list | tuple | Mapping) and not value:
        return Fail("empty")
    return None


@dataclass(frozen=True, kw_only=True)
class AnyOfParams(Params):
    fields: Annotated[list[str], MinLen(1)]
    allow_null: bool = False  # a key sent as null counts as present

    def describe(self, unit: str) -> str:
        return "at least one of " + ", ".join(self.fields)


@check_kind("required_any", AnyOfParams)
def required_any(value: object, p: AnyOfParams) -> Fail | None:
    """Passes when the object (the field) holds at least one of ``fields``, not empty.

    With ``allow_null = true`` a key sent as null counts (it is there, meaning "no change").
    Example: ``{field = "video", params = {fields = ["previewUrl", "previewVideoUrl"]}}``.
    """
    if not isinstance(value, Mapping):
        return Fail(type(value).__name__)
    for name in p.fields:
        if name in value and (p.allow_null or required(value[name], RequiredParams()) is None):
            return None
    return Fail(f"none of {', '.join(p.fields)}")


@dataclass(frozen=True, kw_only=True)
class ObjectParams(Params):
    def describe(self, unit: str) -> str:
        return "an object with at least one field"


@check_kind("non_empty_object", ObjectParams)
def non_empty_object(value: object, p: ObjectParams) -> Fail | None:
    """Passes when the value is an object (a JSON mapping) with at least one field."""
    if not isinstance(value, Mapping):
        return Fail(type(value).__name__)
    return None if value else Fail("empty object")


@dataclass(frozen=True, kw_only=True)
class PkParams(Params):
    def describe(self, unit: str) -> str:
        return "a primary key (a whole number)"


@check_kind("pk", PkParams)
def pk(value: object, p: PkParams) -> Fail | None:
    """Passes for a primary key: a whole number, or a string of digits (multipart forms send strings).

    Fails with the value's type name, as Django REST framework says it ("received str").
    """
    if is_whole(value) or (isinstance(value, str) and value.isascii() and value.isdigit()):
        return None
    return Fail(type(value).__name__)


@dataclass(frozen=True, kw_only=True)
class UrlParams(Params):
    schemes: Annotated[list[str], MinLen(1)] = field(default_factory=lambda: ["http", "https"])

    def describe(self, unit: str) -> str:
        return "an absolute " + " or ".join(f"{s}://" for s in self.schemes) + " URL"


_LABEL = r"[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
_HOST = re.compile(rf"^({_LABEL}\.)*{_LABEL}\.?$")


@check_kind("url_syntax", UrlParams)
def url_syntax(value: object, p: UrlParams) -> Fail | None:
    """Passes for an absolute URL with one of ``schemes`` and a valid host (no spaces, valid port).

    Example: "https://cdn.example.com/v.mp4" passes; "ftp://x/v.mp4", "cdn.example.com/v.mp4"
    and "https://exa mple.com/v.mp4" fail. An http(s) URL must also be one vidlint can request
    (no "_" in host names, for one), so a URL this check passes is never refused unread by the
    URL checks. Whether the URL answers is another rule's business.
    """
    if isinstance(value, str) and _url_ok(value, p.schemes) and _fetchable(value):
        return None
    return Fail(shown(value))


def _fetchable(url: str) -> bool:
    from vidlint.remote.urls import url_problem  # imports httpx: only when a URL is judged

    scheme = url.partition(":")[0].lower()
    return scheme not in ("http", "https") or url_problem(url) is None


def _url_ok(url: str, schemes: list[str]) -> bool:
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:
        return False
    host = parts.hostname
    if parts.scheme.lower() not in {s.lower() for s in schemes} or not host:
        return False
    return bool(_HOST.match(host)) if "[" not in parts.netloc else ":" in host


@dataclass(frozen=True, kw_only=True)
class DatetimeParams(Params):
    format: str
    """strptime format, e.g. %Y-%m-%dT%H:%M:%SZ"""

    def __post_init__(self) -> None:
        try:
            written = _SAMPLE_TIME.strftime(self.format)
            datetime.strptime(written, self.format)
        except (ValueError, TypeError, OverflowError) as exc:  # a NUL, a stray %, a directive strptime lacks
            raise ValueError(f"format: not a date and time format: {exc}") from None

    def describe(self, unit: str) -> str:
        return f"a date and time written as {self.format}"


_SAMPLE_TIME = datetime(2023, 12, 25, 8, 30, 45)


@check_kind("datetime_format", DatetimeParams)
def datetime_format(value: object, p: DatetimeParams) -> Fail | None:
    """Passes when a string is a real date and time written exactly in ``format`` (zero-padded).

    Example: ``params = {format = "%Y-%m-%dT%H:%M:%SZ"}``: "2023-12-25T08:00:00Z" passes;
    "2023-12-25 08:00:00", "2023-12-25T08:00:00.000Z" and "2023-02-30T08:00:00Z" fail.
    """
    if not isinstance(value, str):
        return Fail(shown(value))
    try:
        parsed = datetime.strptime(value, p.format)
        return None if parsed.strftime(p.format) == value else Fail(shown(value))
    except ValueError:  # not written so, or not a date (an embedded NUL, a day out of range)
        return Fail(shown(value))

