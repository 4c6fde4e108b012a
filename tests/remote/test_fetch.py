"""fetch_facts end to end: real media, a real server on 127.0.0.1, byte counts from the server's log."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.media import SAMPLES, SPARSE_SIZE
from support.server import LocalFileServer, unused_port

from vidlint.model.facts import MediaFacts, as_data
from vidlint.probing import probe
from vidlint.remote import RemoteOptions, fetch_facts

KIB = 1024
FEW_HUNDRED_KIB = 300 * KIB
OK_NAME = "ok_h264_aac_1080p_10s.mp4"
OK_FILE = f"samples/{OK_NAME}"
SAMPLE_FILES = sorted(
    str(p.relative_to(SAMPLES))
    for p in SAMPLES.rglob("*")
    if p.is_file() and p.suffix not in (".py", ".toml", ".md")
)


def _comparable(facts: MediaFacts) -> dict[str, object]:
    """Everything but where the facts came from; object addresses in messages are not facts."""
    dumped = {k: v for k, v in as_data(facts).items() if k not in ("path", "fetch")}
    return json.loads(re.sub(r" at 0x[0-9a-f]+", "", json.dumps(dumped)))  # type: ignore[no-any-return]


# --- the same facts as for the local file ----------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_url_gives_the_local_files_facts(server: LocalFileServer, name: str) -> None:
    remote = fetch_facts(server.url(f"files/samples/{name}"))
    assert remote.fetch is not None and remote.fetch.outcome == "ok", remote.fetch
    assert _comparable(remote) == _comparable(probe(SAMPLES / name))
    assert remote.fetch.bytes_transferred == server.bytes_sent()


# --- few bytes, whatever the size -----------------------------------------------------------------


def test_faststart_costs_a_few_hundred_kib(server: LocalFileServer, media_root: Path) -> None:
    facts = fetch_facts(server.url("files/big/faststart.mp4"))
    assert facts.fetch is not None and facts.fetch.outcome == "ok"
    assert facts.readable and facts.faststart and not facts.partial
    assert facts.size_bytes == (media_root / "big/faststart.mp4").stat().st_size
    assert facts.fetch.bytes_transferred == server.bytes_sent() <= FEW_HUNDRED_KIB
    assert all(e.range for e in server.log() if e.method == "GET"), "every GET must be ranged"


def test_sparse_500mb_costs_the_same_as_a_small_file(server: LocalFileServer) -> None:
    facts = fetch_facts(server.url("files/big/sparse_500mb.mp4"))
    assert facts.fetch is not None and facts.fetch.outcome == "ok"
    assert facts.size_bytes == facts.fetch.content_length == SPARSE_SIZE
    assert facts.readable and facts.duration_s == pytest.approx(10.0, abs=0.15)
    assert facts.fetch.bytes_transferred == server.bytes_sent() <= FEW_HUNDRED_KIB


def test_moov_at_the_end_is_read_with_a_suffix_range(server: LocalFileServer) -> None:
    facts = fetch_facts(server.url("files/big/moov_at_end.mp4"))
    assert facts.readable and facts.faststart is False and facts.duration_s == pytest.approx(5.0, abs=0.15)
    suffixes = [e for e in server.log() if e.range and e.range.startswith("bytes=-") and e.bytes_sent > 1]
    assert len(suffixes) == 1 and suffixes[0].status == 206
    assert facts.fetch is not None and facts.fetch.bytes_transferred == server.bytes_sent() <= FEW_HUNDRED_KIB


def test_server_without_range_stops_early_and_says_partial(server: LocalFileServer) -> None:
    options = RemoteOptions(max_bytes=256 * KIB)
    facts = fetch_facts(server.url("norange/big/sparse_500mb.mp4"), options=options)
    assert facts.fetch is not None and facts.fetch.range_supported is False
    assert facts.partial and facts.readable  # the index sits in the first bytes
    assert facts.fetch.bytes_transferred <= options.max_bytes
    assert server.bytes_sent() < SPARSE_SIZE // 50  # the server was cut off, not drained


def test_chunked_answer_of_unknown_size(server: LocalFileServer) -> None:
    whole = fetch_facts(server.url(f"chunked/{OK_FILE}"))
    assert whole.size_bytes == (SAMPLES / OK_NAME).stat().st_size
    assert whole.readable and not whole.partial
    cut = fetch_facts(server.url("chunked/big/sparse_500mb.mp4"), options=RemoteOptions(max_bytes=256 * KIB))
    assert (cut.size_bytes, cut.partial, cut.readable, cut.kind) == (None, True, True, "video")


def test_index_beyond_the_cap_is_partial_not_truncated(server: LocalFileServer) -> None:
    facts = fetch_facts(server.url("norange/big/moov_at_end.mp4"), options=RemoteOptions(max_bytes=128 * KIB))
    assert facts.partial and not facts.readable and not facts.truncated
    assert facts.error is not None and "partial" in facts.error


def test_byte_cap_holds_with_range_support(server: LocalFileServer) -> None:
    options = RemoteOptions(max_bytes=8 * KIB, block_size=4 * KIB)  # the moov does not fit in 4 KiB
    facts = fetch_facts(server.url("files/big/moov_at_end.mp4"), options=options)
    assert facts.partial and not facts.truncated
    assert facts.fetch is not None
    assert facts.fetch.bytes_transferred == server.bytes_sent() <= options.max_bytes


# --- what happens, mapped to outcomes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "outcome", "status"),
    [
        (f"files/{OK_FILE}", "ok", 206),
        (f"nohead/{OK_FILE}", "ok", 206),
        (f"norange/{OK_FILE}", "ok", 200),
        (f"redirect/3/files/{OK_FILE}", "ok", 206),
        ("status/404", "failed", 404),
        ("status/403", "failed", 403),
        ("status/500", "failed", 500),
        ("status/503", "failed", 503),
        (f"redirect/9/files/{OK_FILE}", "failed", None),
        ("loop/a", "failed", None),
        ("files/samples/no_such_file.mp4", "failed", 404),
        (f"reset/{OK_FILE}", "failed", None),
        (f"lying/{OK_FILE}", "failed", None),
        ("lying/big/faststart.mp4", "failed", None),
        (f"slow/3000/files/{OK_FILE}", "timeout", None),
        ("drip/big/faststart.mp4", "timeout", None),
    ],
)
def test_outcomes(
    server: LocalFileServer, fast: RemoteOptions, route: str, outcome: str, status: int | None
) -> None:
    started = time.monotonic()
    facts = fetch_facts(server.url(route), options=fast)
    assert time.monotonic() - started < fast.timeout_s + 1.0
    assert facts.fetch is not None
    assert (facts.fetch.outcome, facts.fetch.http_status) == (outcome, status)
    if outcome == "ok":
        assert facts.readable and facts.error is None
    else:
        assert facts.kind == "unknown" and not facts.readable and facts.fetch.error


def test_redirects_report_the_final_url(server: LocalFileServer) -> None:
    facts = fetch_facts(server.url(f"redirect/2/files/{OK_FILE}"))
    assert facts.fetch is not None and facts.fetch.final_url == server.url(f"files/{OK_FILE}")
    assert facts.path == server.url(f"redirect/2/files/{OK_FILE}")


def test_redirect_limit_is_an_option(server: LocalFileServer) -> None:
    url = server.url(f"redirect/3/files/{OK_FILE}")
    assert fetch_facts(url, options=RemoteOptions(max_redirects=3)).readable
    refused = fetch_facts(url, options=RemoteOptions(max_redirects=2)).fetch
    assert refused is not None and refused.outcome == "failed" and "redirects" in (refused.error or "")


def test_refused_connection_fails(fast: RemoteOptions) -> None:
    facts = fetch_facts(f"http://127.0.0.1:{unused_port()}/video.mp4", options=fast)
    assert facts.fetch is not None and facts.fetch.outcome == "failed" and facts.fetch.http_status is None


def test_tls_failure_fails(server: LocalFileServer, fast: RemoteOptions) -> None:
    url = server.url(f"files/{OK_FILE}").replace("http://", "https://")
    facts = fetch_facts(url, options=fast)
    assert facts.fetch is not None and facts.fetch.outcome == "failed"


def test_a_web_page_is_a_page(server: LocalFileServer) -> None:
    facts = fetch_facts(server.url("page.html"))
    assert facts.fetch is not None and (facts.fetch.outcome, facts.fetch.link_kind) == ("ok", "page")
    assert not facts.readable


@pytest.mark.parametrize(
    "url",
    [
        "",
        "ftp://example.com/a.mp4",
        "https://",
        "http://exa mple.com/a.mp4",
        "https://example.com:99999/a.mp4",
        "http://-bad-.com/a.mp4",
    ],
)
def test_invalid_urls_touch_no_network(url: str) -> None:
    facts = fetch_facts(url)
    assert facts.fetch is not None and facts.fetch.outcome == "invalid_url"
    assert facts.fetch.bytes_transferred == 0 and facts.kind == "unknown" and facts.error


def test_size_is_content_length_if_the_read_fails(server: LocalFileServer, fast: RemoteOptions) -> None:
    facts = fetch_facts(server.url(f"reset/{OK_FILE}"), options=fast)
    assert facts.size_bytes == (SAMPLES / OK_NAME).stat().st_size


# --- safety for server-side use ------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_server_side_options_refuse_local_addresses(server: LocalFileServer, host: str) -> None:
    url = server.url(f"files/{OK_FILE}").replace("127.0.0.1", host)
    facts = fetch_facts(url, options=RemoteOptions.server_side())
    assert facts.fetch is not None and facts.fetch.outcome == "blocked"
    assert server.log() == []  # refused before connecting


def test_private_addresses_are_allowed_by_default(server: LocalFileServer) -> None:
    assert RemoteOptions().block_private is False
    assert fetch_facts(server.url(f"files/{OK_FILE}")).readable


# --- isolation and robustness --------------------------------------------------------------------


def test_in_process_and_isolated_agree(server: LocalFileServer) -> None:
    url = server.url("files/big/moov_at_end.mp4")
    assert fetch_facts(url, options=RemoteOptions(isolate=False)) == fetch_facts(url)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_any_path_yields_facts(server: LocalFileServer, fast: RemoteOptions, path: str) -> None:
    facts = fetch_facts(f"{server.base_url}/{path}", options=fast)
    assert facts.fetch is not None and facts.fetch.outcome in ("ok", "invalid_url", "failed", "timeout")
