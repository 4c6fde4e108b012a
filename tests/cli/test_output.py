"""--statistics, --output FILE, --color and the NO_COLOR / FORCE_COLOR variables."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .support import OK_CLIP, SAMPLES, Cli

CLIPS = [str(SAMPLES / name) for name in ("dur_7s.mp4", "rotated_90_10s.mp4", "hd720_10s.mp4")]
ESC = "\x1b["


def test_statistics_count_each_code_per_marketplace_after_the_report(cli: Cli) -> None:
    run = cli("check", *CLIPS, "-m", "samsclub,trendyol", "--statistics", "--quiet")
    assert (run.code, run.err) == (1, "")
    report, stats = run.out.rsplit("\n\n", 1)
    assert "3 files x 2 marketplaces" in report
    assert [line.split() for line in stats.splitlines()] == [
        ["2", "E_MIN_PIXEL", "samsclub", "samsclub.min-pixel", "error"],
        ["1", "E_ASPECT_RATIO", "samsclub", "samsclub.aspect-ratio", "error"],
        ["1", "seller.integration.video.duration.invalid", "trendyol", "trendyol.duration", "error"],
    ]


def test_statistics_of_a_machine_format_go_to_stderr(cli: Cli) -> None:
    run = cli("check", *CLIPS, "-m", "samsclub", "--statistics", "--format", "json")
    assert run.code == 1
    assert json.loads(run.out)["summary"]["errors"] == 3
    assert run.err.split() == [
        "2",
        "E_MIN_PIXEL",
        "samsclub",
        "samsclub.min-pixel",
        "error",
        "1",
        "E_ASPECT_RATIO",
        "samsclub",
        "samsclub.aspect-ratio",
        "error",
    ]


def test_output_writes_the_report_to_a_file(cli: Cli, isolated: Path) -> None:
    (isolated / "report.json").write_text("old and longer than the report will be " * 1000)
    run = cli("check", *CLIPS, "-m", "samsclub", "--format", "json", "--output", "report.json")
    assert (run.code, run.out, run.err) == (1, "", "")
    assert json.loads((isolated / "report.json").read_text())["summary"]["errors"] == 3


@pytest.mark.parametrize("target", ["/dev/null", "fifo", "folder"])
def test_output_never_writes_to_what_is_not_a_regular_file(cli: Cli, isolated: Path, target: str) -> None:
    if target == "fifo":
        os.mkfifo(isolated / "fifo")
    elif target == "folder":
        (isolated / "folder").mkdir()
    run = cli("check", str(SAMPLES / OK_CLIP), "-m", "samsclub", "--output", target)
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith(f"vidlint: error: --output {target}: ") and run.err.count("\n") == 1


@pytest.mark.parametrize(
    ("flag", "env", "colored"),
    [
        ("auto", {}, False),  # captured output is no terminal
        ("always", {}, True),
        ("always", {"NO_COLOR": "1"}, True),
        ("never", {"FORCE_COLOR": "1"}, False),
        ("auto", {"FORCE_COLOR": "1"}, True),
        ("auto", {"FORCE_COLOR": "0"}, False),
        ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ],
)
def test_color(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, flag: str, env: dict[str, str], colored: bool
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    run = cli("check", CLIPS[0], "-m", "trendyol", "--color", flag)
    assert (run.code, run.err) == (1, "")
    assert (ESC in run.out) is colored
    assert "seller.integration.video.duration.invalid" in run.out


def test_json_is_never_colored(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    run = cli("check", CLIPS[0], "-m", "trendyol", "--format", "json", "--color", "always")
    assert ESC not in run.out and json.loads(run.out)["summary"]["failed"] == 1
