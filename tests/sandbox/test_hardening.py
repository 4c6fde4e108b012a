"""The sandbox servers against hostile or careless callers (issue 11), over raw sockets on 127.0.0.1.

Authentication looks at the request's head before any body is read; chunked bodies meet the same cap as
declared ones; malformed framing is a one-line 400, never a traceback; fault paths are globs checked
when the fault is added, so no pattern can stall the server; the request log masks credentials.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from vidlint.sandbox import Fault, FaultScript, SandboxServer, start
from vidlint.sandbox.pytest_plugin import SandboxFactory

from .support import walmart_keys

TOKEN = {"Authorization": "Token t"}
CREATE = "/api/v1/product_video/"  # Akinon: an authenticated route that takes a body
SECRET_SIG = "sIgNaTuRe-VaLuE-0123456789"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def address(server: SandboxServer) -> tuple[str, int]:
    host, port = server.url.removeprefix("http://").split(":")
    return host, int(port)


def read_answer(raw: socket.socket) -> Answer:
    """One HTTP/1.1 answer (skipping any 1xx), read with the socket's timeout."""
    data = b""
    while True:
        while b"\r\n\r\n" not in data:
            more = raw.recv(65536)
            if not more:
                raise ConnectionError(f"closed after {data!r}")
            data += more
        head, _, data = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        if status >= 200:
            break
    length = int(headers.get("content-length", "0"))
    while len(data) < length:
        more = raw.recv(65536)
        if not more:
            break
        data += more
    return Answer(status, headers, data[:length])


def exchange(server: SandboxServer, head: bytes, body: bytes = b"", timeout_s: float = 3.0) -> Answer:
    """Send ``head`` (and ``body``) on a fresh connection and read the answer, all within ``timeout_s``."""
    with socket.create_connection(address(server), timeout=timeout_s) as raw:
        raw.sendall(head + body)
        return read_answer(raw)


def request_head(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: sandbox", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@pytest.fixture(scope="module")
def akinon() -> Iterator[SandboxServer]:
    with start("akinon", max_body_bytes=1000) as running:
        yield running


@pytest.fixture(autouse=True)
def healthy_after(akinon: SandboxServer) -> Iterator[None]:
    akinon.reset()
    yield
    assert httpx.get(f"{akinon.url}/_sandbox/health", timeout=5).status_code == 200


# -- authentication before any body -------------------------------------------------------------------
PROTECTED = [
    ("trendyol", "POST", "/integration/product/sellers/1/videos", 401),
    ("samsclub", "POST", "/api/v1/media/upload?advertiserId=1", 403),
    ("samsclub", "PUT", "/blob/unknown/video?sig=forged", 403),
    ("akinon", "POST", CREATE, 401),
    ("ecwid", "PUT", "/api/v3/1/products/2/media", 403),
    ("shoplive", "GET", "/v2/key/shortform", 401),
]


@pytest.mark.parametrize("framing", ["declared", "chunked"])
@pytest.mark.parametrize(("provider", "method", "path", "status"), PROTECTED)
def test_an_unauthenticated_caller_is_answered_before_its_body_is_read(
    vidlint_sandbox: SandboxFactory, provider: str, method: str, path: str, status: int, framing: str
) -> None:
    server = vidlint_sandbox(provider)
    # The body is announced but never sent: a server that read it first would wait for it (and time out).
    framed = {"Content-Length": "400000000"} if framing == "declared" else {"Transfer-Encoding": "chunked"}
    started = time.monotonic()
    answer = exchange(server, request_head(method, path, framed))
    assert answer.status == status
    assert answer.headers["connection"] == "close"  # the unread body cannot be taken for a next request
    assert time.monotonic() - started < 2.0
    [recorded] = server.requests
    assert recorded.body_bytes == 0


@pytest.mark.parametrize("framing", [{"Content-Length": "400000000"}, {"Transfer-Encoding": "chunked"}])
def test_a_body_for_a_path_no_route_serves_is_not_read_either(
    akinon: SandboxServer, framing: dict[str, str]
) -> None:
    answer = exchange(akinon, request_head("POST", "/nowhere", framing))
    assert answer.status == 404 and answer.headers["connection"] == "close"
    assert [r.body_bytes for r in akinon.requests] == [0]


def test_expect_100_continue_is_granted_only_after_authentication(akinon: SandboxServer) -> None:
    refused = exchange(
        akinon, request_head("POST", CREATE, {"Content-Length": "10", "Expect": "100-continue"})
    )
    assert refused.status == 401
    with socket.create_connection(address(akinon), timeout=3) as raw:
        headers = {
            **TOKEN,
            "Content-Length": "2",
            "Content-Type": "application/json",
            "Expect": "100-continue",
        }
        raw.sendall(request_head("POST", CREATE, headers))
        assert raw.recv(25).startswith(b"HTTP/1.1 100")
        raw.sendall(b"{}")
        assert read_answer(raw).status == 415  # read and judged: not multipart


def test_an_authenticated_request_still_gets_its_answer_after_a_refusal_on_the_same_server(
    akinon: SandboxServer,
) -> None:
    assert exchange(akinon, request_head("POST", CREATE, {"Content-Length": "50"}), b"x" * 50).status == 401
    assert httpx.get(f"{akinon.url}{CREATE}", headers=TOKEN, timeout=5).status_code == 200


# -- the body cap, declared or chunked ----------------------------------------------------------------
def chunks_of(total: int, size: int = 300) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


@pytest.mark.parametrize(("total", "status"), [(1000, 415), (1001, 413), (50_000, 413)])
def test_a_chunked_body_meets_the_same_cap_as_a_declared_one(
    akinon: SandboxServer, total: int, status: int
) -> None:
    chunked = httpx.post(f"{akinon.url}{CREATE}", content=chunks_of(total), headers=TOKEN, timeout=5)
    declared = httpx.post(f"{akinon.url}{CREATE}", content=b"x" * total, headers=TOKEN, timeout=5)
    assert "transfer-encoding" in chunked.request.headers and "content-length" in declared.request.headers
    assert (chunked.status_code, declared.status_code) == (status, status)


def test_a_chunk_size_past_the_cap_is_refused_before_the_chunk_is_read(akinon: SandboxServer) -> None:
    head = request_head("POST", CREATE, {**TOKEN, "Transfer-Encoding": "chunked"})
    answer = exchange(akinon, head, b"ffffffffffffffff\r\n")  # 16 EiB announced, nothing sent
    assert answer.status == 413 and answer.headers["connection"] == "close"


@pytest.mark.parametrize(
    "body",
    [
        b"zz\r\n",
        b"-5\r\nabcde\r\n0\r\n\r\n",
        b"0x5\r\nabcde\r\n0\r\n\r\n",
        b"\r\n",
        b"5\r\nabcdeXX\r\n0\r\n\r\n",
        b"5" * 5000 + b"\r\n",
        b"0\r\n" + b"X-Trailer: 1\r\n" * 100 + b"\r\n",
    ],
    ids=[
        "not-hex",
        "negative",
        "0x-prefix",
        "empty-size",
        "no-crlf-after-data",
        "overlong-line",
        "trailer-flood",
    ],
)
def test_malformed_chunked_framing_is_a_one_line_400_not_a_traceback(
    akinon: SandboxServer, capfd: pytest.CaptureFixture[str], body: bytes
) -> None:
    answer = exchange(akinon, request_head("POST", CREATE, {**TOKEN, "Transfer-Encoding": "chunked"}), body)
    assert answer.status == 400
    assert answer.body.count(b"\n") == 0 and "chunked" in json.loads(answer.body)["message"]
    assert "Traceback" not in capfd.readouterr().err


def test_an_unsupported_transfer_coding_is_refused(akinon: SandboxServer) -> None:
    answer = exchange(akinon, request_head("POST", CREATE, {**TOKEN, "Transfer-Encoding": "gzip"}))
    assert answer.status == 400 and b"Transfer-Encoding" in answer.body


# -- fault paths ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("pattern", ["(", "[unclosed", "(a+)+$", "^/blob/", "shortform$", "a|b", "x{1000}"])
def test_a_fault_path_that_is_not_a_glob_is_refused_when_added_naming_it(
    akinon: SandboxServer, pattern: str
) -> None:
    with pytest.raises(ValueError, match="fault path") as made:
        Fault(kind="status", path=pattern)
    assert repr(pattern) in str(made.value)
    with pytest.raises(ValueError, match="fault path"):  # a Fault built without validation, too
        FaultScript().add(Fault.model_construct(kind="status", path=pattern, times=1))
    answer = httpx.post(f"{akinon.url}/_sandbox/faults", json={"kind": "status", "path": pattern}, timeout=5)
    assert answer.status_code == 400 and repr(pattern) in answer.json()["message"]
    assert akinon.faults.pending() == []
    assert httpx.get(f"{akinon.url}{CREATE}", headers=TOKEN, timeout=5).status_code == 200  # routes unharmed


def test_globs_match_the_whole_path(akinon: SandboxServer) -> None:
    akinon.faults.add(Fault(kind="status", status=418, path="*/product_video/", times=0))
    akinon.faults.add(Fault(kind="status", status=420, path="/api/v1/product_[!v]*", times=0))
    with httpx.Client(base_url=akinon.url, headers=TOKEN, timeout=5) as http:
        codes = [http.get(p).status_code for p in (CREATE, "/api/v1/product_image/", "/media/none")]
    assert codes == [418, 420, 404]


def test_no_fault_pattern_can_stall_the_server(akinon: SandboxServer) -> None:
    # A regular expression shaped like this backtracks for hours on such a path; a glob's stars do not.
    pattern = "*" + "a*" * 40 + "b"
    akinon.faults.add(Fault(kind="status", status=418, path=pattern, times=0))
    long_path = "/" + "a" * 30_000
    started = time.monotonic()
    answers = [httpx.get(f"{akinon.url}{p}", timeout=5).status_code for p in (long_path, long_path + "b")]
    assert answers == [404, 418]
    assert time.monotonic() - started < 2.0


def test_a_port_outside_the_range_is_a_value_error() -> None:
    for port in (70000, -1):
        with pytest.raises(ValueError, match="0 to 65535"):
            start("shoplive", port=port)


# -- the request log ------------------------------------------------------------------------------------
def test_the_request_log_masks_signatures_tokens_and_credential_headers(
    vidlint_sandbox: SandboxFactory,
) -> None:
    server = vidlint_sandbox("shoplive")
    secrets = {"sig": SECRET_SIG, "token": "tok-" + SECRET_SIG, "api_key": "key-" + SECRET_SIG}
    headers = {
        "Authorization": "Bearer bearer-" + SECRET_SIG,
        "X-Api-Key": "header-" + SECRET_SIG,
        "Cookie": "session=cookie-" + SECRET_SIG,
        "WM_SEC.AUTH_SIGNATURE": "wm-" + SECRET_SIG,
    }
    with httpx.Client(base_url=server.url, timeout=5) as http:
        assert (
            http.get("/v2/key/shortform", params={**secrets, "page": 2}, headers=headers).status_code == 200
        )
        text = http.get("/_sandbox/requests").text
    assert SECRET_SIG not in text
    [entry] = json.loads(text)
    assert "sig=***" in entry["query"] and "token=***" in entry["query"] and "page=2" in entry["query"]
    for name in ("authorization", "x-api-key", "cookie", "wm_sec.auth_signature"):
        assert entry["headers"][name] == "***"
    assert SECRET_SIG not in repr(server.requests)


def test_a_signed_upload_url_leaves_no_signature_in_the_request_log(vidlint_sandbox: SandboxFactory) -> None:
    from vidlint.clients.signing import WalmartRsaSigner

    server = vidlint_sandbox("samsclub")
    gateway = {"Authorization": "Bearer t", **WalmartRsaSigner("c", walmart_keys()[0]).headers()}
    with httpx.Client(base_url=server.url, timeout=5) as http:
        [slot] = http.post("/api/v1/media/upload", params={"advertiserId": 1}, headers=gateway).json()
        put = http.put(slot["uploadUrl"], content=b"video bytes", headers={"x-ms-blob-type": "BlockBlob"})
        text = http.get("/_sandbox/requests").text
    sig = httpx.URL(slot["uploadUrl"]).params["sig"]
    assert put.status_code == 201
    assert sig not in text and gateway["WM_SEC.AUTH_SIGNATURE"] not in text
    assert "sig=***" in text
