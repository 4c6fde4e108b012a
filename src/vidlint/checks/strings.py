"""Strings and lists: sets of values, patterns, lengths and item counts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from vidlint.checks.base import (
    Bound,
    Bounds,
    Fail,
    Ge,
    LengthUnit,
    MinLen,
    Params,
    check_kind,
    check_limit,
    check_order,
    check_regex,
    shown,
    text_length,
    with_unit,
)


@dataclass(frozen=True, kw_only=True)
class InSetParams(Params):
    values: Annotated[list[str], MinLen(1)]
    case_sensitive: bool = True

    def describe(self, unit: str) -> str:
        return "one of " + ", ".join(self.values)


@check_kind("in_set", InSetParams)
def in_set(value: object, p: InSetParams) -> Fail | None:
    """Passes when the value is one of ``values`` (strings; ``case_sensitive`` by default).

    Example: ``{kind = "in_set", field = "main_video.codec", params = {values = ["h264", "hevc"]}}``:
    "hevc" passes, "vp9" fails.
    """
    if not isinstance(value, str):
        return Fail(shown(value))
    if p.case_sensitive:
        return None if value in p.values else Fail(shown(value))
    return None if value.casefold() in [v.casefold() for v in p.values] else Fail(shown(value))


@dataclass(frozen=True, kw_only=True)
class FlagParams(Params):
    value: bool = True

    def describe(self, unit: str) -> str:
        return "true" if self.value else "false"


@check_kind("flag", FlagParams)
def flag(value: object, p: FlagParams) -> Fail | None:
    """Passes when the value is the boolean ``value`` (true by default); anything else fails.

    Example: ``{kind = "flag", field = "faststart", params = {value = true}}``: a file whose moov
    comes before its media data passes, one whose moov comes last fails. With ``value = false``:
    ``{kind = "flag", field = "edit_list", params = {value = false}}`` fails a file with an edit list.
    """
    if value is p.value:
        return None
    return Fail(str(value).lower() if isinstance(value, bool) else shown(value))


@dataclass(frozen=True, kw_only=True)
class MatchesParams(Params):
    pattern: str

    def __post_init__(self) -> None:
        check_regex("pattern", self.pattern)

    def describe(self, unit: str) -> str:
        return f"matching {self.pattern}"


@check_kind("matches", MatchesParams)
def matches(value: object, p: MatchesParams) -> Fail | None:
    """Passes when a string matches the regular expression ``pattern`` entirely.

    Example: ``params = {pattern = "^[A-Z]{2}$"}``: "TR" passes, "tr1" fails.
    """
    return None if isinstance(value, str) and re.fullmatch(p.pattern, value) else Fail(shown(value))


@dataclass(frozen=True, kw_only=True)
class LengthParams(Params):
    min: Annotated[int, Ge(0)] = 0
    max: Annotated[int, Ge(0)]
    unit: LengthUnit = "code_points"

    def __post_init__(self) -> None:
        check_limit("min", self.min)
        check_limit("max", self.max)
        check_order("min", self.min, "max", self.max)

    def describe(self, unit: str) -> str:
        return with_unit(f"{self.min}-{self.max}" if self.min else f"at most {self.max}", unit)

    def bounds(self) -> Bounds:
        low = (Bound(self.min, "min", True, measure="length"),) if self.min else ()
        return (*low, Bound(self.max, "max", True, measure="length"))


@check_kind("length_between", LengthParams)
def length_between(value: object, p: LengthParams) -> Fail | None:
    """Passes when a string has ``min`` to ``max`` characters (both included).

    ``unit`` "code_points" counts characters as people do; "utf16" counts like Java's
    String.length() (an emoji counts 2). An empty value is the ``required`` rule's business.
    Example: ``params = {min = 3, max = 50}``: "abc" passes, "ab" fails.
    """
    if not isinstance(value, str):
        return Fail(type(value).__name__)
    length = text_length(value, p.unit)
    return None if p.min <= length <= p.max else Fail(length)


@dataclass(frozen=True, kw_only=True)
class TextParams(Params):
    min_length: Annotated[int, Ge(0)] = 0
    max_length: Annotated[int, Ge(0)] | None = None
    pattern: str | None = None
    unit: LengthUnit = "code_points"

    def __post_init__(self) -> None:
        check_limit("min_length", self.min_length)
        if self.max_length is not None:
            check_limit("max_length", self.max_length)
            check_order("min_length", self.min_length, "max_length", self.max_length)
        check_regex("pattern", self.pattern)

    def describe(self, unit: str) -> str:
        top = "" if self.max_length is None else f"-{self.max_length}"
        return f"{self.min_length}{top} characters" + (f" matching {self.pattern}" if self.pattern else "")

    def bounds(self) -> Bounds:
        low = (Bound(self.min_length, "min", True, measure="length"),) if self.min_length else ()
        high = () if self.max_length is None else (Bound(self.max_length, "max", True, measure="length"),)
        return low + high


@check_kind("text", TextParams)
def text(value: object, p: TextParams) -> Fail | None:
    """Passes when a string has ``min_length`` to ``max_length`` characters and matches ``pattern``.

    For a provider code that covers a whole string field. Example:
    ``params = {min_length = 1, max_length = 45, pattern = "^[A-Za-z0-9 ]+$"}``:
    "Summer Sale 2024" passes; "Sale!" and a 46-character name fail.
    """
    if not isinstance(value, str):
        return Fail(type(value).__name__)
    length = text_length(value, p.unit)
    if length < p.min_length or (p.max_length is not None and length > p.max_length):
        return Fail(f"{shown(value)!r} ({length} characters)")
    if p.pattern is not None and not re.fullmatch(p.pattern, value):
        return Fail(f"{shown(value)!r} (characters outside {p.pattern})")
    return None


@dataclass(frozen=True, kw_only=True)
class MaxItemsParams(Params):
    limit: Annotated[int, Ge(0)]

    def __post_init__(self) -> None:
        check_limit("limit", self.limit)

    def describe(self, unit: str) -> str:
        return f"at most {self.limit} items"

    def bounds(self) -> Bounds:
        return (Bound(self.limit, "max", True, measure="count"),)


@dataclass(frozen=True, kw_only=True)
class MinItemsParams(Params):
    limit: Annotated[int, Ge(0)]

    def __post_init__(self) -> None:
        check_limit("limit", self.limit)

    def describe(self, unit: str) -> str:
        return f"at least {self.limit} item" + ("" if self.limit == 1 else "s")

    def bounds(self) -> Bounds:
        return (Bound(self.limit, "min", True, measure="count"),)


@check_kind("max_items", MaxItemsParams)
def max_items(value: object, p: MaxItemsParams) -> Fail | None:
    """Passes when a list has at most ``limit`` items.

    Example: ``{kind = "max_items", field = "productContentIds", params = {limit = 100}}``.
    """
    if not isinstance(value, list | tuple):
        return Fail(type(value).__name__)
    return Fail(f"{len(value)} items") if len(value) > p.limit else None


@check_kind("min_items", MinItemsParams)
def min_items(value: object, p: MinItemsParams) -> Fail | None:
    """Passes when a list has at least ``limit`` items.

    Example: ``{kind = "min_items", field = "productContentIds", params = {limit = 1}}``:
    ["1"] passes, [] fails.
    """
    if not isinstance(value, list | tuple):
        return Fail(type(value).__name__)
    return Fail(f"{len(value)} items") if len(value) < p.limit else None

