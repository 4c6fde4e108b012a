"""Bucket sources against a real S3 API server (moto's server mode on 127.0.0.1): listed, read
header-only through ranged reads, judged as the same files are judged locally."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support.media import SAMPLES, encode

import vidlint
from vidlint.catalog.objects import object_facts
from vidlint.remote.options import RemoteOptions

CLIPS = ["ok_h264_aac_1080p_10s.mp4", "dur_7s.mp4", "moov_at_end_10s.mp4", "rotated_90_10s.mp4"]


@pytest.fixture(scope="module")
def bucket(s3_server: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Bucket ``clips`` holding the sample clips under videos/, a 5 s 6 Mb/s clip, and a caption file."""
    import boto3

    big = tmp_path_factory.mktemp("big") / "faststart.mp4"
    encode(big, "-movflags", "+faststart")
    client = boto3.client("s3", endpoint_url=s3_server)
    client.create_bucket(Bucket="clips")
    files = {f"videos/{name}": SAMPLES / name for name in CLIPS}
    files["videos/big/faststart.mp4"] = big
    files["videos/notes.txt"] = SAMPLES / "README.md"
    for key, path in files.items():
        client.upload_file(str(path), "clips", key)
    return files


def test_an_object_is_read_header_only(bucket: dict[str, Path]) -> None:
    facts = object_facts("s3://clips/videos/big/faststart.mp4")
    size = bucket["videos/big/faststart.mp4"].stat().st_size
    assert facts.readable and facts.fetch is not None and facts.fetch.outcome == "ok"
    assert facts.size_bytes == size and size > 1_000_000
    assert 0 < facts.fetch.bytes_transferred <= 256 * 1024  # the index, not the media data
    local = vidlint.probe(bucket["videos/big/faststart.mp4"])
    assert (facts.duration_s, facts.main_video) == (local.duration_s, local.main_video)


def test_the_byte_cap_holds(bucket: dict[str, Path]) -> None:
    facts = object_facts(
        "s3://clips/videos/moov_at_end_10s.mp4", RemoteOptions(max_bytes=4096, block_size=4096)
    )
    assert facts.fetch is not None and facts.fetch.bytes_transferred <= 4096
    assert facts.partial or not facts.readable


def test_missing_object_and_bucket_are_findings_not_tracebacks(s3_server: str) -> None:
    for url in ("s3://clips/videos/none.mp4", "s3://no-such-bucket/a.mp4"):
        facts = object_facts(url)
        assert facts.fetch is not None and facts.fetch.outcome == "failed" and facts.error


def test_check_many_lists_a_prefix_and_judges_like_local_files(bucket: dict[str, Path]) -> None:
    reports = list(vidlint.check_many(["s3://clips/videos/"], ["samsclub"]))
    sources = sorted(r.source for r in reports)
    assert sources == sorted(f"s3://clips/{key}" for key in bucket if key.endswith(".mp4"))
    for report in reports:
        local = vidlint.check(bucket[report.source.removeprefix("s3://clips/")], "samsclub")
        assert report.codes() == local.codes(), (report.source, report.findings)


def test_cli_checks_a_bucket_prefix(bucket: dict[str, Path], tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "vidlint",
        "check",
        "s3://clips/videos/",
        "-m",
        "trendyol",
        "--format",
        "jsonl",
    ]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    lines = [json.loads(x) for x in done.stdout.splitlines()]
    assert done.returncode == 1, done.stderr  # dur_7s.mp4 is too short for Trendyol
    by_path = {x["path"]: {f["code"] for f in x["findings"]} for x in lines}
    assert len(by_path) == 5
    assert "seller.integration.video.duration.invalid" in by_path["s3://clips/videos/dur_7s.mp4"]
