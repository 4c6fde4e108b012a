"""RangeReader against a real server: the bytes are the file's, and the cache keeps requests few."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.server import LocalFileServer, parse_range

from vidlint.remote import RemoteOptions
from vidlint.remote.reader import RangeReader, parse_content_range
from vidlint.remote.session import HttpSession

KIB = 1024
BIG = "big/faststart.mp4"
ROOMY = RemoteOptions(max_bytes=64 * 1024 * KIB, isolate=False)


@pytest.fixture
def session() -> Iterator[HttpSession]:
    with HttpSession(ROOMY) as s:
        yield s


def _open(session: HttpSession, server: LocalFileServer, route: str) -> RangeReader:
    reader = RangeReader(session, server.url(route))
    reader.start()
    return reader


def _gets(server: LocalFileServer) -> list[str | None]:
    return [e.range for e in server.log() if e.method == "GET"]


reads = st.lists(st.tuples(st.integers(0, 5_000_000), st.integers(0, 200_000)), min_size=1, max_size=12)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reads=reads)
def test_reads_return_the_files_bytes(
    server: LocalFileServer, media_root: Path, session: HttpSession, reads: list[tuple[int, int]]
) -> None:
    data = (media_root / BIG).read_bytes()
    with _open(session, server, f"files/{BIG}") as reader:
        assert reader.size == len(data) and reader.range_supported
        for offset, count in reads:
            reader.seek(offset)
            assert reader.read(count) == data[offset : offset + count]
            assert reader.tell() == min(offset + count, len(data)) if offset < len(data) else offset


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reads=reads)
def test_reads_without_range_support_return_the_prefix(
    server: LocalFileServer, media_root: Path, reads: list[tuple[int, int]]
) -> None:
    data = (media_root / BIG).read_bytes()
    capped = HttpSession(RemoteOptions(max_bytes=1024 * KIB))
    with capped, _open(capped, server, f"norange/{BIG}") as reader:
        assert reader.range_supported is False
        for offset, count in reads:
            got = reader.read_at(offset, count)
            assert got == data[offset : offset + count][: max(0, 1024 * KIB - offset)]
        assert reader.partial and capped.bytes_transferred <= 1024 * KIB


def test_small_reads_share_one_request_per_block(server: LocalFileServer, session: HttpSession) -> None:
    with _open(session, server, f"files/{BIG}") as reader:
        stream = io.BufferedReader(reader, buffer_size=512)
        while stream.tell() < 256 * KIB:
            assert len(stream.read(100)) == 100
    assert _gets(server) == [f"bytes={i * 64 * KIB}-{(i + 1) * 64 * KIB - 1}" for i in range(5)]


def test_missing_blocks_next_to_each_other_come_in_one_request(
    server: LocalFileServer, session: HttpSession
) -> None:
    with _open(session, server, f"files/{BIG}") as reader:
        assert len(reader.read_at(100 * KIB, 300 * KIB)) == 300 * KIB
    assert _gets(server) == ["bytes=0-65535", f"bytes={64 * KIB}-{448 * KIB - 1}"]


def test_tail_prefetch_is_one_suffix_range(
    server: LocalFileServer, session: HttpSession, media_root: Path
) -> None:
    size = (media_root / BIG).stat().st_size
    with _open(session, server, f"files/{BIG}") as reader:
        reader.prefetch_tail(size - 100_000)
        before = len(server.log())
        assert len(reader.read_at(size - 100_000, 100_000)) == 100_000
        assert len(server.log()) == before  # served from the cache
    start = (size - 100_000) // (64 * KIB) * (64 * KIB)
    assert _gets(server)[-1] == f"bytes=-{size - start}"
    assert session.bytes_transferred == server.bytes_sent()


def test_empty_file(server: LocalFileServer, session: HttpSession) -> None:
    with _open(session, server, "files/samples/empty.mp4") as reader:
        assert (reader.size, reader.read(10), reader.partial) == (0, b"", False)


def test_a_server_gone_mid_read_ends_reads_and_is_kept(server: LocalFileServer, session: HttpSession) -> None:
    with _open(session, server, f"files/{BIG}") as reader:
        server.stop()
        assert reader.read_at(1000 * KIB, 200 * KIB) == b""
        assert reader.problem is not None and reader.problem.outcome == "failed"
        assert len(reader.read_at(0, 10)) == 10  # what is cached stays readable


@settings(max_examples=200)
@given(first=st.integers(0, 2**40), length=st.integers(1, 2**30), extra=st.integers(0, 2**30))
def test_content_range_round_trip(first: int, length: int, extra: int) -> None:
    last, total = first + length - 1, first + length + extra
    assert parse_content_range(f"bytes {first}-{last}/{total}") == (first, last, total)
    assert parse_content_range(f"bytes {first}-{last}/*") == (first, last, None)


@settings(max_examples=300)
@given(size=st.integers(0, 10_000), header=st.from_regex(r"bytes=\d{0,5}-\d{0,5}", fullmatch=True))
def test_server_ranges_stay_inside_the_file(size: int, header: str) -> None:
    span = parse_range(header, size)
    if isinstance(span, tuple):
        assert 0 <= span[0] <= span[1] < size
