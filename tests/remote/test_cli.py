"""The command line checks a URL end to end: a real process, a real server on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support.server import LocalFileServer

VIDLINT = Path(sys.executable).with_name("vidlint")


def test_cli_checks_a_url(server: LocalFileServer, tmp_path: Path) -> None:
    url = server.url("files/samples/short_4s.mp4")
    command = [str(VIDLINT), "check", url, "-m", "trendyol", "--format", "json", "--no-cache"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    (result,) = json.loads(done.stdout)["results"]
    assert (result["path"], result["marketplace"], result["passed"]) == (url, "trendyol", False)
    assert [f["code"] for f in result["findings"]] == ["seller.integration.video.duration.invalid"]
    assert any(entry.method == "GET" and entry.path.endswith("short_4s.mp4") for entry in server.log())
