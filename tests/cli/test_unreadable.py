"""Nothing is skipped without a word (issue 11): a folder that cannot be read, a path longer than the
system allows and a caption that cannot be read each get a warning and a ``vidlint.unreadable``
finding, in the command line and in check_many alike."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from vidlint.api import check_many

from .support import OK_CLIP, VIDLINT, Cli, copy_sample, deep_folder, without_root_powers

FOLDER_WARNING = "cannot read this folder ({reason}): the videos in it were not checked"


def _json(out: str) -> dict[str, list[tuple[str, str, str]]]:
    """path -> [(code, severity, message)] of a --format json document."""
    return {
        r["path"]: [(f["code"], f["severity"], f["message"]) for f in r["findings"]]
        for r in json.loads(out)["results"]
    }


def test_an_unreadable_folder_is_a_warning_and_a_finding(isolated: Path) -> None:
    copy_sample(OK_CLIP, isolated / "tree" / "good.mp4")
    copy_sample("dur_7s.mp4", isolated / "tree" / "locked" / "bad.mp4")
    (isolated / "tree" / "locked").chmod(0)
    try:
        base = [*without_root_powers(), VIDLINT, "check", "tree", "-m", "trendyol", "--format", "json"]
        lenient = subprocess.run(base, capture_output=True, text=True, timeout=60, check=False)
        strict = subprocess.run([*base, "--fail-on", "warning"], capture_output=True, text=True, timeout=60)
    finally:
        (isolated / "tree" / "locked").chmod(0o755)
    message = FOLDER_WARNING.format(reason="Permission denied")
    assert lenient.stderr == strict.stderr == f"vidlint: warning: tree/locked: {message}\n"
    assert (lenient.returncode, strict.returncode) == (0, 1)
    assert _json(lenient.stdout) == {
        "tree/good.mp4": [],
        "tree/locked": [("vidlint.unreadable", "warning", message)],
    }


def test_a_path_longer_than_the_system_allows_is_reported(cli: Cli, isolated: Path) -> None:
    copy_sample(OK_CLIP, isolated / "tree" / "good.mp4")
    deep = deep_folder(isolated / "tree")
    assert len(str(deep)) > 4096
    run = cli("check", "tree", "-m", "trendyol", "--format", "json", "--fail-on", "warning")
    results = _json(run.out)
    assert run.code == 1 and run.err.count("\n") == 1
    assert run.err.startswith("vidlint: warning: tree/") and "(File name too long)" in run.err
    (where, findings), = [(p, f) for p, f in results.items() if p != "tree/good.mp4"]
    assert deep.relative_to(isolated).as_posix().startswith(where)
    assert len(os.path.dirname(where)) < 4096 <= len(where)  # the first folder the system refused
    assert findings == [("vidlint.unreadable", "warning", FOLDER_WARNING.format(reason="File name too long"))]
    assert results["tree/good.mp4"] == []
    text = cli("check", "tree", "-m", "trendyol")
    assert text.code == 0 and "1 warning" in text.out.splitlines()[-1]  # not "1 passed" and silence
    probed = cli("probe", "tree")
    assert probed.code == 0 and probed.err == run.err and "good.mp4" in probed.out  # probe says it too


def test_an_unreadable_caption_is_a_finding_in_the_cli_and_in_check_many(cli: Cli, isolated: Path) -> None:
    copy_sample("captioned_good.mp4", isolated / "clip.mp4")
    os.mkfifo(isolated / "clip.srt")  # unreadable for root too: opening it would wait for a writer
    run = cli("check", "clip.mp4", "-m", "samsclub", "-m", "trendyol", "--format", "json")
    reason = "the caption cannot be read: not a regular file (a FIFO): clip.srt"
    assert (run.code, run.err) == (1, "")
    by_market = {r["marketplace"]: r["findings"] for r in json.loads(run.out)["results"]}
    assert [(f["code"], f["message"]) for f in by_market["samsclub"]] == [("vidlint.unreadable", reason)]
    assert by_market["trendyol"] == []  # Trendyol judges no caption
    reports = list(check_many(["clip.mp4"], ["samsclub", "trendyol"]))
    assert [(r.marketplace, [f.message for f in r.findings]) for r in reports] == [
        ("samsclub", [reason]),
        ("trendyol", []),
    ]


def test_a_caption_without_read_permission_is_a_finding(isolated: Path) -> None:
    copy_sample("captioned_good.mp4", isolated / "clip.mp4")
    caption = copy_sample("captioned_good.srt", isolated / "clip.srt")
    caption.chmod(0)
    command = [*without_root_powers(), VIDLINT, "check", "clip.mp4", "-m", "samsclub", "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stderr) == (1, "")
    reason = "the caption cannot be read: permission denied: clip.srt"
    assert _json(done.stdout) == {"clip.mp4": [("vidlint.unreadable", "error", reason)]}
    caption.chmod(0o644)
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, _json(done.stdout)) == (0, {"clip.mp4": []})  # never cached: checked again
