"""One time budget for the whole check of a URL, held against servers that misbehave on purpose.

HostileServer (tests/support/hostile.py) speaks raw HTTP on 127.0.0.1: it trickles a byte a second
in the headers or in the body, accepts and never answers, redirects forever, sends endless headers,
or trickles an oEmbed answer. Each check must end within its budget plus a small margin on the wall
clock, in this process and in the isolated worker, with the outcome the packs map to their codes:
"timeout" when the budget ran out, "failed" when the server broke the protocol first, "could not
verify" for a platform link. Budgets are half a second, so each test ends in about that.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpcore
import httpx
import pytest
from support.hostile import HostileServer

from vidlint.model.facts import FetchFacts, MediaFacts
from vidlint.remote import RemoteOptions, fetch_facts
from vidlint.remote.deadline import Deadline
from vidlint.remote.fetch import ISOLATION_MARGIN_S
from vidlint.remote.network import BoundedTransport, resolve
from vidlint.remote.problems import FetchProblem

BUDGET_S = 0.5
SLACK_S = 0.4  # scheduling and the answer's way back; never a trickle interval (1 s)
SPENT = f"no answer within the {BUDGET_S:g} s budget"
YOUTUBE = "https://www.youtube.com/watch?v=publicvideo1"
MODES = pytest.mark.parametrize("isolate", [False, True], ids=["in-process", "isolated"])


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    with HostileServer(interval_s=1.0, hop_delay_s=0.15) as srv:
        yield srv


def _timed(action: Callable[[], MediaFacts]) -> tuple[FetchFacts, float]:
    started = time.monotonic()
    facts = action()
    elapsed = time.monotonic() - started
    assert facts.fetch is not None
    return facts.fetch, elapsed


def _limit(isolate: bool) -> float:
    """The longest a check may take: the budget, and for the worker the margin before it is killed."""
    return BUDGET_S + SLACK_S + (ISOLATION_MARGIN_S if isolate else 0.0)


# --- the file checks -------------------------------------------------------------------------------


@MODES
@pytest.mark.parametrize(
    ("route", "changes", "requests"),
    [
        ("trickle-headers/clip.mp4", {}, ["HEAD"]),  # a byte a second in the HEAD's headers
        ("trickle-body/clip.mp4", {}, ["HEAD", "GET"]),  # the first ranged GET's body, a byte a second
        ("silent/clip.mp4", {}, ["HEAD"]),  # accepts, reads the request, never answers
        ("redirect-slowly/0", {"max_redirects": 30}, ["HEAD"] * 3),  # a new URL every 0.15 s
    ],
    ids=["trickled-headers", "trickled-body", "no-answer", "slow-endless-redirects"],
)
def test_a_hostile_server_costs_the_budget_and_no_more(
    hostile: HostileServer, route: str, changes: dict[str, Any], requests: list[str], isolate: bool
) -> None:
    options = RemoteOptions(timeout_s=BUDGET_S, isolate=isolate, **changes)
    fetch, elapsed = _timed(lambda: fetch_facts(hostile.url(route), options=options))
    assert fetch.outcome == "timeout", fetch
    assert fetch.error == SPENT
    assert BUDGET_S <= elapsed <= _limit(isolate)
    methods = [method for method, _ in hostile.requests]
    assert methods[: len(requests)] == requests and set(methods[len(requests) :]) <= {"HEAD"}


@MODES
def test_trickled_headers_get_one_budget_not_one_per_request(hostile: HostileServer, isolate: bool) -> None:
    """The connect timeout and each read timeout are cut to what is left, not granted afresh."""
    options = RemoteOptions(timeout_s=BUDGET_S, connect_timeout_s=30.0, isolate=isolate)
    fetch, elapsed = _timed(lambda: fetch_facts(hostile.url("trickle-headers/a.mp4"), options=options))
    assert fetch.outcome == "timeout" and elapsed <= _limit(isolate)


@MODES
@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ("redirect-forever/0", "more than 5 redirects"),  # a new URL each hop: no loop to spot
        ("huge-headers/clip.mp4", "the connection broke"),  # endless header lines, as fast as they go
    ],
    ids=["endless-redirects", "huge-headers"],
)
def test_a_broken_protocol_fails_fast(hostile: HostileServer, route: str, reason: str, isolate: bool) -> None:
    options = RemoteOptions(timeout_s=BUDGET_S, isolate=isolate)
    fetch, elapsed = _timed(lambda: fetch_facts(hostile.url(route), options=options))
    assert fetch.outcome == "failed" and reason in (fetch.error or "")
    assert elapsed < BUDGET_S / 2


# --- platform links: the oEmbed look-up ------------------------------------------------------------


@MODES
@pytest.mark.parametrize(
    "endpoint",
    ["oembed-trickle/youtube", "trickle-headers/oembed", "silent/oembed"],
    ids=["trickled-body", "trickled-headers", "no-answer"],
)
def test_a_hostile_oembed_endpoint_is_could_not_verify_within_the_budget(
    hostile: HostileServer, endpoint: str, isolate: bool
) -> None:
    options = RemoteOptions(
        timeout_s=BUDGET_S,
        oembed_timeout_s=30.0,
        isolate=isolate,
        oembed_endpoints={"youtube": hostile.url(endpoint)},
    )
    fetch, elapsed = _timed(lambda: fetch_facts(YOUTUBE, options=options))
    assert (fetch.outcome, fetch.link_kind, fetch.platform_available) == ("ok", "platform", None)
    assert fetch.error == f"could not verify with youtube: {SPENT}"
    assert BUDGET_S <= elapsed <= BUDGET_S + SLACK_S  # a look-up never runs in the worker


def test_the_oembed_cap_ends_the_look_up_first_when_it_is_shorter(hostile: HostileServer) -> None:
    endpoints = {"youtube": hostile.url("oembed-trickle/youtube")}
    options = RemoteOptions(timeout_s=30.0, oembed_timeout_s=0.3, oembed_endpoints=endpoints)
    fetch, elapsed = _timed(lambda: fetch_facts(YOUTUBE, options=options))
    assert fetch.platform_available is None and fetch.error is not None and "0.3 s budget" in fetch.error
    assert 0.3 <= elapsed <= 0.3 + SLACK_S


def test_an_oembed_look_up_through_a_proxy_is_bounded_too(
    hostile: HostileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An HTTP proxy from the environment is still used (as httpx would), and its socket is bounded."""
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", hostile.base_url)
    endpoint = "http://oembed.invalid/trickle-headers/oembed"  # only the proxy ever looks the name up
    options = RemoteOptions(timeout_s=BUDGET_S, oembed_endpoints={"youtube": endpoint})
    fetch, elapsed = _timed(lambda: fetch_facts(YOUTUBE, options=options))
    assert fetch.error == f"could not verify with youtube: {SPENT}"
    assert BUDGET_S <= elapsed <= BUDGET_S + SLACK_S
    ((method, target),) = hostile.requests
    assert method == "GET" and target.startswith(endpoint + "?")


# --- the layers on their own -----------------------------------------------------------------------


def test_the_bounded_transport_stops_a_trickle_at_the_deadline(hostile: HostileServer) -> None:
    """httpx alone would wait forever: its read timeout (here 30 s) restarts with every byte."""
    started = time.monotonic()
    transport = BoundedTransport(deadline=Deadline.start(BUDGET_S))
    with httpx.Client(transport=transport, timeout=30.0) as client, pytest.raises(httpx.ReadTimeout):
        client.get(hostile.url("trickle-headers/x"))
    assert BUDGET_S <= time.monotonic() - started <= BUDGET_S + SLACK_S


def test_an_injected_transport_still_stops_at_the_first_chunk_after_the_deadline() -> None:
    """A test transport has no bounded sockets: the body loop's own check ends the read."""
    with HostileServer(interval_s=0.1) as hostile:
        options = RemoteOptions(timeout_s=BUDGET_S, transport=httpx.HTTPTransport())
        fetch, elapsed = _timed(lambda: fetch_facts(hostile.url("trickle-body/clip.mp4"), options=options))
    assert fetch.outcome == "timeout" and fetch.error == SPENT
    assert BUDGET_S <= elapsed <= BUDGET_S + SLACK_S


def test_a_deadline_is_shared_and_travels() -> None:
    deadline = Deadline.start(10.0)
    assert 9.0 < deadline.remaining() <= 10.0 and not deadline.expired
    assert deadline.within(60.0) is deadline  # a longer cap changes nothing
    capped = deadline.within(0.5)
    assert capped.at < deadline.at and capped.budget_s == 0.5
    assert deadline.bound(None) <= 10.0 and deadline.bound(0.25) == 0.25
    assert pickle.loads(pickle.dumps(deadline)) == deadline  # into the worker, on the same clock
    spent = Deadline.start(0.0)
    assert spent.expired and spent.remaining() == 0.0 and spent.bound(5.0) == 0.0
    with pytest.raises(FetchProblem) as raised:
        spent.check()
    assert (raised.value.outcome, raised.value.message) == ("timeout", "no answer within the 0 s budget")


def test_an_exhausted_budget_sends_nothing(hostile: HostileServer) -> None:
    options = RemoteOptions(timeout_s=1e-6, isolate=False)
    fetch, _ = _timed(lambda: fetch_facts(hostile.url("silent/clip.mp4"), options=options))
    assert fetch.outcome == "timeout" and hostile.requests == []


def test_names_are_resolved_within_the_time_left() -> None:
    assert resolve("127.0.0.1", 80, 0.0) == ["127.0.0.1"]  # an address needs no lookup
    assert resolve("::1", 80, None) == ["::1"]
    with pytest.raises(httpcore.ConnectTimeout):
        resolve("localhost", 80, 0.0)
    assert {"127.0.0.1", "::1"} & set(resolve("localhost", 80, 5.0))
