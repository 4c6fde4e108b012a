"""Many URLs at once against a real loopback server: same verdicts as vidlint.check, bounded in flight,
streamed as JSON Lines, resumable."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.media import SAMPLES
from support.server import LocalFileServer

import vidlint
from vidlint.catalog.item import Item
from vidlint.catalog.runner import Limits, check_items
from vidlint.packs.builtin import load_pack

CLIPS = ["ok_h264_aac_1080p_10s.mp4", "dur_7s.mp4", "moov_at_end_10s.mp4", "rotated_90_10s.mp4", "empty.mp4"]
MARKETS = ["trendyol", "samsclub"]


@pytest.fixture
def server() -> Iterator[LocalFileServer]:
    with LocalFileServer(SAMPLES) as srv:
        yield srv


def _urls(server: LocalFileServer, count: int) -> list[str]:
    return [server.url(f"files/{CLIPS[i % len(CLIPS)]}?copy={i}") for i in range(count)]


def _codes(reports: object) -> list[tuple[str, str, tuple[str, ...]]]:
    return sorted((r.source, r.marketplace, tuple(sorted(r.codes()))) for r in reports)  # type: ignore[attr-defined]


def test_concurrent_run_gives_the_verdicts_of_one_check_per_url(server: LocalFileServer) -> None:
    urls = [*_urls(server, 15), server.url("status/404"), server.url("norange/dur_7s.mp4")]
    packs = {m: load_pack(m) for m in MARKETS}
    results = list(check_items((Item(u) for u in urls), packs, limits=Limits(concurrency=4, per_host=3)))
    assert sorted(r.item.source for r in results) == sorted(urls)
    one_by_one = [vidlint.check(u, m) for u in urls for m in MARKETS]
    assert _codes(r for res in results for r in res.reports) == _codes(one_by_one)
    assert any(r.failed for r in results) and any(not r.failed for r in results)


def _cli(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "vidlint", "check", *args]
    return subprocess.run(
        command, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=300, check=False
    )


def test_cli_from_a_csv_writes_json_lines_and_resumes(server: LocalFileServer, tmp_path: Path) -> None:
    urls = _urls(server, 12)
    rows = "".join(f"{i},{u}\n" for i, u in enumerate(urls))
    (tmp_path / "feed.csv").write_text("sku,url\n" + rows, encoding="utf-8")
    args = ["--from", "feed.csv", "--column", "url", "-m", "trendyol", "--concurrency", "4"]
    first = _cli(*args, "--output", "out.jsonl", cwd=tmp_path)
    assert first.returncode == 1, first.stderr  # dur_7s fails Trendyol's duration
    lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert sorted(x["path"] for x in lines) == sorted(urls)
    assert "12 sources checked" in first.stderr
    # a run killed after 5 sources, its last line cut in half: --resume checks the other 7 only
    kept = (tmp_path / "out.jsonl").read_text().splitlines()[:5]
    (tmp_path / "out.jsonl").write_text("\n".join(kept) + "\n" + kept[0][:20], encoding="utf-8")
    server.clear_log()
    again = _cli(*args, "--output", "out.jsonl", "--resume", cwd=tmp_path)
    assert "7 sources checked" in again.stderr and "5 skipped" in again.stderr, again.stderr
    fetched = {e.path.split("?")[1] for e in server.log() if e.method == "HEAD"}
    assert len(fetched) == 7
    final = (tmp_path / "out.jsonl").read_text().splitlines()
    assert final[5] == kept[0][:20]  # the cut line stays, on a line of its own
    complete = [json.loads(x) for i, x in enumerate(final) if i != 5]
    assert sorted(x["path"] for x in complete) == sorted(urls)


def test_cli_stdin_list_and_text_format(server: LocalFileServer, tmp_path: Path) -> None:
    urls = _urls(server, 3)
    done = _cli("--from", "-", "-m", "samsclub", "--format", "json", cwd=tmp_path, stdin="\n".join(urls))
    document = json.loads(done.stdout)
    assert document["summary"]["files"] == 3


def test_resume_without_a_jsonl_output_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "l.txt").write_text("a.mp4\n", encoding="utf-8")
    done = _cli("--from", "l.txt", "--resume", cwd=tmp_path)
    assert done.returncode == 2 and "--resume needs --output" in done.stderr


def test_missing_list_is_one_line(tmp_path: Path) -> None:
    done = _cli("--from", "nope.txt", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "nope.txt" in done.stderr


def test_jsonl_honours_ignore_in_output_and_exit_code(tmp_path: Path) -> None:
    (tmp_path / "l.txt").write_text(f"{SAMPLES / 'dur_7s.mp4'}\n", encoding="utf-8")
    failing = _cli("--from", "l.txt", "-m", "trendyol", "--format", "jsonl", cwd=tmp_path)
    assert failing.returncode == 1 and "duration.invalid" in failing.stdout
    ignored = _cli(
        "--from",
        "l.txt",
        "-m",
        "trendyol",
        "--format",
        "jsonl",
        "--ignore",
        "trendyol.duration",
        cwd=tmp_path,
    )
    assert ignored.returncode == 0, ignored.stderr
    assert json.loads(ignored.stdout)["findings"] == []
