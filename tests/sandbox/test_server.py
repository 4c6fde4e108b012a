"""The sandbox server itself: control endpoints, faults, rate windows and body parsing, over raw HTTP."""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vidlint.sandbox import SandboxServer, start
from vidlint.sandbox.multipart import parse_form

AUTH = {"Authorization": "Bearer t"}
SEARCH = "/v2/key/shortform"


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with start("shoplive", searches_per_window=1000) as running:
        yield running


@pytest.fixture(autouse=True)
def clean(server: SandboxServer) -> None:
    server.reset()


def test_faults_are_steered_over_http_and_requests_are_logged(server: SandboxServer) -> None:
    with httpx.Client(base_url=server.url, timeout=5) as http:
        fault = {"kind": "status", "status": 503, "retry_after_s": 2, "path": "*/shortform", "times": 2}
        assert http.post("/_sandbox/faults", json=fault).status_code == 201
        answers = [http.get(SEARCH, headers=AUTH) for _ in range(3)]
        log = http.get("/_sandbox/requests").json()
    assert [a.status_code for a in answers] == [503, 503, 200]
    assert answers[0].headers["Retry-After"] == "2"
    assert [entry["path"] for entry in log] == [SEARCH] * 3  # control calls are not logged
    assert log[0]["headers"]["authorization"] == "***"


def test_a_malformed_fault_is_refused(server: SandboxServer) -> None:
    answer = httpx.post(f"{server.url}/_sandbox/faults", json={"kind": "explode"}, timeout=5)
    assert answer.status_code == 400 and server.faults.pending() == []


def test_drop_closes_without_an_answer(server: SandboxServer) -> None:
    httpx.post(f"{server.url}/_sandbox/faults", json={"kind": "drop"}, timeout=5)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(f"{server.url}{SEARCH}", headers=AUTH, timeout=5)
    assert len(server.requests) == 1


def test_slow_answers_late(server: SandboxServer) -> None:
    httpx.post(f"{server.url}/_sandbox/faults", json={"kind": "slow", "delay_s": 0.3}, timeout=5)
    started = time.monotonic()
    assert httpx.get(f"{server.url}{SEARCH}", headers=AUTH, timeout=5).status_code == 200
    assert time.monotonic() - started >= 0.3
    httpx.post(f"{server.url}/_sandbox/faults", json={"kind": "slow", "delay_s": 0.5}, timeout=5)
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{server.url}{SEARCH}", headers=AUTH, timeout=0.2)


def test_unknown_routes_are_404_json(server: SandboxServer) -> None:
    answer = httpx.get(f"{server.url}/nothing/here", timeout=5)
    assert answer.status_code == 404 and "no route" in answer.json()["message"]


def test_rate_windows_answer_429_with_retry_after() -> None:
    with start("shoplive", searches_per_window=2, window_s=0.5) as limited, httpx.Client(timeout=5) as http:
        codes = [http.get(f"{limited.url}{SEARCH}", headers=AUTH).status_code for _ in range(3)]
        refused = http.get(f"{limited.url}{SEARCH}", headers=AUTH)
        time.sleep(float(refused.headers["Retry-After"]))
        again = http.get(f"{limited.url}{SEARCH}", headers=AUTH)
    assert codes == [200, 200, 429] and refused.status_code == 429
    assert 0 < float(refused.headers["Retry-After"]) <= 0.5
    assert again.status_code == 200


def test_chunked_bodies_are_read(server: SandboxServer) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"kind": "status", '
        yield b'"status": 418}'

    answer = httpx.post(f"{server.url}/_sandbox/faults", content=chunks(), timeout=5)
    assert answer.status_code == 201 and server.faults.pending()[0].status == 418


def test_a_bad_content_length_is_refused_not_crashed(server: SandboxServer) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(b"POST /_sandbox/faults HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n")
        head = raw.recv(200)
    assert head.startswith(b"HTTP/1.1 413")
    assert httpx.get(f"{server.url}/_sandbox/health", timeout=5).status_code == 200


@settings(max_examples=40)
@given(
    fields=st.dictionaries(st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.text(max_size=30), max_size=3),
    content=st.binary(max_size=3000),
    name=st.from_regex(r"[A-Za-z0-9_.-]{1,20}", fullmatch=True),
)
def test_multipart_parsing_returns_exactly_what_httpx_sent(
    fields: dict[str, str], content: bytes, name: str
) -> None:
    request = httpx.Request("POST", "http://x/", data=fields, files={"video": (name, content, "video/mp4")})
    form = parse_form(request.headers["Content-Type"], request.read())
    assert form is not None
    assert form.files == {"video": (name, content)}
    assert form.fields == fields


def test_non_multipart_bodies_are_not_forms() -> None:
    assert parse_form("application/json", b"{}") is None
    assert parse_form("multipart/form-data", b"--x--") is None


def test_a_client_that_resets_mid_request_leaves_no_traceback(
    server: SandboxServer, capfd: pytest.CaptureFixture[str]
) -> None:
    """Clients hang up on a fake provider all the time (timeouts, faults): that is not an error to print."""
    host, port = server.url.removeprefix("http://").split(":")
    for _ in range(5):
        conn = socket.create_connection((host, int(port)))
        conn.sendall(b"GET /_sandbox/hea")
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a RST
        conn.close()
    time.sleep(0.3)  # the server's threads have read the resets by now
    assert httpx.get(f"{server.url}/_sandbox/health", timeout=5).json()["ok"] is True
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err and "ConnectionResetError" not in captured.err
