"""What every check kind is made of: the failure, the boundaries, the params type, the registry of kinds.

A check function gets one resolved value and its parameters and answers ``None`` (passes) or a
:class:`Fail` carrying what it saw. Absent values (missing, null, blank) never reach a check
unless it says it handles them (``CheckKind.sees_absent``): the engine answers with the check's
``on_missing``. Each params type says in words what passes (``describe``) and, for numeric
limits, where the boundaries are (``bounds``), which the generic boundary tests use.

Params types are frozen stdlib dataclasses, so running a check never needs pydantic: the pack
loader (vidlint.packs.loader) validates a rule's params table into one with ``pydantic.TypeAdapter``,
which reads the constraints (:class:`Limit`), ``__pydantic_config__`` and the attribute
docstrings (the JSON Schema's descriptions). Every field holds JSON data (lists, dicts, strings,
numbers, booleans, None), so validated params rebuild from their JSON with the plain constructor.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from dataclasses import Field, dataclass
from typing import Annotated, Any, ClassVar, Literal, TypeVar

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


class Limit:
    """A constraint on a params field (``Annotated[float, Ge(0)]``) that costs nothing to import:
    pydantic asks it for its schema only when the pack loader builds a validator, and it answers with
    the ``annotated_types`` constraint of the same name (importing that package costs ~10 ms, a tenth
    of a cold single-file check)."""

    __slots__ = ("name", "value")

    def __init__(self, name: str, value: float) -> None:
        self.name, self.value = name, value

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        import annotated_types

        return handler(Annotated[source, getattr(annotated_types, self.name)(self.value)])


def Ge(value: float) -> Limit:  # annotated_types' names
    return Limit("Ge", value)


def Lt(value: float) -> Limit:
    return Limit("Lt", value)


def MinLen(value: int) -> Limit:
    return Limit("MinLen", value)


class Params:
    """Base of every check kind's parameters (each a ``@dataclass(frozen=True, kw_only=True)``)."""

    __pydantic_config__: ClassVar[dict[str, object]] = {"extra": "forbid", "use_attribute_docstrings": True}
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]  # for type checkers: every subclass is a dataclass

    def describe(self, unit: str) -> str:
        """What passes, in words (the finding's ``expected`` unless the rule gives its own)."""
        return ""

    def bounds(self) -> Bounds:
        return ()


@dataclass(frozen=True)
class CheckKind:
    """A registered check kind: its function, its params type, and whether it sees absent values."""

    name: str
    check: Callable[[Any, Any], Fail | None]
    params: type[Params]
    sees_absent: bool = False  # gets null and blank values instead of the rule's on_missing

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")


KINDS: dict[str, CheckKind] = {}  # name -> kind, filled by @check_kind as vidlint.checks imports its modules
CheckFunction = TypeVar("CheckFunction", bound=Callable[..., Fail | None])


def check_kind(
    name: str, params: type[Params], *, sees_absent: bool = False
) -> Callable[[CheckFunction], CheckFunction]:
    """Registers the decorated function as the check kind ``name`` (a pack's ``check.kind``)."""

    def register(function: CheckFunction) -> CheckFunction:
        if name in KINDS:
            raise ValueError(f"check kind {name!r} registered twice")
        KINDS[name] = CheckKind(name, function, params, sees_absent)
        return function

    return register


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


def check_regex(name: str, pattern: str | None) -> None:
    """For ``__post_init__``: the error names the field, as pydantic's own errors do."""
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{name}: not a regular expression: {exc}") from None
        except (RecursionError, OverflowError, MemoryError):  # groups nested thousands deep
            raise ValueError(f"{name}: not a regular expression: nested too deeply") from None


# For ``__post_init__``: the constraints that make a limit mean something. They hold for the plain
# constructor (a stored setup, rules/compiled.json) and for pydantic (a pack file, an override), which
# runs ``__post_init__`` and reports the ValueError as the rule's error. Each message names the field.


def check_limit(name: str, value: float, *, positive: bool = False) -> None:
    """A numeric limit is a finite number, not below zero (above zero with ``positive``): every value a
    check compares with one (a size, a duration, a rate, a count, a length) is never negative, so a
    negative limit would fail every source, and NaN would pass every one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name}: must be a number, not {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{name}: must be a finite number, not {value!r}")
    if value < 0 or (positive and value == 0):
        raise ValueError(f"{name}: must be {'above' if positive else 'at least'} 0, not {_exact(value)}")


def check_order(low_name: str, low: float, high_name: str, high: float) -> None:
    """``low <= high``: a range no value can fall in would fail every source."""
    if low > high:
        raise ValueError(f"{high_name}: must not be less than {low_name} ({_exact(high)} < {_exact(low)})")


def _exact(value: float) -> str:
    """A limit as an error shows it: whole numbers as findings do, others in full (never "-0")."""
    return fmt_number(value) if isinstance(value, int) or value.is_integer() else repr(value)

