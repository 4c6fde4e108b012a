"""Tolerant conversions of the strings native tools print into typed numbers."""

from __future__ import annotations

import math
from fractions import Fraction


def to_float(text: object) -> float | None:
    """A finite float from "10.000", "25/1" or 12; None for anything else ("N/A", "0/0", garbage)."""
    if isinstance(text, bool) or text is None:
        return None
    try:
        value = float(Fraction(str(text).strip())) if "/" in str(text) else float(str(text).strip())
    except (ValueError, ZeroDivisionError):
        return None
    return value if math.isfinite(value) else None


def to_int(text: object) -> int | None:
    value = to_float(text)
    return int(value) if value is not None and value.is_integer() else None


def positive(value: float | None) -> float | None:
    return value if value is not None and value > 0 else None


def simplest_ratio(value: float, tolerance: float = 0.0005) -> float:
    """The simplest fraction within ``tolerance`` of a rounded ratio ("1.333" -> 4/3).

    MediaInfo prints pixel aspect ratios with three decimals; sample aspect ratios are small
    fractions, and 1440 * 1.333 would round to 1919 instead of 1920 display columns.
    """
    for denominator in range(1, 1001):
        numerator = round(value * denominator)
        if numerator and abs(numerator / denominator - value) <= tolerance:
            return round(numerator / denominator, 6)
    return value


def clockwise_degrees(value: float | None) -> int:
    """A rotation in degrees normalised to 0..359 (to the nearest whole degree)."""
    return 0 if value is None else round(value) % 360
