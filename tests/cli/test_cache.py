"""The result cache: a second run does not probe, any change that matters does, a corrupt store is
rebuilt (never trusted), --no-cache neither reads nor writes it."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest

from vidlint.cache import ReportCache, report_key
from vidlint.report import Report

from .support import OK_CLIP, Cli, copy_sample

CLIPS = (OK_CLIP, "dur_7s.mp4", "hd720_10s.mp4", "empty.mp4")
STATS = re.compile(r"; (\d+) probed, (\d+) from cache$")


@pytest.fixture
def folder(isolated: Path) -> Path:
    for name in CLIPS:
        copy_sample(name, isolated / "clips" / name)
    return isolated / "clips"


def _run(cli: Cli, *argv: str) -> tuple[int, tuple[int, int], str]:
    run = cli("check", "clips", "-m", "samsclub", "-m", "trendyol", *argv)
    found = STATS.search(run.out.splitlines()[-1])
    assert found, run.out
    return run.code, (int(found[1]), int(found[2])), run.out.split("\nfile ")[0]


def _rows(cache_dir: Path) -> int:
    with sqlite3.connect(cache_dir / "results.sqlite3") as db:
        return int(db.execute("SELECT COUNT(*) FROM reports").fetchone()[0])


def test_a_second_run_comes_from_the_cache(cli: Cli, folder: Path, cache_dir: Path) -> None:
    first_code, first_stats, first_text = _run(cli)
    second_code, second_stats, second_text = _run(cli)
    assert (first_stats, second_stats) == ((len(CLIPS), 0), (0, len(CLIPS)))
    assert _rows(cache_dir) == len(CLIPS) * 2  # one row per file and marketplace
    assert (second_code, second_text) == (first_code, first_text)  # the same verdicts, word for word


def test_a_changed_file_is_probed_again(cli: Cli, folder: Path) -> None:
    _run(cli)
    copy_sample("short_4s.mp4", folder / OK_CLIP)  # new content under the same name
    _, stats, text = _run(cli)
    assert stats == (1, len(CLIPS) - 1)
    assert "E_DURATION" in text.split(OK_CLIP)[1].split("\nclips/")[0]


def test_touching_a_file_is_a_change(cli: Cli, folder: Path) -> None:
    _run(cli)
    st = (folder / "dur_7s.mp4").stat()
    os.utime(folder / "dur_7s.mp4", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert _run(cli)[1] == (1, len(CLIPS) - 1)


def test_a_changed_rule_pack_is_a_change(cli: Cli, folder: Path, isolated: Path) -> None:
    _run(cli)
    (isolated / "vidlint.toml").write_text('[overrides."trendyol.duration"]\nmin = 5\n')
    _, stats, text = _run(cli)
    assert stats == (len(CLIPS), 0)
    assert "seller.integration.video.duration.invalid" not in text  # 7 s now passes for Trendyol


def test_metadata_is_part_of_the_key(cli: Cli, folder: Path) -> None:
    _run(cli)
    assert _run(cli, "--meta", "mediaName=Blue Kettle")[1] == (len(CLIPS), 0)
    assert _run(cli, "--meta", "mediaName=Blue Kettle")[1] == (0, len(CLIPS))


def test_no_cache_neither_reads_nor_writes(cli: Cli, folder: Path, cache_dir: Path) -> None:
    assert _run(cli, "--no-cache")[1] == (len(CLIPS), 0)
    assert not cache_dir.exists()
    _run(cli)
    assert _run(cli, "--no-cache")[1] == (len(CLIPS), 0)


def test_a_corrupt_store_is_rebuilt(cli: Cli, folder: Path, cache_dir: Path) -> None:
    _, _, before = _run(cli)
    store = cache_dir / "results.sqlite3"
    store.write_bytes(b"this is not a database" * 100)
    run = cli("check", "clips", "-m", "samsclub", "-m", "trendyol")
    assert run.err == f"vidlint: warning: the result cache was unreadable and has been rebuilt: {store}\n"
    assert run.out.split("\nfile ")[0] == before and run.out.endswith(f"{len(CLIPS)} probed, 0 from cache\n")
    assert _rows(cache_dir) == len(CLIPS) * 2
    assert _run(cli)[1] == (0, len(CLIPS))


def test_a_corrupt_row_is_a_miss_and_is_replaced(cli: Cli, folder: Path, cache_dir: Path) -> None:
    _run(cli)
    with sqlite3.connect(cache_dir / "results.sqlite3") as db:
        db.execute("UPDATE reports SET report = '{\"source\": 1, \"findings\": \"not a list\"}'")
    assert _run(cli)[1] == (len(CLIPS), 0)
    assert _run(cli)[1] == (0, len(CLIPS))


def test_unreadable_files_are_not_cached(cli: Cli, folder: Path) -> None:
    os.mkfifo(folder / "pipe.mp4")
    _run(cli)
    assert _run(cli)[1] == (1, len(CLIPS))


def test_an_unwritable_cache_folder_means_no_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    cache = ReportCache(blocker / "cache")
    key = report_key(str(blocker), None, "samsclub", "digest")
    assert key is not None
    cache.put_many([(key, Report(source="x", marketplace="samsclub"))])
    assert cache.get(key) is None and cache.row_count() == 0


def test_the_key_covers_the_caption_sidecar(tmp_path: Path) -> None:
    video = copy_sample(OK_CLIP, tmp_path / "v.mp4")
    caption = copy_sample("captions/good.srt", tmp_path / "v.srt")
    with_caption = report_key(str(video), str(caption), "samsclub", "d")
    caption.write_text(caption.read_text() + "\n")
    assert with_caption != report_key(str(video), str(caption), "samsclub", "d")
    assert report_key(str(tmp_path / "gone.mp4"), None, "samsclub", "d") is None


def test_the_oldest_rows_go_beyond_the_limit(tmp_path: Path) -> None:
    cache = ReportCache(tmp_path / "c", max_rows=3)
    for i in range(5):
        cache.put_many([(f"key{i}", Report(source=f"f{i}", marketplace="samsclub"))])
    kept = [cache.get(f"key{i}") for i in range(5)]
    assert [r.source if r else None for r in kept] == [None, None, "f2", "f3", "f4"]


def test_a_store_of_an_older_layout_is_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    with sqlite3.connect(folder / "results.sqlite3") as db:
        db.execute("CREATE TABLE reports (key TEXT PRIMARY KEY, report TEXT NOT NULL)")
        db.execute("INSERT INTO reports VALUES ('k', '{}')")
    cache = ReportCache(folder)
    assert (cache.get("k"), cache.row_count(), cache.rebuilt) == (None, 0, False)
    cache.put_many([("k", Report(source="x", marketplace="m"))])
    assert cache.get("k") == Report(source="x", marketplace="m")


def test_a_store_locked_by_another_run_is_skipped_not_deleted(tmp_path: Path) -> None:
    first = ReportCache(tmp_path / "c")
    first.put_many([("k", Report(source="x", marketplace="m"))])
    first.close()
    with sqlite3.connect(tmp_path / "c" / "results.sqlite3", isolation_level=None) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        busy = ReportCache(tmp_path / "c", busy_timeout_s=0.05)
        assert busy.get("k") is None and not busy.rebuilt
        busy.put_many([("k2", Report(source="y", marketplace="m"))])
        holder.execute("COMMIT")
    again = ReportCache(tmp_path / "c")
    assert again.get("k") == Report(source="x", marketplace="m") and again.get("k2") is None
