"""The ISO BMFF walker and the index window, on box sequences built byte by byte and on real clips."""

from __future__ import annotations

import io
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vidlint.probing.boxes import Box, Layout, parse_header, read_layout, walk_boxes
from vidlint.probing.window import IndexWindow

from .support import SAMPLES, expected_table

EXPECTED = expected_table()


def box(kind: str, payload: bytes = b"", *, large: bool = False, declared: int | None = None) -> bytes:
    size = declared if declared is not None else (16 if large else 8) + len(payload)
    if large:
        return struct.pack(">I4sQ", 1, kind.encode(), size) + payload
    return struct.pack(">I4s", size, kind.encode()) + payload


def layout_of(data: bytes) -> Layout:
    return read_layout(io.BytesIO(data), len(data))


def test_header_forms() -> None:
    assert parse_header(box("moov", b"x" * 4), 0, 100) == Box("moov", 0, 12, 8)
    assert parse_header(box("mdat", b"", large=True, declared=1 << 33), 5, 100) == Box("mdat", 5, 1 << 33, 16)
    assert parse_header(struct.pack(">I4s", 0, b"mdat"), 40, 1000) == Box("mdat", 40, 960, 8)  # to the end


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x00\x00",
        struct.pack(">I4s", 4, b"moov"),
        struct.pack(">I4s", 8, b"mo\x00v"),
        box("mdat", large=True)[:12],
    ],
)
def test_not_a_header(data: bytes) -> None:
    assert parse_header(data, 0, 1000) is None


def test_faststart_layout() -> None:
    data = box("ftyp", b"isom" + b"\0" * 4) + box("moov", b"m" * 20) + box("free") + box("mdat", b"d" * 50)
    layout = layout_of(data)
    assert [b.kind for b in layout.boxes] == ["ftyp", "moov", "free", "mdat"]
    assert layout.faststart is True and not layout.fragmented and layout.truncation is None
    mdat = layout.boxes[-1]
    assert layout.data_ranges == ((mdat.payload_start, len(data)),)
    assert layout.last_index_offset == layout.boxes[1].offset


def test_moov_at_end_and_fragmented_layouts() -> None:
    at_end = layout_of(box("ftyp", b"isom0000") + box("mdat", b"d" * 30) + box("moov", b"m" * 10))
    assert at_end.faststart is False
    fragmented = layout_of(
        box("ftyp", b"iso50000")
        + box("moov", box("mvhd", b"h" * 4) + box("mvex", box("trex")))
        + box("moof", b"f" * 4)
        + box("mdat", b"d" * 9)
        + box("moof", b"f" * 4)
        + box("mdat", b"d" * 9)
    )
    assert fragmented.fragmented and fragmented.faststart is True
    assert [b.kind for b in fragmented.moov_children] == ["mvhd", "mvex"]
    assert fragmented.last_index_offset == fragmented.boxes[4].offset  # the last moof
    assert len(fragmented.data_ranges) == 2


def test_truncation_reasons() -> None:
    cut = box("ftyp", b"isom0000") + box("moov", b"m" * 10) + box("mdat", b"d" * 100)[:60]
    assert "mdat" in (layout_of(cut).truncation or "")
    no_index = box("ftyp", b"isom0000") + box("mdat", b"d" * 10)
    assert "no moov" in (layout_of(no_index).truncation or "")


def test_walker_stops_at_garbage_and_reads_headers_only() -> None:
    data = box("ftyp", b"isom0000") + box("moov", b"m" * 10) + b"\xff" * 40 + box("mdat", b"d" * 10)

    class Counting(io.BytesIO):
        served = 0

        def read(self, size: int | None = -1) -> bytes:
            chunk = super().read(size)
            Counting.served += len(chunk)
            return chunk

    boxes = walk_boxes(Counting(data), 0, len(data))
    assert [b.kind for b in boxes] == ["ftyp", "moov"]
    assert Counting.served <= 16 * 3


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_walker_never_raises_and_stays_inside_the_data(data: bytes) -> None:
    layout = layout_of(data)
    offsets = [b.offset for b in layout.boxes]
    assert offsets == sorted(set(offsets))
    assert all(b.offset < len(data) and b.size >= b.header_size for b in layout.boxes)
    assert layout.truncation is None or layout.truncation.startswith("truncated")


@pytest.mark.parametrize(
    "name", sorted(n for n, f in EXPECTED.items() if f.get("container") in ("mp4", "mov"))
)
def test_layout_of_real_clips(name: str) -> None:
    want = EXPECTED[name]
    data = (SAMPLES / name).read_bytes()
    layout = layout_of(data)
    assert (layout.truncation is not None) == want["truncated"]
    assert layout.fragmented == want["fragmented"]
    assert layout.faststart == want.get("faststart")


# --- the index window -------------------------------------------------------------------------

DATA = bytes(range(256)) * 4  # 1024 bytes; "mdat payload" at 100..900, index box at 950


def window(**kwargs: object) -> IndexWindow:
    options: dict[str, object] = {"budget": 10_000, "refused": [(100, 900)], "last_index_offset": 950}
    options.update(kwargs)
    return IndexWindow(io.BytesIO(DATA), len(DATA), **options)  # type: ignore[arg-type]


def test_window_clips_reads_at_refused_data_and_serves_the_rest() -> None:
    view = window()
    assert view.read(4096) == DATA[:100]
    view.seek(950)
    assert view.read(4096) == DATA[950:]
    assert view.bytes_served == 100 + 74
    assert view.seek(0, io.SEEK_END) == len(DATA)


def test_window_fills_refused_data_with_zeros_until_the_index_is_read() -> None:
    view = window()
    view.read(100)
    assert view.read(300) == bytes(300)  # the moof at 950 is still unread: zeros let MediaInfo walk on
    assert view.filler_served == 300 and view.bytes_served == 100
    view.seek(950)
    view.read(100)
    view.seek(500)
    assert view.read(100) == b""  # everything that matters has been read: end of file


def test_window_budgets() -> None:
    view = window(budget=50)
    assert view.read(100) == DATA[:50] and view.read(100) == b"" and view.budget_exhausted
    filler = window(filler_budget=10)
    filler.seek(100)
    assert filler.read(100) == bytes(10) and filler.read(100) == b"" and filler.budget_exhausted


def test_window_serves_the_head_from_memory() -> None:
    class Exploding(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise AssertionError("the head must come from memory")

    view = IndexWindow(Exploding(DATA), len(DATA), budget=10_000, head=DATA[:64])
    assert view.read(64) == DATA[:64]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1100), st.integers(0, 300)), max_size=30))
def test_window_never_reads_refused_bytes_from_the_source(reads: list[tuple[int, int]]) -> None:
    touched: list[tuple[int, int]] = []

    class Recording(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            start = self.tell()
            chunk = super().read(size)
            touched.append((start, start + len(chunk)))
            return chunk

    view = IndexWindow(Recording(DATA), len(DATA), budget=10_000, refused=[(100, 900)], last_index_offset=950)
    for offset, size in reads:
        view.seek(offset)
        chunk = view.read(size)
        end = offset + len(chunk)
        assert len(chunk) <= size
        if offset >= 100 and end <= 900:
            assert chunk == bytes(len(chunk))  # filler for refused data
        else:
            assert chunk == DATA[offset:end]
    assert all(end <= 100 or start >= 900 for start, end in touched)
