"""Bounded polling: ask, wait (through the Clock), ask again, until done or the time budget is spent.

Each provider that processes uploads in the background has a default schedule (``Provider.wait`` in its
registry entry: Sam's Club looks after 30 minutes, then every 15, for 4 hours, as its document advises).
A client whose base URL is on the loopback interface (a sandbox, ``vidlint sandbox ID``) uses
``LOCAL_WAIT`` instead (every 0.5 s, up to 5 minutes), so a sandbox upload with ``wait=True`` finishes
in seconds (``Provider.default_wait(base_url)`` decides).

While it waits, every step is reported: logged at INFO on this module's logger and handed to the caller's
``on_progress`` hook as a :class:`WaitProgress` (status, elapsed time, time to the next look).
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import urlsplit

from vidlint.clients.clock import LOCAL_POLL_S, Clock, seconds

S = TypeVar("S")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PollSchedule:
    first_delay_s: float  # before the first look
    interval_s: float  # between looks
    timeout_s: float  # total budget; the last look happens no later than this

    def __post_init__(self) -> None:
        if self.interval_s <= 0 or self.first_delay_s < 0 or self.timeout_s < 0:
            raise ValueError("a poll schedule needs interval_s > 0 and non-negative first_delay_s, timeout_s")

    def describe(self) -> str:
        """``first poll after 1800 s, then every 900 s, up to 4 h``."""
        return (
            f"first poll after {seconds(self.first_delay_s)}, then every {seconds(self.interval_s)}, "
            f"up to {seconds(self.timeout_s)}"
        )


# The default schedule of a client talking to a sandbox on this machine (its base URL on loopback).
LOCAL_WAIT = PollSchedule(*LOCAL_POLL_S)
# Of a provider whose registry entry names no schedule of its own.
DEFAULT_WAIT = PollSchedule(first_delay_s=0.0, interval_s=10.0, timeout_s=600.0)


def on_loopback(url: str) -> bool:
    """Whether ``url`` points at this machine (127.0.0.0/8, ::1 or localhost): a sandbox, not a provider."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class WaitProgress:
    """One step of waiting for a provider's verdict, as ``on_progress`` receives it."""

    marketplace: str
    remote_id: str  # the id being waited for (mediaId, videoId)
    status: str  # the provider's last status word (before the first look: the one known after sending)
    polls: int  # looks so far
    elapsed_s: float
    next_poll_s: float | None  # seconds until the next look; None once finished or given up
    done: bool  # the provider has finished processing (either way)
    schedule: PollSchedule  # the schedule being followed

    def describe(self) -> str:
        """One line: ``samsclub mediaId 700001: PENDING, 12 s elapsed, next poll in 5 s``."""
        what = f"{self.marketplace} {self.remote_id}: {self.status}"
        if self.polls == 0 and self.next_poll_s is not None:
            return f"{what}, first poll in {_span(self.next_poll_s)}"
        head = f"{what}, {_span(self.elapsed_s)} elapsed"
        if self.done:
            return f"{head}, finished after {self.polls} poll{'s' * (self.polls != 1)}"
        if self.next_poll_s is None:
            return f"{head}, giving up (the wait's time budget is spent)"
        return f"{head}, next poll in {_span(self.next_poll_s)}"


def _span(value: float) -> str:
    """Tenths of a second, or hundredths below one second (a sandbox polls every few hundredths)."""
    return seconds(round(value, 1 if value >= 1 else 2))


ProgressHook = Callable[[WaitProgress], None]


@dataclass(frozen=True)
class PollOutcome(Generic[S]):
    state: S
    done: bool
    polls: int


@dataclass(frozen=True)
class PollStep(Generic[S]):
    """What ``poll_until`` reports after each look (and once before the first, with ``state`` None)."""

    state: S | None
    polls: int
    elapsed_s: float
    next_poll_s: float | None
    done: bool
    schedule: PollSchedule


def poll_until(
    fetch: Callable[[], S],
    done: Callable[[S], bool],
    schedule: PollSchedule,
    clock: Clock,
    *,
    report: Callable[[PollStep[S]], None] | None = None,
) -> PollOutcome[S]:
    """Fetch until ``done(state)``; returns the last state either way (``done`` False on time-out).
    ``report`` hears of every step: before the first look, and after each one."""
    tell = report or (lambda _step: None)
    start = clock.now()
    first = min(schedule.first_delay_s, schedule.timeout_s)
    tell(PollStep(None, 0, 0.0, first, False, schedule))
    clock.sleep(first)
    polls = 0
    while True:
        state = fetch()
        polls += 1
        elapsed = clock.now() - start
        if done(state):
            tell(PollStep(state, polls, elapsed, None, True, schedule))
            return PollOutcome(state, True, polls)
        left = schedule.timeout_s - elapsed
        if left <= 0:
            tell(PollStep(state, polls, elapsed, None, False, schedule))
            return PollOutcome(state, False, polls)
        pause = min(schedule.interval_s, left)
        tell(PollStep(state, polls, elapsed, pause, False, schedule))
        clock.sleep(pause)


def progress_reporter(
    marketplace: str,
    remote_id: str,
    status_of: Callable[[S], str],
    initial_status: str,
    hook: ProgressHook | None,
) -> Callable[[PollStep[S]], None]:
    """A ``report`` for poll_until that logs each step (INFO) and hands it to ``hook`` as WaitProgress."""

    def report(step: PollStep[S]) -> None:
        status = initial_status if step.state is None else status_of(step.state)
        progress = WaitProgress(
            marketplace,
            remote_id,
            status,
            step.polls,
            step.elapsed_s,
            step.next_poll_s,
            step.done,
            step.schedule,
        )
        log.info("waiting: %s", progress.describe())
        if hook is not None:
            hook(progress)

    return report
