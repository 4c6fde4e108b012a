"""The limits every chosen marketplace sets at once: the intersection of their packs' file rules.

Read from the rules' check kinds and parameters (numeric bounds per field, allowed values per field,
the extension/container pairs), never from marketplace names: a pack of your own takes part the same
way. Limits that cannot all be met (disjoint ranges, no common codec) are a :class:`Conflict`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from vidlint.checks.files import CaptionParams, ContainerParams, ExtensionContentParams
from vidlint.checks.numbers import RatioParams, RatiosParams
from vidlint.checks.strings import FlagParams, InSetParams
from vidlint.packs.pack import AppliesTo, Pack, Rule

_JUDGED: tuple[AppliesTo, ...] = ("file", "caption")
ORIENTATION = "orientation"
ASPECT = "main_video.display_aspect_ratio"


@dataclass(frozen=True)
class Edge:
    """One side of a numeric limit and the rule that sets it."""

    value: float
    inclusive: bool
    rule: Rule
    marketplace: str

    def who(self) -> str:
        return f"{self.marketplace} ({self.rule.id}: {self.rule.expected})"


@dataclass
class Interval:
    """The values of one field every marketplace accepts (None: no limit on that side)."""

    low: Edge | None = None
    high: Edge | None = None

    def narrow(self, edge: Edge, side: str) -> None:
        if side == "min" and (self.low is None or _tighter_low(edge, self.low)):
            self.low = edge
        if side == "max" and (self.high is None or _tighter_high(edge, self.high)):
            self.high = edge

    @property
    def empty(self) -> bool:
        if self.low is None or self.high is None:
            return False
        if self.low.value == self.high.value:
            return not (self.low.inclusive and self.high.inclusive)
        return self.low.value > self.high.value

    def contains(self, value: float) -> bool:
        low_ok = (
            self.low is None or value > self.low.value or (self.low.inclusive and value == self.low.value)
        )
        high_ok = (
            self.high is None or value < self.high.value or (self.high.inclusive and value == self.high.value)
        )
        return low_ok and high_ok


def _tighter_low(new: Edge, old: Edge) -> bool:
    return new.value > old.value or (new.value == old.value and not new.inclusive)


def _tighter_high(new: Edge, old: Edge) -> bool:
    return new.value < old.value or (new.value == old.value and not new.inclusive)


@dataclass
class Allowed:
    """The values of one field every marketplace accepts, and who narrowed them."""

    values: set[str]
    by: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Choice:
    """Several windows of one field, any one of which a marketplace accepts (``ratio_any``)."""

    windows: tuple[tuple[float, float], ...]
    rule: Rule
    marketplace: str

    def who(self) -> str:
        return f"{self.marketplace} ({self.rule.id}: {self.rule.expected})"

    def narrow(self, interval: Interval, near: float) -> Interval | None:
        """``interval`` within the window nearest ``near`` that overlaps it (None: no window does)."""
        fits = []
        for low, high in self.windows:
            narrowed = Interval(interval.low, interval.high)
            narrowed.narrow(Edge(low, True, self.rule, self.marketplace), "min")
            narrowed.narrow(Edge(high, True, self.rule, self.marketplace), "max")
            if not narrowed.empty:
                away = 0.0 if low <= near <= high else min(abs(low - near), abs(high - near))
                fits.append((away, narrowed))
        return min(fits, key=lambda fit: fit[0])[1] if fits else None


@dataclass(frozen=True)
class Conflict:
    """Two or more marketplaces whose limits on one thing cannot all be met."""

    what: str
    sides: tuple[str, ...]  # "samsclub (samsclub.duration: 5-30 s)", ...

    def describe(self) -> str:
        return f"{self.what}: {' and '.join(self.sides)} cannot all be met"


@dataclass
class Limits:
    """Numeric intervals and allowed values by field path (``duration_s``, ``main_video.oriented_width``,
    ``main_video.codec``, ``audio.*.codec``, ``extension``), the (extension, container) pairs a format
    rule allows, the containers, and the caption extensions."""

    intervals: dict[str, Interval] = field(default_factory=dict)
    allowed: dict[str, Allowed] = field(default_factory=dict)
    formats: Allowed | None = None  # "ext container" pairs, e.g. ".mp4 mp4"
    containers: Allowed | None = None
    caption_extensions: Allowed | None = None
    flags: dict[str, Allowed] = field(default_factory=dict)  # "true" / "false" by field (faststart, ...)
    choices: dict[str, list[Choice]] = field(default_factory=dict)  # several windows by field
    rules: list[tuple[str, Rule]] = field(default_factory=list)  # every judging rule, with its marketplace

    def interval(self, name: str) -> Interval:
        return self.intervals.get(name) or Interval()

    def interval_near(self, name: str, near: float) -> Interval | None:
        """The values of ``name`` every marketplace accepts, a window of each choice taken (the one
        nearest ``near``); None when a choice has no window within the others' limits."""
        found: Interval | None = self.interval(name)
        for choice in self.choices.get(name, []):
            found = choice.narrow(found, near) if found is not None else None
        return found

    def values(self, name: str) -> set[str] | None:
        found = self.allowed.get(name)
        return None if found is None else found.values

    def conflicts(self) -> list[Conflict]:
        found = [
            Conflict(name, tuple(e.who() for e in (i.low, i.high) if e is not None))
            for name, i in self.intervals.items()
            if i.empty
        ]
        sets = [*self.allowed.items(), *self.flags.items(), ("format", self.formats),
                ("container", self.containers), ("caption extension", self.caption_extensions)]  # fmt: skip
        found += [Conflict(name, tuple(a.by)) for name, a in sets if a is not None and not a.values]
        # two orientations are one conflict, not also one of the aspect ratio edges they set
        found = [c for c in found if not any(o is not c and set(c.sides) <= set(o.sides) for o in found[:]
                                             if o.what == ORIENTATION)]  # fmt: skip
        for name, choices in self.choices.items():
            base = self.interval(name)
            if not base.empty and self.interval_near(name, 1.0) is None:
                edges = tuple(e.who() for e in (base.low, base.high) if e is not None)
                found.append(Conflict(name, tuple(dict.fromkeys((*edges, *(c.who() for c in choices))))))
        return found


def limits_of(packs: Iterable[Pack]) -> Limits:
    """The intersection of the enabled error rules for files and captions of ``packs``."""
    limits = Limits()
    for pack in packs:
        for rule in pack.rules_for(*_JUDGED):
            if rule.severity == "error":
                limits.rules.append((pack.id, rule))
                _add(limits, pack.id, rule)
    return limits


def _add(limits: Limits, marketplace: str, rule: Rule) -> None:
    who = f"{marketplace} ({rule.id}: {rule.expected})"
    params = rule.params
    if isinstance(params, ExtensionContentParams):
        pairs = {f"{ext} {c}" for ext, containers in params.allowed.items() for c in containers}
        limits.formats = _narrow(limits.formats, pairs, who)
    elif isinstance(params, ContainerParams):
        limits.containers = _narrow(limits.containers, set(params.containers), who)
    elif isinstance(params, CaptionParams):
        limits.caption_extensions = _narrow(
            limits.caption_extensions, {e.lower() for e in params.extensions}, who
        )
    elif isinstance(params, RatiosParams):
        windows = tuple(RatioParams(target=t, tolerance=params.tolerance).window() for t in params.targets)
        for name in filter(None, rule.fields):
            limits.choices.setdefault(name, []).append(Choice(windows, rule, marketplace))
    elif isinstance(params, FlagParams):
        for name in filter(None, rule.fields):
            limits.flags[name] = _narrow(limits.flags.get(name), {str(params.value).lower()}, who)
    elif isinstance(params, InSetParams):
        values = {str(v).lower() for v in params.values}
        for name in filter(None, rule.fields):
            limits.allowed[name] = _narrow(limits.allowed.get(name), values, who)
            if name == ORIENTATION:
                _orientation_edges(limits, values, Edge(1.0, True, rule, marketplace))
    for bound in params.bounds():
        for name in filter(None, rule.fields):
            if bound.measure == "number" and math.isfinite(bound.value):
                key = f"{name}.{bound.subfield}" if bound.subfield else name
                edge = Edge(bound.value, bound.inclusive, rule, marketplace)
                limits.intervals.setdefault(key, Interval()).narrow(edge, bound.side)


def _orientation_edges(limits: Limits, values: set[str], one: Edge) -> None:
    """An allowed orientation as display aspect ratio edges at 1 (vertical: below 1, horizontal: above,
    square: 1), so that it meets a ratio rule of another marketplace in one interval (and a conflict
    names both)."""
    aspect = limits.intervals.setdefault(ASPECT, Interval())
    square = "square" in values
    if "horizontal" not in values and values & {"vertical", "square"}:
        aspect.narrow(replace(one, inclusive=square), "max")
    if "vertical" not in values and values & {"horizontal", "square"}:
        aspect.narrow(replace(one, inclusive=square), "min")


def _narrow(current: Allowed | None, values: set[str], who: str) -> Allowed:
    if current is None:
        return Allowed(set(values), [who])
    return Allowed(current.values & values, [*current.by, who])
