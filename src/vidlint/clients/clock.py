"""Injectable time: every wait in the clients and sandboxes goes through a Clock, never a bare sleep."""

from __future__ import annotations

import threading
import time
from typing import Protocol

# How ``wait=True`` polls a sandbox on this machine (a loopback base URL), whatever the provider:
# (first look after, then every, give up after) in seconds. A sandbox processes in about a second.
# Plain numbers (vidlint.clients.waiting.LOCAL_WAIT is the schedule) so the CLI's help can show them cheaply.
LOCAL_POLL_S: tuple[float, float, float] = (0.5, 0.5, 300.0)


def seconds(value: float) -> str:
    """A duration as a person reads it: ``0.5 s``, ``45 s``, ``30 min``, ``4 h``, ``1 h 30 min``."""
    if value < 120:
        return f"{value:g} s"
    minutes = round(value / 60)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h" if not rest else f"{hours} h {rest} min"


class Clock(Protocol):
    def now(self) -> float:
        """Monotonic seconds."""
        ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """Real time."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class ManualClock:
    """Time that moves only when told to; ``sleep`` advances it at once. For tests and simulations."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = threading.Lock()
        self.slept: list[float] = []

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self._now += max(seconds, 0.0)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds
