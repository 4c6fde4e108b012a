"""The retry policy in isolation: time is a ManualClock, so waits are exact and instant."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vidlint.clients.clock import ManualClock
from vidlint.clients.errors import (
    ConnectionFailed,
    ProviderError,
    RateLimited,
    ServerError,
    ValidationFailed,
)
from vidlint.clients.http import parse_retry_after
from vidlint.clients.retry import RetryPolicy, call_with_retry

POLICY = RetryPolicy(max_attempts=4, base_delay_s=1.0, max_delay_s=8.0, max_retry_after_s=60.0)


def failing(*errors: ProviderError, then: str = "done") -> tuple[Callable[[], str], list[int]]:
    """An operation raising ``errors`` in turn, then answering ``then``; and its call counter."""
    calls = [0]

    def op() -> str:
        calls[0] += 1
        if calls[0] <= len(errors):
            raise errors[calls[0] - 1]
        return then

    return op, calls


def limited(after: float | None) -> RateLimited:
    return RateLimited("429", provider="p", retry_after_s=after)


def server_error() -> ServerError:
    return ServerError("500", provider="p", status=500)


def dropped(maybe: bool = True) -> ConnectionFailed:
    return ConnectionFailed("dropped", provider="p", maybe_processed=maybe)


def test_retry_after_is_honoured_exactly() -> None:
    clock = ManualClock()
    op, calls = failing(limited(2.5), limited(0.25))
    assert call_with_retry(op, policy=POLICY, clock=clock, idempotent=False) == "done"
    assert clock.slept == [2.5, 0.25]
    assert calls[0] == 3


def test_429_without_retry_after_backs_off_exponentially() -> None:
    clock = ManualClock()
    op, _ = failing(limited(None), limited(None), limited(None))
    call_with_retry(op, policy=POLICY, clock=clock, idempotent=True)
    assert clock.slept == [1.0, 2.0, 4.0]


def test_a_retry_after_beyond_the_cap_is_raised_not_waited() -> None:
    clock = ManualClock()
    op, calls = failing(limited(3600))
    with pytest.raises(RateLimited):
        call_with_retry(op, policy=POLICY, clock=clock, idempotent=True)
    assert clock.slept == [] and calls[0] == 1


def test_attempts_are_bounded_and_the_last_error_raised() -> None:
    clock = ManualClock()
    op, calls = failing(*(server_error() for _ in range(10)))
    with pytest.raises(ServerError):
        call_with_retry(op, policy=POLICY, clock=clock, idempotent=True)
    assert calls[0] == POLICY.max_attempts
    assert clock.slept == [1.0, 2.0, 4.0]


def test_client_errors_are_never_retried() -> None:
    op, calls = failing(ValidationFailed("400", provider="p", status=400))
    with pytest.raises(ValidationFailed):
        call_with_retry(op, policy=POLICY, clock=ManualClock(), idempotent=True)
    assert calls[0] == 1


@pytest.mark.parametrize("error", [server_error(), dropped(True)], ids=["5xx", "dropped"])
def test_an_ambiguous_create_is_not_repeated_without_a_duplicate_check(error: ProviderError) -> None:
    op, calls = failing(error)
    with pytest.raises(type(error)):
        call_with_retry(op, policy=POLICY, clock=ManualClock(), idempotent=False)
    assert calls[0] == 1


def test_an_ambiguous_create_that_had_landed_is_recovered_not_repeated() -> None:
    op, calls = failing(dropped(True))
    found = call_with_retry(
        op, policy=POLICY, clock=ManualClock(), idempotent=False, recover=lambda: "existing"
    )
    assert found == "existing" and calls[0] == 1


def test_an_ambiguous_create_that_had_not_landed_is_repeated() -> None:
    looked = [0]

    def nothing() -> str | None:
        looked[0] += 1
        return None

    op, calls = failing(server_error())
    assert (
        call_with_retry(op, policy=POLICY, clock=ManualClock(), idempotent=False, recover=nothing) == "done"
    )
    assert calls[0] == 2 and looked[0] == 1


def test_a_request_that_never_left_is_repeated_even_for_a_create() -> None:
    op, calls = failing(dropped(False))
    assert call_with_retry(op, policy=POLICY, clock=ManualClock(), idempotent=False) == "done"
    assert calls[0] == 2


@settings(max_examples=50)
@given(st.integers(min_value=1, max_value=40))
def test_backoff_grows_and_stays_under_its_cap(attempt: int) -> None:
    assert POLICY.backoff_s(attempt) <= POLICY.max_delay_s
    assert POLICY.backoff_s(attempt + 1) >= POLICY.backoff_s(attempt)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("3", 3.0), ("0.25", 0.25), ("-4", 0.0), (None, None), ("", None), ("soon", None)],
)
def test_retry_after_seconds(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_retry_after_http_date() -> None:
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    parsed = parse_retry_after(later)
    assert parsed is not None and 25 <= parsed <= 31
