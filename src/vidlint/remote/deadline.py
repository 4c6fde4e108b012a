"""Deadline: the one time budget of a URL check, as a point on the monotonic clock.

``fetch_facts`` starts it once (``RemoteOptions.timeout_s``) and every network step shares it: name
resolution and connect, the TLS handshake, every socket read and write (``network.BoundedBackend``),
each request's httpx timeouts, the redirect hops, the body loops, the oEmbed look-up, and the
isolated worker, which is killed a fixed margin after it. A server that trickles bytes cannot extend
it: each socket operation may only wait for what is left. A frozen value, so it travels to the
worker (a forked child on the same monotonic clock).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from vidlint.remote.problems import FetchProblem


@dataclass(frozen=True)
class Deadline:
    at: float  # time.monotonic() value at which the budget is spent
    budget_s: float  # the budget it was started with, for messages

    @classmethod
    def start(cls, budget_s: float) -> Deadline:
        """A deadline ``budget_s`` seconds from now."""
        return cls(time.monotonic() + budget_s, budget_s)

    def remaining(self) -> float:
        """Seconds left, never negative."""
        return max(self.at - time.monotonic(), 0.0)

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self.at

    def within(self, cap_s: float) -> Deadline:
        """This deadline, or ``cap_s`` seconds from now if that comes first (a step's own cap)."""
        capped = time.monotonic() + cap_s
        return Deadline(capped, cap_s) if capped < self.at else self

    def bound(self, timeout: float | None) -> float:
        """A step's timeout cut to what is left (0.0 once expired: callers raise instead of waiting)."""
        left = self.remaining()
        return left if timeout is None else min(timeout, left)

    def problem(self) -> FetchProblem:
        """The outcome of a check that ran out of time."""
        return FetchProblem("timeout", f"no answer within the {self.budget_s:g} s budget")

    def check(self) -> None:
        """Raise ``problem()`` once the budget is spent."""
        if self.expired:
            raise self.problem()
