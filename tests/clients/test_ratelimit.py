"""Client-side sliding windows: checked with a ManualClock (exact) and as a property over any schedule."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vidlint.clients.clock import ManualClock
from vidlint.clients.ratelimit import RateLimiter


def test_the_window_fills_then_waits_for_the_oldest_slot() -> None:
    clock = ManualClock()
    limiter = RateLimiter(3, 60.0, clock)
    assert [limiter.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    clock.advance(10.0)
    assert limiter.acquire() == 50.0  # the first slot frees at t=60
    assert clock.now() == 60.0


@settings(max_examples=60, deadline=None)
@given(
    calls=st.integers(min_value=1, max_value=5),
    per_s=st.floats(min_value=0.5, max_value=30.0),
    gaps=st.lists(st.floats(min_value=0.0, max_value=20.0), min_size=1, max_size=40),
)
def test_no_window_ever_holds_more_than_the_limit(calls: int, per_s: float, gaps: list[float]) -> None:
    clock = ManualClock()
    limiter = RateLimiter(calls, per_s, clock)
    stamps = []
    for gap in gaps:
        clock.advance(gap)
        limiter.acquire()
        stamps.append(clock.now())
    for i, start in enumerate(stamps):
        inside = [t for t in stamps[i:] if t < start + per_s - 1e-9]
        assert len(inside) <= calls
