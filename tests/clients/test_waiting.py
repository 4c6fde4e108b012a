"""Bounded polling with a ManualClock: it stops when done, or when the budget is spent."""

from __future__ import annotations

import pytest

from vidlint.clients.clock import ManualClock
from vidlint.clients.waiting import PollSchedule, poll_until


def test_stops_as_soon_as_done() -> None:
    clock = ManualClock()
    states = iter(["PENDING", "PENDING", "AVAILABLE", "never read"])
    outcome = poll_until(
        lambda: next(states), lambda s: s == "AVAILABLE", PollSchedule(1800, 900, 7200), clock
    )
    assert (outcome.state, outcome.done, outcome.polls) == ("AVAILABLE", True, 3)
    assert clock.slept == [1800, 900, 900]


def test_gives_up_within_the_budget() -> None:
    clock = ManualClock()
    outcome = poll_until(lambda: "PENDING", lambda s: False, PollSchedule(10, 30, 100), clock)
    assert not outcome.done and outcome.state == "PENDING"
    assert clock.now() == 100
    assert outcome.polls == 4  # looks at t=10, 40, 70 and, the budget spent, a last one at 100


@pytest.mark.parametrize(("first", "every", "budget"), [(0, 0, 10), (-1, 5, 10), (0, 5, -1)])
def test_a_schedule_that_could_spin_is_refused(first: float, every: float, budget: float) -> None:
    with pytest.raises(ValueError, match="poll schedule"):
        PollSchedule(first, every, budget)
