"""Numeric limits: ranges, maxima, ratios and picture dimensions."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Annotated, Literal

from vidlint.checks.base import (
    Bound,
    Bounds,
    Fail,
    Ge,
    Lt,
    MinLen,
    Params,
    as_number,
    check_kind,
    check_limit,
    check_order,
    fmt_number,
    is_whole,
    with_unit,
)
from vidlint.model.facts import VideoTrack


@dataclass(frozen=True, kw_only=True)
class BetweenParams(Params):
    min: float
    max: float

    def __post_init__(self) -> None:
        check_limit("min", self.min)
        check_limit("max", self.max)
        check_order("min", self.min, "max", self.max)

    def describe(self, unit: str) -> str:
        return with_unit(f"{fmt_number(self.min)}-{fmt_number(self.max)}", unit)

    def bounds(self) -> Bounds:
        return Bound(self.min, "min", True), Bound(self.max, "max", True)


@check_kind("between", BetweenParams)
def between(value: object, p: BetweenParams) -> Fail | None:
    """Passes when ``min <= value <= max`` (both ends included).

    Example: ``{kind = "between", field = "duration_s", params = {min = 8, max = 120}}``:
    8.0 and 120.0 pass, 7.99 and 120.01 fail.
    """
    number = as_number(value)
    return Fail(value) if number is None or not p.min <= number <= p.max else None


@dataclass(frozen=True, kw_only=True)
class MinParams(Params):
    min: float
    integer: bool = False  # the value must also be a whole number (an int, not 3.5 nor "3")

    def __post_init__(self) -> None:
        check_limit("min", self.min)

    def describe(self, unit: str) -> str:
        return with_unit(f">= {fmt_number(self.min)}", unit) + (", a whole number" if self.integer else "")

    def bounds(self) -> Bounds:
        return (Bound(self.min, "min", True),)


@check_kind("min", MinParams)
def minimum(value: object, p: MinParams) -> Fail | None:
    """Passes when ``value >= min``; with ``integer = true`` it must also be a whole number.

    Example: ``{kind = "min", field = "order", params = {min = 0}}``: 0 passes, -1 fails.
    """
    number = as_number(value)
    if number is None or number < p.min or (p.integer and not is_whole(value)):
        return Fail(value)
    return None


@dataclass(frozen=True, kw_only=True)
class MaxParams(Params):
    max: float

    def __post_init__(self) -> None:
        check_limit("max", self.max)

    def describe(self, unit: str) -> str:
        return with_unit(f"<= {fmt_number(self.max)}", unit)

    def bounds(self) -> Bounds:
        return (Bound(self.max, "max", True),)


@check_kind("max", MaxParams)
def maximum(value: object, p: MaxParams) -> Fail | None:
    """Passes when ``value <= max`` ("maximum 500 MB").

    Example: ``{kind = "max", field = "size_bytes", params = {max = 500000000}}``:
    500,000,000 passes, 500,000,001 fails.
    """
    number = as_number(value)
    return Fail(value) if number is None or number > p.max else None


@dataclass(frozen=True, kw_only=True)
class LtParams(Params):
    limit: float

    def __post_init__(self) -> None:
        check_limit("limit", self.limit, positive=True)  # "< 0" would fail every source

    def describe(self, unit: str) -> str:
        return with_unit(f"< {fmt_number(self.limit)}", unit)

    def bounds(self) -> Bounds:
        return (Bound(self.limit, "max", False),)


@check_kind("lt", LtParams)
def less_than(value: object, p: LtParams) -> Fail | None:
    """Passes when ``value < limit`` ("less than 500 MB").

    Example: ``{kind = "lt", field = "size_bytes", params = {limit = 500000000}}``:
    499,999,999 passes, 500,000,000 fails.
    """
    number = as_number(value)
    return Fail(value) if number is None or number >= p.limit else None


_RATIO = r"^\d+(\.\d+)?(:\d+(\.\d+)?)?$"


def _ratio(target: str) -> float:
    width, _, height = target.partition(":")
    return float(width) / float(height or 1)


def _window(target: str, tolerance: float) -> tuple[float, float]:
    return _ratio(target) * (1 - tolerance), _ratio(target) * (1 + tolerance)


def _check_ratio(name: str, target: object) -> None:
    """For ``__post_init__``: "16:9" or "1.5", a ratio a picture can have; the error names the field."""
    if not isinstance(target, str) or not re.fullmatch(_RATIO, target):
        raise ValueError(f"{name}: String should match pattern {_RATIO!r}")
    width, _, height = target.partition(":")
    if float(width) <= 0 or float(height or 1) <= 0:
        raise ValueError(f"{name}: both sides of the ratio must be above 0, not {target!r}")
    if not 0 < _ratio(target) < math.inf:
        raise ValueError(f"{name}: not a ratio a picture can have: {target!r}")


def _check_tolerance(tolerance: float) -> None:
    if isinstance(tolerance, bool) or not 0 <= tolerance < 1:
        raise ValueError(f"tolerance: must be at least 0 and less than 1, not {tolerance!r}")


@dataclass(frozen=True, kw_only=True)
class RatioParams(Params):
    # pydantic takes the pattern from the field's metadata (validation and JSON Schema);
    # __post_init__ checks it for the plain constructor too
    target: str = field(metadata={"pattern": _RATIO})
    '''"16:9" or "1.5"'''
    tolerance: Annotated[float, Ge(0), Lt(1)]
    """relative: 0.01 is within 1 % of the target"""

    def __post_init__(self) -> None:
        _check_ratio("target", self.target)
        _check_tolerance(self.tolerance)

    def ratio(self) -> float:
        return _ratio(self.target)

    def window(self) -> tuple[float, float]:
        return _window(self.target, self.tolerance)

    def describe(self, unit: str) -> str:
        return f"{self.target} ({self.ratio():.3f}) within {self.tolerance * 100:g} %"

    def bounds(self) -> Bounds:
        low, high = self.window()
        return Bound(low, "min", True), Bound(high, "max", True)


@check_kind("ratio_close", RatioParams)
def ratio_close(value: object, p: RatioParams) -> Fail | None:
    """Passes when a ratio is within ``tolerance`` (relative) of ``target``.

    Example: ``{kind = "ratio_close", field = "main_video.display_aspect_ratio",
    params = {target = "16:9", tolerance = 0.01}}``: 1.7778 passes, 1.333 (4:3) and 0.5625 fail.
    """
    number = as_number(value)
    low, high = p.window()
    return Fail(value) if number is None or not low <= number <= high else None


@dataclass(frozen=True, kw_only=True)
class RatiosParams(Params):
    targets: Annotated[list[str], MinLen(1)]
    '''["9:16", "16:9", "1:1"]: each "16:9" or "1.5"'''
    tolerance: Annotated[float, Ge(0), Lt(1)]
    """relative, around each target: 0.01 is within 1 %"""

    def __post_init__(self) -> None:
        if not isinstance(self.targets, list) or not self.targets:
            raise ValueError(f"targets: must be a list of at least one ratio, not {self.targets!r}")
        for target in self.targets:
            _check_ratio("targets", target)
        _check_tolerance(self.tolerance)

    def describe(self, unit: str) -> str:
        *rest, last = self.targets
        either = f"{', '.join(rest)} or {last}" if rest else last
        return f"{either} within {self.tolerance * 100:g} %"

    # no bounds(): the passing values are several windows, not one range with a min and a max


@check_kind("ratio_any", RatiosParams)
def ratio_any(value: object, p: RatiosParams) -> Fail | None:
    """Passes when a ratio is within ``tolerance`` (relative) of any of ``targets``.

    For a provider that takes several shapes. Example: ``{kind = "ratio_any", field =
    "main_video.display_aspect_ratio", params = {targets = ["9:16", "16:9", "1:1"], tolerance =
    0.01}}``: 0.5625, 1.7778 and 1.0 pass; 1.333 (4:3) and 0.8 (4:5) fail.
    """
    number = as_number(value)
    windows = [_window(target, p.tolerance) for target in p.targets]
    return Fail(value) if number is None or not any(low <= number <= high for low, high in windows) else None


@dataclass(frozen=True, kw_only=True)
class DimensionParams(Params):
    width: Annotated[int, Ge(0)]
    height: Annotated[int, Ge(0)]
    basis: Literal["oriented", "display", "stored"] = "oriented"

    def __post_init__(self) -> None:
        check_limit("width", self.width)
        check_limit("height", self.height)

    def size(self, track: VideoTrack) -> tuple[int, int]:
        return int(getattr(track, f"{self.basis}_width")), int(getattr(track, f"{self.basis}_height"))

    def _bounds(self, side: Literal["min", "max"]) -> Bounds:
        return (
            Bound(self.width, side, True, subfield=f"{self.basis}_width"),
            Bound(self.height, side, True, subfield=f"{self.basis}_height"),
        )


@dataclass(frozen=True, kw_only=True)
class MinDimensionParams(DimensionParams):
    def describe(self, unit: str) -> str:
        return with_unit(f">= {self.width}x{self.height}", unit) + f" ({self.basis})"

    def bounds(self) -> Bounds:
        return self._bounds("min")


@dataclass(frozen=True, kw_only=True)
class MaxDimensionParams(DimensionParams):
    def describe(self, unit: str) -> str:
        return with_unit(f"<= {self.width}x{self.height}", unit) + f" ({self.basis})"

    def bounds(self) -> Bounds:
        return self._bounds("max")


@check_kind("min_dimensions", MinDimensionParams)
def min_dimensions(value: object, p: MinDimensionParams) -> Fail | None:
    """Passes when a video track has at least ``width`` x ``height`` pixels.

    ``basis`` picks the pixels: "oriented" (stored pixels with the rotation applied; the
    default), "display" (sample aspect ratio applied too) or "stored". Field: a track
    (``main_video``). Example: ``params = {width = 1920, height = 1080}``: 1920x1080 passes;
    1280x720 fails, and so does a 1440x1080 anamorphic picture that displays as 1920x1080.
    """
    if not isinstance(value, VideoTrack):
        return Fail(type(value).__name__)
    width, height = p.size(value)
    return Fail(f"{width}x{height}") if width < p.width or height < p.height else None


@check_kind("max_dimensions", MaxDimensionParams)
def max_dimensions(value: object, p: MaxDimensionParams) -> Fail | None:
    """Passes when a video track has at most ``width`` x ``height`` pixels (``basis`` as above).

    Example: ``params = {width = 3840, height = 2160}``: 3840x2160 passes, 4096x2160 fails.
    """
    if not isinstance(value, VideoTrack):
        return Fail(type(value).__name__)
    width, height = p.size(value)
    return Fail(f"{width}x{height}") if width > p.width or height > p.height else None

