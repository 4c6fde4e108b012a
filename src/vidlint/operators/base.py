"""What every check kind is made of: the failure, the boundaries, the params model, the operator.

A check function gets one resolved value and its parameters and answers ``None`` (passes) or a
:class:`Fail` carrying what it saw. Absent values (missing, null, blank) never reach a check
unless it says it handles them (``Operator.sees_absent``): the engine answers with the check's
``on_missing``. Each params model says in words what passes (``describe``) and, for numeric
limits, where the boundaries are (``bounds``), which the generic boundary tests use.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

LengthUnit = Literal["code_points", "utf16"]


@dataclass(frozen=True)
class Fail:
    """A failed check: ``actual`` is what was seen (the engine adds the unit)."""

    actual: object


@dataclass(frozen=True)
class Bound:
    """One numeric limit of a check, so tests and docs can reach both sides of it generically.

    ``side`` "min": smaller values fail; "max": larger values fail. ``inclusive``: the limit
    itself passes. ``subfield`` is appended to the check's field (the dimensions of a track).
    ``measure``: what the number counts (a number, a string's length, a list's items).
    """

    value: float
    side: Literal["min", "max"]
    inclusive: bool
    subfield: str | None = None
    measure: Literal["number", "length", "count"] = "number"

    def crossed(self, value: float) -> bool:
        if self.side == "min":
            return value < self.value if self.inclusive else value <= self.value
        return value > self.value if self.inclusive else value >= self.value


Bounds = tuple[Bound, ...]


class Params(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def describe(self, unit: str) -> str:
        """What passes, in words (the finding's ``expected`` unless the rule gives its own)."""
        return ""

    def bounds(self) -> Bounds:
        return ()


@dataclass(frozen=True)
class Operator:
    check: Callable[[Any, Any], Fail | None]
    params: type[Params]
    sees_absent: bool = False  # gets null and blank values instead of the check's on_missing

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")


def fmt_number(value: float) -> str:
    """8 -> "8", 7.5234 -> "7.523", 500000000 -> "500,000,000"."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.3f}".rstrip("0").rstrip(".")
    whole = int(value)
    return f"{whole:,}" if abs(whole) >= 10_000 else str(whole)


def with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}" if unit else text


def as_number(value: object) -> float | None:
    """A finite number, from a number or a numeric string (multipart forms send strings)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def text_length(value: str, unit: LengthUnit) -> int:
    return len(value.encode("utf-16-le")) // 2 if unit == "utf16" else len(value)


def shown(value: object, limit: int = 80) -> str:
    """A value as a finding shows it: strings as they are, anything else as its repr, cut at ``limit``."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compiles(pattern: str | None) -> str | None:
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
    return pattern

