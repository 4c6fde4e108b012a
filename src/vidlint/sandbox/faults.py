"""Switchable faults: what the next matching request(s) suffer instead of (or on top of) the contract."""

from __future__ import annotations

import re
import threading
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FaultKind = Literal["status", "drop", "drop_after", "slow"]


class Fault(BaseModel):
    """One fault. ``path`` is a regular expression searched in the request path ("" matches all).

    - ``status``: answer ``status`` (with ``Retry-After: retry_after_s`` when set) without doing anything.
    - ``drop``: read the request, then close the connection without an answer, doing nothing.
    - ``drop_after``: do the work, then close the connection without an answer (the request took effect).
    - ``slow``: wait ``delay_s`` seconds, then answer normally.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: FaultKind
    method: str | None = None
    path: str = ""
    status: int = Field(default=500, ge=100, le=599)
    retry_after_s: float | None = Field(default=None, ge=0)
    delay_s: float = Field(default=0.0, ge=0)
    times: int = Field(default=1, ge=0)  # matching requests it hits; 0 means every one

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return re.search(self.path, path) is not None


class FaultScript:
    """Faults in the order they were added; each request takes the first that matches."""

    def __init__(self) -> None:
        self._faults: list[tuple[Fault, int]] = []  # (fault, hits left; 0 = unlimited)
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append((fault, fault.times))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[Fault]:
        with self._lock:
            return [fault for fault, _ in self._faults]

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for index, (fault, left) in enumerate(self._faults):
                if not fault.matches(method, path):
                    continue
                if left == 1:
                    del self._faults[index]
                elif left > 1:
                    self._faults[index] = (fault, left - 1)
                return fault
        return None
