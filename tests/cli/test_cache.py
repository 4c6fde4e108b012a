"""The result cache: a second run does not probe, any change that matters does, a corrupt store is
rebuilt (never trusted), --no-cache neither reads nor writes it."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vidlint.model.facts import AudioTrack, MediaFacts, VideoTrack, adapter, as_data
from vidlint.model.report import Finding, Report
from vidlint.run.cache import (
    APPLICATION_ID,
    CACHE_ENV,
    FILE_NAME,
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
    with sqlite3.connect(cache_dir / FILE_NAME) as db:
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
    store = cache_dir / FILE_NAME
    store.write_bytes(b"this is not a database" * 100)
    run = cli("check", "clips", "-m", "samsclub", "-m", "trendyol")
    assert run.err == f"vidlint: warning: the result cache was unreadable and has been rebuilt: {store}\n"
    assert run.out.split("\nfile ")[0] == before and run.out.endswith(f"{len(CLIPS)} probed, 0 from cache\n")
    assert _rows(cache_dir) == len(CLIPS) * 2
    assert _run(cli)[1] == (0, len(CLIPS))


def test_a_corrupt_row_is_a_miss_and_is_replaced(cli: Cli, folder: Path, cache_dir: Path) -> None:
    _run(cli)
    with sqlite3.connect(cache_dir / FILE_NAME) as db:
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
    """vidlint's own store (its application_id) of an older layout (user_version): its tables go."""
    folder = tmp_path / "c"
    folder.mkdir()
    with sqlite3.connect(folder / FILE_NAME) as db:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("PRAGMA user_version = 3")
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
    with sqlite3.connect(tmp_path / "c" / FILE_NAME, isolation_level=None) as holder:
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
            assert _untimed(cached_again.out) == _untimed(fresh.out), fmt


def _untimed(output: str) -> str:
    """JUnit carries the run's own wall time and timestamp: everything else must be the same."""
    return re.sub(r' (time|timestamp)="[^"]*"', "", output)


def test_a_damaged_stored_setup_is_a_miss_and_is_replaced(cli: Cli, folder: Path, cache_dir: Path) -> None:
    _run(cli)
    with sqlite3.connect(cache_dir / FILE_NAME) as db:
        db.execute("UPDATE setups SET setup = '{\"marketplaces\": 7}'")
    assert _run(cli)[1] == (0, len(CLIPS))  # the full path: packs resolved again, verdicts still cached
    with sqlite3.connect(cache_dir / FILE_NAME) as db:
        setups = [StoredSetup.from_json(text) for (text,) in db.execute("SELECT setup FROM setups")]
    assert len(setups) == 1 and setups[0] is not None and setups[0].marketplaces == ("samsclub", "trendyol")


def test_a_stored_setup_whose_packs_do_not_rebuild_is_replaced(
    cli: Cli, folder: Path, cache_dir: Path
) -> None:
    """A stored setup that parses but whose packs are damaged: the packs are validated again, the verdicts
    are the same, and a good one takes its place."""
    first = _run(cli)
    with sqlite3.connect(cache_dir / FILE_NAME) as db:
        (text,) = db.execute("SELECT setup FROM setups").fetchone()
        data = json.loads(text)
        data["packs"]["samsclub"]["rules"][0]["kind"] = "no-such-kind"
        db.execute("UPDATE setups SET setup = ?", (json.dumps(data),))
    copy_sample("short_4s.mp4", folder / "new.mp4")  # a file to probe: the run needs the packs
    code, (probed, cached), _ = _run(cli)
    assert (code, probed, cached) == (first[0], 1, len(CLIPS))
    with sqlite3.connect(cache_dir / FILE_NAME) as db:
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


# A probe that runs out of time: the real worker pool, with its time limit cut to 1 s and the probe of
# one file made to hang (as a hostile file makes a native library spin), in a process of its own.
HANGING_PROBE = """
import os, sys, time
import vidlint.probing.local as local
import vidlint.probing.worker as worker

real = local.probe_path


def hang_on_hostile(target, *args, **kwargs):
    if os.path.basename(target) == "hostile.mp4":
        time.sleep(60)
    return real(target, *args, **kwargs)


local.probe_path = hang_on_hostile
worker.TIMEOUT_S = 1.0
worker.ProbePool.probe_many.__kwdefaults__["timeout_s"] = 1.0
worker.probe.__kwdefaults__["timeout_s"] = 1.0
if os.environ.get("NO_FORK"):  # no worker can be started at all
    def refuse():
        raise BlockingIOError(11, "Resource temporarily unavailable")
    os.fork = refuse
from vidlint.cli.app import main
sys.exit(main(sys.argv[1:]))
"""


def _hanging(folder: Path, *, no_fork: bool = False) -> tuple[int, tuple[int, int], dict[str, list[str]]]:
    """A JSON run (exit code, messages per file), then a text run (its statistics), in ``folder``'s parent."""
    env = {**os.environ, **({"NO_FORK": "1"} if no_fork else {})}
    command = [sys.executable, "-c", HANGING_PROBE, "check", "clips", "-m", "trendyol", "--format"]

    def run(fmt: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*command, fmt], cwd=folder.parent, env=env, capture_output=True, text=True,
                              timeout=60, check=False)  # fmt: skip

    done = run("json")
    assert done.stderr == "", done.stderr
    results = json.loads(done.stdout)["results"]
    text = run("text")
    found = STATS.search(text.stdout.splitlines()[-1])
    assert found, text.stdout
    messages = {r["path"]: [f["message"] for f in r["findings"]] for r in results}
    return done.returncode, (int(found[1]), int(found[2])), messages


def test_a_probe_that_timed_out_is_cached_until_the_file_changes(isolated: Path) -> None:
    copy_sample(OK_CLIP, isolated / "clips" / "good.mp4")
    hostile = copy_sample(OK_CLIP, isolated / "clips" / "hostile.mp4")
    timed_out = {"clips/good.mp4": [], "clips/hostile.mp4": ["probe timed out after 1 s: clips/hostile.mp4"]}
    first = _hanging(isolated / "clips")
    assert first == (1, (0, 2), timed_out)  # the text run after the JSON one: both from the cache
    st = hostile.stat()
    os.utime(hostile, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    started = time.monotonic()
    code, stats, messages = _hanging(isolated / "clips")
    assert (code, messages) == (1, timed_out) and stats == (0, 2)
    assert time.monotonic() - started >= 1.0  # the changed file was probed again (and timed out again)


def test_a_worker_that_cannot_start_is_not_cached(isolated: Path) -> None:
    copy_sample(OK_CLIP, isolated / "clips" / "good.mp4")
    copy_sample("dur_7s.mp4", isolated / "clips" / "short.mp4")
    code, _, messages = _hanging(isolated / "clips", no_fork=True)
    reason = "cannot start a probe worker: Resource temporarily unavailable"
    assert (code, messages) == (1, {"clips/good.mp4": [reason], "clips/short.mp4": [reason]})
    code, _, messages = _hanging(isolated / "clips")  # probed now: the failure was not kept
    assert code == 1 and messages["clips/good.mp4"] == [] and "duration" in messages["clips/short.mp4"][0]


def _foreign(path: Path, application_id: int = 0) -> bytes:
    """Another application's database with a ``reports`` table of its own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        if application_id:
            db.execute(f"PRAGMA application_id = {application_id}")
        db.execute("CREATE TABLE reports (id INTEGER PRIMARY KEY, body TEXT)")
        db.execute("INSERT INTO reports (body) VALUES ('their data')")
    db.close()
    return path.read_bytes()


def test_another_applications_results_sqlite3_is_never_touched(
    cli: Cli, folder: Path, cache_dir: Path
) -> None:
    theirs = cache_dir / "results.sqlite3"
    before = _foreign(theirs)
    assert _run(cli)[1] == (len(CLIPS), 0) and _run(cli)[1] == (0, len(CLIPS))  # vidlint's own cache works
    assert theirs.read_bytes() == before
    with sqlite3.connect(theirs) as db:
        assert db.execute("SELECT body FROM reports").fetchall() == [("their data",)]
    db.close()


@pytest.mark.parametrize("application_id", [0, 0x12345678])
def test_a_foreign_database_under_vidlints_name_is_left_alone(
    cli: Cli, folder: Path, cache_dir: Path, application_id: int
) -> None:
    store = cache_dir / FILE_NAME
    before = _foreign(store, application_id)
    for _ in range(2):
        run = cli("check", "clips", "-m", "samsclub", "-m", "trendyol")
        assert run.out.endswith(f"{len(CLIPS)} probed, 0 from cache\n")  # no cache, and the run goes on
        assert run.err.startswith(f"vidlint: warning: {store} is not vidlint's cache (")
        assert run.err.count("\n") == 1
        assert run.err.endswith("left alone, running without a cache\n")
    assert store.read_bytes() == before
    assert not (cache_dir / f"{FILE_NAME}-journal").exists()


def test_the_store_is_marked_as_vidlints(folder: Path, cache_dir: Path, cli: Cli) -> None:
    _run(cli)
    with sqlite3.connect(cache_dir / FILE_NAME) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    db.close()


CACHE_AT_SPECIAL_FILE = """
import sys
from pathlib import Path
from vidlint.model.report import Report
from vidlint.run.cache import ReportCache

cache = ReportCache(Path(sys.argv[1]))
cache.put_many([("k", Report(source="x", marketplace="m"))])
print(cache.get("k"), ReportCache(Path(sys.argv[1]), read_only=True).get("k"), cache.refused, sep="|")
"""


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_cache_path_that_is_no_regular_file_is_left_alone(tmp_path: Path, kind: str) -> None:
    """In a process of its own, bounded in time: sqlite reading a FIFO would wait for ever."""
    folder = tmp_path / "c"
    folder.mkdir()
    store = folder / FILE_NAME
    if kind == "fifo":
        os.mkfifo(store)
    else:
        store.symlink_to("/dev/zero")
    command = [sys.executable, "-c", CACHE_AT_SPECIAL_FILE, str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    reason = f"{store} is not vidlint's cache (not a regular file); left alone, running without a cache"
    assert done.stdout == f"None|None|{reason}\n"
    assert store.is_fifo() if kind == "fifo" else store.resolve() == Path("/dev/zero")
