"""The result cache: a second run does not probe, any change that matters does, a corrupt store is
rebuilt (never trusted), --no-cache neither reads nor writes it."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vidlint.model.facts import AudioTrack, MediaFacts, VideoTrack, adapter, as_data
from vidlint.model.report import Finding, Report
from vidlint.run.cache import (
    CACHE_ENV,
    ReportCache,
    cache_dir,
    parse_report,
    report_key,
    stored_text,
)
from vidlint.run.stored import StoredSetup

from .support import OK_CLIP, ROOT, Cli, copy_sample

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
        db.execute('UPDATE reports SET report = \'{"source": 1, "findings": "not a list"}\'')
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


CUSTOM_PACK = ROOT / "tests" / "engine" / "data" / "custom_pack.toml"  # marketplace "shopfast", 1.5-60 s


def test_an_edited_user_pack_is_a_change(cli: Cli, folder: Path, isolated: Path) -> None:
    """The stored setup that lets a cached run skip the packs is tied to every pack file's bytes."""
    pack = isolated / "shopfast.toml"
    shutil.copyfile(CUSTOM_PACK, pack)
    (isolated / "vidlint.toml").write_text('packs = ["shopfast.toml"]\n')
    first = cli("check", "clips", "-m", "shopfast")
    second = cli("check", "clips", "-m", "shopfast")
    assert first.out.endswith("4 probed, 0 from cache\n") and second.out.endswith("0 probed, 4 from cache\n")
    assert "DURATION" not in first.out
    pack.write_text(pack.read_text().replace("min = 1.5, max = 60", "min = 8, max = 60"))
    third = cli("check", "clips", "-m", "shopfast")
    assert third.out.endswith("4 probed, 0 from cache\n")
    assert "DURATION" in third.out.split("dur_7s.mp4")[1].split("\nclips/")[0]  # 7 s is now too short


def test_an_edited_caption_sidecar_is_a_change(cli: Cli, isolated: Path) -> None:
    copy_sample("captioned_good.mp4", isolated / "clips" / "a.mp4")
    caption = copy_sample("captioned_good.srt", isolated / "clips" / "a.srt")
    assert cli("check", "clips", "-m", "samsclub").out.endswith("1 probed, 0 from cache\n")
    assert cli("check", "clips", "-m", "samsclub").out.endswith("0 probed, 1 from cache\n")
    caption.write_text("not a caption at all\n")
    run = cli("check", "clips", "-m", "samsclub")
    assert run.out.endswith("1 probed, 0 from cache\n") and "E_CAPTION_FORMAT" in run.out


def test_every_format_reads_the_same_from_the_cache(cli: Cli, folder: Path) -> None:
    for fmt in ("json", "junit", "github", "sarif", "text"):
        argv = ("check", "clips", "-m", "samsclub", "-m", "trendyol", "--format", fmt)
        fresh, cached = cli(*argv, "--no-cache"), cli(*argv)
        cached_again = cli(*argv)
        assert (cached.code, cached.err) == (fresh.code, fresh.err) == (cached_again.code, cached_again.err)
        if fmt == "text":  # only the summary's statistics differ
            assert cached_again.out.endswith(f"0 probed, {len(CLIPS)} from cache\n")
            assert cached_again.out.rpartition("; ")[0] == fresh.out.rpartition("; ")[0]
        else:
            assert cached_again.out == fresh.out, fmt


def test_a_damaged_stored_setup_is_a_miss_and_is_replaced(cli: Cli, folder: Path, cache_dir: Path) -> None:
    _run(cli)
    with sqlite3.connect(cache_dir / "results.sqlite3") as db:
        db.execute("UPDATE setups SET setup = '{\"marketplaces\": 7}'")
    assert _run(cli)[1] == (0, len(CLIPS))  # the full path: packs resolved again, verdicts still cached
    with sqlite3.connect(cache_dir / "results.sqlite3") as db:
        setups = [StoredSetup.from_json(text) for (text,) in db.execute("SELECT setup FROM setups")]
    assert len(setups) == 1 and setups[0] is not None and setups[0].marketplaces == ("samsclub", "trendyol")


def test_a_stored_setup_whose_packs_do_not_rebuild_is_replaced(
    cli: Cli, folder: Path, cache_dir: Path
) -> None:
    """A stored setup that parses but whose packs are damaged: the packs are validated again, the verdicts
    are the same, and a good one takes its place."""
    first = _run(cli)
    with sqlite3.connect(cache_dir / "results.sqlite3") as db:
        (text,) = db.execute("SELECT setup FROM setups").fetchone()
        data = json.loads(text)
        data["packs"]["samsclub"]["rules"][0]["kind"] = "no-such-kind"
        db.execute("UPDATE setups SET setup = ?", (json.dumps(data),))
    copy_sample("short_4s.mp4", folder / "new.mp4")  # a file to probe: the run needs the packs
    code, (probed, cached), _ = _run(cli)
    assert (code, probed, cached) == (first[0], 1, len(CLIPS))
    with sqlite3.connect(cache_dir / "results.sqlite3") as db:
        setups = [StoredSetup.from_json(text) for (text,) in db.execute("SELECT setup FROM setups")]
    assert len(setups) == 1 and setups[0] is not None and setups[0].setup() is not None


# Rows as stored (a Report's JSON without its computed fields), then half of them changed once: a
# key dropped, added or given a value of any type. The facts are not read by the cached path: they
# are null, absent or real ones here.
ANYTHING = st.none() | st.booleans() | st.integers() | st.text(max_size=4) | st.lists(st.text(max_size=2))
FACTS = {"path": "a.mp4", "size_bytes": 1, "extension": ".mp4", "kind": "empty"}
FINDING = st.fixed_dictionaries(
    {
        "code": st.text(max_size=6),
        "severity": st.sampled_from(["error", "warning"]),
        "documented": st.booleans(),
        "rule": st.text(max_size=6),
        "message": st.text(max_size=6),
    },
    optional={"expected": st.none() | st.text(max_size=4), "actual": st.none() | st.text(max_size=4)},
)
STORED = st.fixed_dictionaries(
    {
        "source": st.text(max_size=6),
        "marketplace": st.text(max_size=6),
        "findings": st.lists(FINDING, max_size=3),
    },
    optional={"facts": st.sampled_from([None, FACTS])},
)


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    row: dict[str, Any] = draw(STORED)
    if draw(st.booleans()):
        findings = row["findings"]
        part = draw(st.sampled_from(findings)) if findings and draw(st.booleans()) else row
        key = draw(st.sampled_from([*sorted(part), "passed", "other"]))
        if draw(st.booleans()):
            part.pop(key, None)
        else:
            part[key] = draw(ANYTHING)
    return row


@settings(max_examples=200, deadline=None)
@given(rows())
def test_a_row_read_without_pydantic_is_one_pydantic_accepts(row: dict[str, Any]) -> None:
    """Whatever the cache reads back (Report.from_data), pydantic's validation of Report accepts too,
    as the same Report."""
    text = json.dumps(row)
    report = parse_report(text)
    if report is None:
        return
    assert report == adapter(Report).validate_json(text)


def test_well_formed_rows_are_read(tmp_path: Path) -> None:
    finding = {"code": "E", "severity": "error", "documented": False, "rule": "m.r", "message": "x"}
    row = {"source": "a.mp4", "marketplace": "m", "findings": [finding], "facts": FACTS}
    report = parse_report(json.dumps(row))
    assert report is not None and not report.passed and report.findings[0].code == "E"
    assert report.facts is not None and report.facts.kind == "empty"
    bad_finding = {**finding, "severity": "fatal"}
    broken_rows: list[dict[str, object]] = [{**row, "passed": True}, {**row, "findings": [bad_finding]}]
    broken_rows += [{"source": "a"}, {**row, "findings": finding}, {**row, "facts": {**FACTS, "colour": 1}}]
    for broken in broken_rows:
        assert parse_report(json.dumps(broken)) is None, broken


def test_stored_reports_read_back_without_pydantic(tmp_path: Path) -> None:
    finding = Finding(code="E_X", severity="warning", documented=True, rule="m.x", message="m", actual="7 s")
    report = Report(source="a.mp4", marketplace="m", findings=(finding,))
    cache = ReportCache(tmp_path / "c")
    cache.put_many([("k", report)])
    assert cache.get_many(["k", "missing"]) == {"k": report}


def test_a_row_is_the_report_without_its_computed_values(tmp_path: Path) -> None:
    """What pydantic's ``model_dump_json(exclude_computed_fields=True)`` stored: read back equal."""
    track = VideoTrack(codec="h264", stored_width=1440, stored_height=1080, sample_aspect_ratio=4 / 3)
    facts = MediaFacts(
        path="a.mp4",
        size_bytes=9,
        extension=".mp4",
        kind="video",
        video=(track,),
        audio=(AudioTrack(codec=None),),
    )
    finding = Finding(code="E", severity="error", documented=False, rule="m.r", message="x", expected="é")
    report = Report(source="a.mp4", marketplace="m", findings=(finding,), facts=facts)
    text = stored_text(report)
    assert text is not None and json.loads(text) == as_data(report, computed=False)
    assert '"passed"' not in text and '"display_width"' not in text and '"é"' in text
    cache = ReportCache(tmp_path / "c")
    cache.put_many([("k", report)])
    assert cache.get("k") == report and cache.get_many(["k"])["k"].passed is False


def test_a_report_sqlite_cannot_hold_is_not_stored(tmp_path: Path) -> None:
    """A file name that is not UTF-8 (surrogate escapes) is checked every time, never a crash."""
    cache = ReportCache(tmp_path / "c")
    cache.put_many(
        [
            ("bad", Report(source="caf\udcff.mp4", marketplace="m")),
            ("ok", Report(source="a", marketplace="m")),
        ]
    )
    assert (cache.get("bad"), cache.row_count()) == (None, 1)
    assert cache.get("ok") == Report(source="a", marketplace="m")


@pytest.mark.parametrize("xdg", [None, "", "  ", "/srv/cache-home"])
def test_the_default_folder_is_platformdirs_one(monkeypatch: pytest.MonkeyPatch, xdg: str | None) -> None:
    """Worked out without importing platformdirs (~10 ms of every start), to the same answer."""
    import platformdirs

    monkeypatch.delenv(CACHE_ENV)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache_dir() == Path(platformdirs.user_cache_dir("vidlint", appauthor=False))
