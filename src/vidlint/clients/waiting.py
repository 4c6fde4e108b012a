"""Bounded polling: ask, wait (through the Clock), ask again, until done or the time budget is spent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from vidlint.clients.clock import Clock

S = TypeVar("S")


@dataclass(frozen=True)
class PollSchedule:
    first_delay_s: float  # before the first look
    interval_s: float  # between looks
    timeout_s: float  # total budget; the last look happens no later than this

    def __post_init__(self) -> None:
        if self.interval_s <= 0 or self.first_delay_s < 0 or self.timeout_s < 0:
            raise ValueError("a poll schedule needs interval_s > 0 and non-negative first_delay_s, timeout_s")


@dataclass(frozen=True)
class PollOutcome(Generic[S]):
    state: S
    done: bool
    polls: int


def poll_until(
    fetch: Callable[[], S], done: Callable[[S], bool], schedule: PollSchedule, clock: Clock
) -> PollOutcome[S]:
    """Fetch until ``done(state)``; returns the last state either way (``done`` False on time-out)."""
    start = clock.now()
    clock.sleep(min(schedule.first_delay_s, schedule.timeout_s))
    polls = 0
    while True:
        state = fetch()
        polls += 1
        if done(state):
            return PollOutcome(state, True, polls)
        left = schedule.timeout_s - (clock.now() - start)
        if left <= 0:
            return PollOutcome(state, False, polls)
        clock.sleep(min(schedule.interval_s, left))
