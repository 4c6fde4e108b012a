"""Header-only: a faststart MP4 of any size is probed reading well under 1 MiB, with flat memory."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from vidlint.probing import probe, probe_stream
from vidlint.probing.local import probe_path

from .support import DURATION_TOL_S, MIB, SAMPLES, SPARSE_SIZE, make_clip, rchar


class CountingReader(io.RawIOBase):
    """A file reader that remembers every byte range it was asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._file = path.open("rb", buffering=0)
        self.reads: list[tuple[int, int]] = []

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        start = self._file.tell()
        count = self._file.readinto(buffer) or 0
        self.reads.append((start, count))
        return count

    def close(self) -> None:
        self._file.close()
        super().close()

    @property
    def bytes_read(self) -> int:
        return sum(count for _, count in self.reads)


def test_sparse_file_facts(sparse_faststart: Path) -> None:
    facts = probe(sparse_faststart)
    assert facts.size_bytes == SPARSE_SIZE
    assert facts.duration_s == pytest.approx(10.0, abs=DURATION_TOL_S)
    assert (facts.container, facts.readable, facts.truncated, facts.faststart) == ("mp4", True, False, True)
    assert facts.main_video is not None and facts.main_video.stored_width == 1920


def test_sparse_file_is_probed_reading_under_one_mib(sparse_faststart: Path) -> None:
    probe_path(str(sparse_faststart))  # libraries and libmagic's database load on first use
    before = rchar()
    facts = probe_path(str(sparse_faststart))
    read = rchar() - before
    assert facts.duration_s == pytest.approx(10.0, abs=DURATION_TOL_S)
    assert read < MIB, f"{read} bytes read"


def test_stream_reads_only_the_index(sparse_faststart: Path) -> None:
    with CountingReader(sparse_faststart) as reader:
        facts = probe_stream(reader, name="https://cdn.example/v/clip.mp4?sig=1", size=None)
    assert facts.extension == ".mp4" and facts.size_bytes == SPARSE_SIZE and facts.readable
    assert reader.bytes_read < MIB
    assert max(start + count for start, count in reader.reads) < MIB  # nothing from deep in the mdat


def _moov_at_end_with_a_hole(source: bytes, target: Path, mdat_size: int) -> None:
    """Rebuild a moov-at-end clip with a ``mdat_size``-byte mdat that is mostly a file hole."""
    mdat_at = source.index(b"mdat") - 4
    (old_size,) = struct.unpack(">I", source[mdat_at : mdat_at + 4])
    moov = source[mdat_at + old_size :]
    assert moov[4:8] == b"moov"
    with target.open("wb") as out:
        out.write(source[:mdat_at] + struct.pack(">I", mdat_size) + source[mdat_at + 4 : mdat_at + old_size])
        out.seek(mdat_at + mdat_size)
        out.write(moov)


def test_moov_at_end_is_also_read_header_only(tmp_path: Path) -> None:
    big = tmp_path / "moov_at_end_big.mp4"
    _moov_at_end_with_a_hole((SAMPLES / "moov_at_end_10s.mp4").read_bytes(), big, 300_000_000)
    with CountingReader(big) as reader:
        facts = probe_stream(reader, name=big.name, size=None)
    assert (facts.readable, facts.faststart, facts.truncated) == (True, False, False)
    assert facts.duration_s == pytest.approx(10.0, abs=DURATION_TOL_S)
    assert reader.bytes_read < MIB


PEAK_RSS = """
import resource, sys
from vidlint.probing.local import probe_path
probe_path(sys.argv[1])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak_rss_kib(path: Path) -> int:
    result = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, str(path)], capture_output=True, text=True, check=True, timeout=60
    )
    return int(result.stdout)


def test_memory_does_not_grow_with_file_size(sparse_faststart: Path) -> None:
    small = _peak_rss_kib(SAMPLES / "ok_h264_aac_1080p_10s.mp4")
    huge = _peak_rss_kib(sparse_faststart)
    assert huge - small < 8 * 1024, (small, huge)


def test_many_small_fragments_keep_their_whole_duration(tmp_path: Path) -> None:
    """The duration of a fragmented file is the sum of its fragments: every moof must be read."""
    clip = make_clip(
        tmp_path / "fragments.mp4",
        *("-c:v", "libx264", "-preset", "ultrafast", "-b:v", "2M", "-g", "2", "-c:a", "aac"),
        *("-movflags", "+frag_keyframe+empty_moov+default_base_moof"),
        seconds=30.0,
    )
    with CountingReader(clip) as reader:
        facts = probe_stream(reader, name=clip.name, size=None)
    assert facts.fragmented and facts.readable
    assert facts.duration_s == pytest.approx(30.0, abs=DURATION_TOL_S)
    assert reader.bytes_read < clip.stat().st_size / 10
