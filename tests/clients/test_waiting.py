"""Bounded polling with a ManualClock: it stops when done, or when the budget is spent, and says so."""

from __future__ import annotations

import pytest

import vidlint
from vidlint.clients.clock import ManualClock
from vidlint.clients.waiting import (
    LOCAL_WAIT,
    PollSchedule,
    PollStep,
    WaitProgress,
    on_loopback,
    poll_until,
    progress_reporter,
)
from vidlint.providers import PROVIDERS
from vidlint.providers.samsclub.client import SamsClubClient, SamsClubCredentials

from .support import walmart_keys


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


# -- issue 12: progress while waiting, and the default schedules ---------------------------------------------
def test_every_step_is_reported_before_and_after_each_look() -> None:
    clock = ManualClock()
    states = iter(["PENDING", "PENDING", "AVAILABLE"])
    steps: list[PollStep[str]] = []
    schedule = PollSchedule(1800, 900, 7200)
    poll_until(lambda: next(states), lambda s: s == "AVAILABLE", schedule, clock, report=steps.append)
    assert [(s.state, s.polls, s.elapsed_s, s.next_poll_s, s.done) for s in steps] == [
        (None, 0, 0.0, 1800, False),  # said before the first, long, sleep
        ("PENDING", 1, 1800, 900, False),
        ("PENDING", 2, 2700, 900, False),
        ("AVAILABLE", 3, 3600, None, True),
    ]


def test_the_last_step_of_a_spent_budget_says_so() -> None:
    steps: list[WaitProgress] = []
    report = progress_reporter("samsclub", "mediaId 7", str, "PENDING", steps.append)
    poll_until(lambda: "PENDING", lambda s: False, PollSchedule(10, 30, 40), ManualClock(), report=report)
    assert [p.describe() for p in steps] == [
        "samsclub mediaId 7: PENDING, first poll in 10 s",
        "samsclub mediaId 7: PENDING, 10 s elapsed, next poll in 30 s",
        "samsclub mediaId 7: PENDING, 40 s elapsed, giving up (the wait's time budget is spent)",
    ]


def test_durations_read_as_a_person_says_them() -> None:
    assert PollSchedule(1800, 900, 4 * 3600).describe() == (
        "first poll after 30 min, then every 15 min, up to 4 h"
    )
    assert PollSchedule(0.5, 0.05, 90).describe() == "first poll after 0.5 s, then every 0.05 s, up to 90 s"


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8080", True),
        ("http://127.1.2.3", True),
        ("http://localhost:9/api", True),
        ("http://[::1]:9", True),
        ("https://developer.api.walmart.com/api-proxy/service/sp/api-sams/v1", False),
        ("http://10.0.0.5", False),
        ("not a url", False),
    ],
)
def test_a_sandbox_is_told_by_its_loopback_address(url: str, local: bool) -> None:
    assert on_loopback(url) is local


def test_each_provider_has_its_default_schedule_and_a_sandbox_a_fast_one() -> None:
    samsclub, trendyol = PROVIDERS["samsclub"], PROVIDERS["trendyol"]
    assert samsclub.default_wait() == PollSchedule(first_delay_s=1800, interval_s=900, timeout_s=4 * 3600)
    assert trendyol.default_wait("https://apigw.trendyol.com") == PollSchedule(10, 30, 3600)
    assert samsclub.default_wait("http://127.0.0.1:5000") == LOCAL_WAIT == PollSchedule(0.5, 0.5, 300)
    assert vidlint.PollSchedule is PollSchedule


def test_a_client_picks_its_default_by_its_base_url() -> None:
    def timing_for(url: str) -> PollSchedule:
        creds = SamsClubCredentials(
            base_url=url, advertiser_id=1, consumer_id="c", auth_token="t", private_key=walmart_keys()[0]
        )
        with SamsClubClient(creds) as client:
            return client.timing.wait

    assert timing_for("https://developer.api.walmart.com/v1").first_delay_s == 1800
    assert timing_for("http://127.0.0.1:1") == LOCAL_WAIT
