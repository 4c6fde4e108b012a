"""``vidlint cache info`` and ``vidlint cache clear``: only vidlint's own database is ever removed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .support import OK_CLIP, SAMPLES, Cli

NAME = "vidlint-cache.sqlite3"


def test_info_without_a_cache(cli: Cli, cache_dir: Path) -> None:
    run = cli("cache", "info")
    assert (run.code, run.err) == (0, "")
    assert run.out == f"path:   {cache_dir / NAME}\nstate:  absent\n"


def test_info_then_clear_after_a_check(cli: Cli, cache_dir: Path) -> None:
    assert cli("check", str(SAMPLES / OK_CLIP), "-m", "samsclub,trendyol").code == 0
    info = cli("cache", "info")
    assert (info.code, info.err) == (0, "")
    lines = info.out.splitlines()
    assert lines[:2] == [f"path:   {cache_dir / NAME}", "state:  vidlint"]
    assert lines[2].startswith("size:   ") and int(lines[2].split()[1]) > 0
    assert lines[3] == "rows:   2 results, 1 setups"
    cleared = cli("cache", "clear")
    assert (cleared.code, cleared.err) == (0, "")
    assert cleared.out.startswith(f"removed {cache_dir / NAME} (")
    assert not (cache_dir / NAME).exists()
    again = cli("cache", "clear")
    assert (again.code, again.out, again.err) == (0, f"no cache at {cache_dir / NAME}\n", "")


def test_clear_leaves_a_foreign_database_alone(cli: Cli, cache_dir: Path) -> None:
    cache_dir.mkdir()
    db = sqlite3.connect(cache_dir / NAME)
    db.execute("PRAGMA application_id = 1234")
    db.execute("CREATE TABLE mine (x)")
    db.commit()
    db.close()
    before = (cache_dir / NAME).read_bytes()
    run = cli("cache", "clear")
    assert (run.code, run.out) == (2, "")
    why = "not vidlint's (application_id 0x4d2): left alone"
    assert run.err == f"vidlint: error: the cache was not cleared: {cache_dir / NAME}: {why}\n"
    assert (cache_dir / NAME).read_bytes() == before
    assert "state:  not vidlint's (application_id 0x4d2): left alone" in cli("cache", "info").out


def test_clear_leaves_a_text_file_and_other_files_alone(cli: Cli, cache_dir: Path) -> None:
    cache_dir.mkdir()
    (cache_dir / NAME).write_text("not a database")
    (cache_dir / "results.sqlite3").write_text("someone else's")
    run = cli("cache", "clear")
    assert (run.code, run.out) == (2, "")
    assert "not vidlint's (not a database)" in run.err
    assert (cache_dir / NAME).read_text() == "not a database"
    assert (cache_dir / "results.sqlite3").exists()


def test_cache_needs_an_action(cli: Cli) -> None:
    run = cli("cache")
    assert (run.code, run.out, run.err) == (
        2,
        "",
        "vidlint: error: the following arguments are required: ACTION\n",
    )
