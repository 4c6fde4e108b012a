"""The command line honours ``[tool.vidlint.remote]``: the configured time budget decides a slow URL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.server import LocalFileServer

from vidlint.cli.app import main

SLOW_CLIP = "slow/1500/files/samples/ok_h264_aac_1080p_10s.mp4"


def _check(url: str, config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, set[str]]:
    code = main(["check", url, "-m", "trendyol", "--format", "json", "--no-cache", "--config", str(config)])
    results = json.loads(capsys.readouterr().out)["results"]
    return code, {f["code"] for r in results for f in r["findings"]}


def test_the_configured_timeout_turns_a_slow_url_into_the_timeout_code(
    server: LocalFileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    strict = tmp_path / "strict.toml"
    strict.write_text("[remote]\ntimeout_s = 0.5\n")
    assert _check(server.url(SLOW_CLIP), strict, capsys) == (
        1,
        {"seller.integration.video.download.timeout"},
    )


def test_the_default_budget_waits_for_the_same_slow_url(
    server: LocalFileServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    default = tmp_path / "default.toml"
    default.write_text("[remote]\n")
    assert _check(server.url(SLOW_CLIP), default, capsys) == (0, set())
