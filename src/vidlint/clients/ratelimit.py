"""Client-side rate limits: a sliding window that waits (through the Clock) instead of earning a 429."""

from __future__ import annotations

import threading
from collections import deque

from vidlint.clients.clock import Clock, SystemClock


class RateLimiter:
    """At most ``calls`` acquisitions in any ``per_s``-second window."""

    def __init__(self, calls: int, per_s: float, clock: Clock | None = None) -> None:
        if calls < 1 or per_s <= 0:
            raise ValueError("a rate limit needs calls >= 1 and per_s > 0")
        self.calls = calls
        self.per_s = per_s
        self._clock = clock or SystemClock()
        self._stamps: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take a slot, waiting first when the window is full. Returns the seconds waited."""
        waited = 0.0
        with self._lock:
            while True:
                now = self._clock.now()
                while self._stamps and self._stamps[0] <= now - self.per_s:
                    self._stamps.popleft()
                if len(self._stamps) < self.calls:
                    self._stamps.append(now)
                    return waited
                pause = self._stamps[0] + self.per_s - now
                self._clock.sleep(pause)
                waited += pause
                # The oldest slot has expired by construction; dropping it here (rather than comparing
                # float times again) keeps rounding from spinning this loop on a sub-nanosecond wait.
                self._stamps.popleft()

    def __repr__(self) -> str:
        return f"RateLimiter(calls={self.calls}, per_s={self.per_s})"
