"""Switchable faults: what the next matching request(s) suffer instead of (or on top of) the contract.

A fault's ``path`` is a shell-style glob (``fnmatch``, case-sensitive) matched against the whole request
path, never a regular expression: a regular expression from a user could backtrack for minutes and hold
the server with it, while a glob's ``*`` never backtracks (Python compiles it to atomic groups), so a
match costs at most about the path's length times the pattern's, whatever the pattern. A path that
cannot be a glob (longer than ``MAX_PATTERN``, a control character, an unclosed ``[``, or a character
that only a regular expression gives a meaning: ``^ $ ( ) | + { } \\`` outside brackets) is refused with a
ValueError naming it when the fault is made or added, never when a request arrives.
"""

from __future__ import annotations

import fnmatch
import threading
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

FaultKind = Literal["status", "drop", "drop_after", "slow"]
MAX_PATTERN = 256
_REGEX_ONLY = frozenset("^$()|+{}\\")


def check_path_pattern(pattern: str) -> str:
    """``pattern`` when it is a glob a fault can use, else ValueError naming it and what is wrong."""
    if not isinstance(pattern, str):
        raise ValueError(f"fault path {pattern!r} is not a string")
    if len(pattern) > MAX_PATTERN:
        raise ValueError(f"fault path {pattern[:40]!r}... is longer than {MAX_PATTERN} characters")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in pattern):
        raise ValueError(f"fault path {pattern!r} contains a control character")
    at = 0
    while at < len(pattern):
        ch = pattern[at]
        if ch == "[":
            end = _bracket_end(pattern, at)
            if end < 0:
                raise ValueError(f"fault path {pattern!r}: the '[' at {at} is never closed")
            at = end + 1
            continue
        if ch in _REGEX_ONLY:
            raise ValueError(
                f"fault path {pattern!r} is not a glob ({ch!r} at {at}): fault paths are shell-style globs "
                f"matched against the whole path, e.g. '*/videos' or '/blob/*' (write [{ch}] for a literal)"
            )
        at += 1
    return pattern


def _bracket_end(pattern: str, start: int) -> int:
    """Where the bracket expression opened at ``start`` closes, as fnmatch reads it; -1 if it never does."""
    at = start + 1
    if at < len(pattern) and pattern[at] == "!":
        at += 1
    if at < len(pattern) and pattern[at] == "]":
        at += 1
    return pattern.find("]", at)


class Fault(BaseModel):
    """One fault. ``path`` is a glob matched against the whole request path ("" matches every path),
    e.g. ``"*/videos"``, ``"/blob/*"``, ``"/api/v1/media"``; see the module's notes.

    - ``status``: answer ``status`` (with ``Retry-After: retry_after_s`` when set) without doing anything.
    - ``drop``: read the request, then close the connection without an answer, doing nothing.
    - ``drop_after``: do the work, then close the connection without an answer (the request took effect).
    - ``slow``: wait ``delay_s`` seconds, then answer normally.

    Faults hit requests that got past the route's authentication (which runs before any body is read).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: FaultKind
    method: str | None = None
    path: str = ""
    status: int = Field(default=500, ge=100, le=599)
    retry_after_s: float | None = Field(default=None, ge=0)
    delay_s: float = Field(default=0.0, ge=0)
    times: int = Field(default=1, ge=0)  # matching requests it hits; 0 means every one

    @field_validator("path")
    @classmethod
    def _glob(cls, value: str) -> str:
        return check_path_pattern(value)

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return not self.path or fnmatch.fnmatchcase(path, self.path)


class FaultScript:
    """Faults in the order they were added; each request takes the first that matches."""

    def __init__(self) -> None:
        self._faults: list[tuple[Fault, int]] = []  # (fault, hits left; 0 = unlimited)
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        """Add ``fault`` (ValueError, naming it, for a path that is not a usable glob)."""
        check_path_pattern(fault.path)  # again: a Fault made with model_construct skipped the validator
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
