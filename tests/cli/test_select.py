"""--select / --ignore and the configuration's per-file-ignores, on real clips from sample_media."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .support import Cli, copy_sample

# rotated_90_10s.mp4 fails samsclub with E_ASPECT_RATIO and E_MIN_PIXEL; dur_7s.mp4 fails trendyol.duration.


def _codes(out: str) -> list[tuple[str, str, str]]:
    results = json.loads(out)["results"]
    return sorted((Path(r["path"]).name, r["marketplace"], f["code"]) for r in results for f in r["findings"])


@pytest.fixture
def clips(isolated: Path) -> list[str]:
    rotated = copy_sample("rotated_90_10s.mp4", isolated / "clips" / "rotated.mp4")
    short = copy_sample("dur_7s.mp4", isolated / "drafts" / "short.mp4")
    return [str(rotated.relative_to(isolated)), str(short.relative_to(isolated))]


def test_without_a_filter_every_finding_is_reported(cli: Cli, clips: list[str]) -> None:
    run = cli("check", *clips, "-m", "samsclub,trendyol", "--format", "json")
    assert (run.code, run.err) == (1, "")
    assert _codes(run.out) == [
        ("rotated.mp4", "samsclub", "E_ASPECT_RATIO"),
        ("rotated.mp4", "samsclub", "E_MIN_PIXEL"),
        ("short.mp4", "trendyol", "seller.integration.video.duration.invalid"),
    ]


def test_ignore_takes_codes_rule_ids_and_prefixes(cli: Cli, clips: list[str]) -> None:
    run = cli(
        "check", *clips, "-m", "samsclub,trendyol", "--format", "json", "--ignore", "E_ASPECT_RATIO,trendyol."
    )
    assert (run.code, run.err) == (1, "")
    assert _codes(run.out) == [("rotated.mp4", "samsclub", "E_MIN_PIXEL")]
    everything = cli(
        "check",
        *clips,
        "-m",
        "samsclub,trendyol",
        "--ignore",
        "samsclub.min-pixel,E_ASPECT_RATIO",
        "--ignore",
        "trendyol",
    )
    assert (everything.code, everything.err) == (0, "")
    assert "4 passed, 0 failed (0 errors, 0 warnings)" in everything.out


def test_select_reports_only_what_it_names(cli: Cli, clips: list[str]) -> None:
    run = cli("check", *clips, "-m", "samsclub,trendyol", "--format", "json", "--select", "trendyol.duration")
    assert (run.code, run.err) == (1, "")
    assert _codes(run.out) == [("short.mp4", "trendyol", "seller.integration.video.duration.invalid")]
    none = cli("check", *clips, "-m", "samsclub", "--select", "E_FILE_SIZE", "--quiet")
    assert (none.code, none.err) == (0, "")


def test_per_file_ignores_are_globs_relative_to_the_configuration(
    cli: Cli, clips: list[str], isolated: Path
) -> None:
    (isolated / "vidlint.toml").write_text(
        '[per-file-ignores]\n"drafts/*.mp4" = ["trendyol.duration"]\n"clips/**" = ["E_MIN_PIXEL"]\n'
    )
    (isolated / "sub").mkdir()
    for folder, paths in ((isolated, clips), (isolated / "sub", [f"../{c}" for c in clips])):
        os.chdir(folder)  # the fixture's monkeypatch.chdir puts the old folder back afterwards
        for _ in range(2):  # the second run is answered from the cache and the stored setup
            run = cli(
                "check",
                *paths,
                "-m",
                "samsclub,trendyol",
                "--format",
                "json",
                "--config",
                str(isolated / "vidlint.toml"),
            )
            assert (run.code, run.err) == (1, "")
            assert _codes(run.out) == [("rotated.mp4", "samsclub", "E_ASPECT_RATIO")]


def test_per_file_ignores_in_pyproject(cli: Cli, clips: list[str], isolated: Path) -> None:
    (isolated / "pyproject.toml").write_text(
        '[tool.vidlint.per-file-ignores]\n"*.mp4" = ["samsclub.", "trendyol."]\n'
    )
    run = cli("check", *clips, "-m", "samsclub,trendyol")
    assert (run.code, run.err) == (0, "")


def test_a_misspelt_per_file_ignores_key_is_named(cli: Cli, clips: list[str], isolated: Path) -> None:
    (isolated / "vidlint.toml").write_text('[per_file_ignores]\n"*.mp4" = ["E_MIN_PIXEL"]\n')
    run = cli("check", *clips)
    assert (run.code, run.out) == (2, "")
    assert run.err.endswith("unknown key 'per_file_ignores' (did you mean 'per-file-ignores'?)\n")
