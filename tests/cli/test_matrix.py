"""`vidlint check --matrix`: a folder of real clips against every file-judging marketplace, through the
console script in a subprocess. The expected marks come from the same run's JSON results (and the
README's verdicts on three clips), never from a table written by hand."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from vidlint.packs.builtin import file_marketplaces

from .support import OK_CLIP, VIDLINT, copy_sample

CLIPS = {"a_ok.mp4": OK_CLIP, "b_short.mp4": "dur_7s.mp4", "c_rotated.mp4": "rotated_90_10s.mp4"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def folder(isolated: Path) -> Path:
    for name, sample in CLIPS.items():
        copy_sample(sample, isolated / "clips" / name)
    return isolated / "clips"


def _run(work: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    inherited = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    environ = {**inherited, "VIDLINT_CACHE_DIR": str(work.parent / "cache"), **env}
    return subprocess.run(
        [VIDLINT, "check", *args],
        cwd=work,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _table(out: str) -> tuple[list[str], dict[str, list[str]]]:
    """The header's columns and each file's cells, read back from the plain table."""
    lines = ANSI.sub("", out).split("\n\n")[0].splitlines()
    header = lines[0].split()
    rows = {}
    for line in lines[1:]:
        source, rest = line.split(maxsplit=1)
        marks, taken = rest.rsplit(maxsplit=1)
        rows[source] = [*re.findall(r"pass|warn \d+|FAIL \d+|-", marks), taken]
    return header, rows


def _expected(results: list[dict[str, Any]], marketplaces: list[str]) -> dict[str, list[str]]:
    """The mark of each (file, marketplace) from the JSON results, and the file's "passes" count."""
    marks: dict[str, dict[str, str]] = {}
    for result in results:
        errors = [f for f in result["findings"] if f["severity"] == "error"]
        mark = (
            f"FAIL {len(errors)}"
            if errors
            else (f"warn {len(result['findings'])}" if result["findings"] else "pass")
        )
        marks.setdefault(result["path"], {})[result["marketplace"]] = mark
    return {
        path: [row[m] for m in marketplaces]
        + [f"{sum(not row[m].startswith('FAIL') for m in marketplaces)}/{len(marketplaces)}"]
        for path, row in marks.items()
    }


def test_a_folder_against_every_file_judging_marketplace(isolated: Path, folder: Path) -> None:
    everyone = file_marketplaces()
    done = _run(isolated, "clips", "--matrix", "--no-cache")
    assert done.returncode == 1, done.stderr
    header, rows = _table(done.stdout)
    assert header == ["file", *everyone, "passes"]
    assert list(rows) == [f"clips/{name}" for name in sorted(CLIPS)]  # one line per file, in order
    as_json = _run(isolated, "clips", "-m", ",".join(everyone), "--format", "json", "--no-cache")
    assert rows == _expected(json.loads(as_json.stdout)["results"], everyone)
    # the README's verdicts on these clips
    samsclub, trendyol = everyone.index("samsclub"), everyone.index("trendyol")
    assert rows["clips/a_ok.mp4"][samsclub] == rows["clips/a_ok.mp4"][trendyol] == "pass"
    assert (
        rows["clips/b_short.mp4"][trendyol] == "FAIL 1" and rows["clips/c_rotated.mp4"][samsclub] == "FAIL 2"
    )
    assert "  trendyol: seller.integration.video.duration.invalid (1 file)" in done.stdout
    everywhere = sum(not any(m.startswith("FAIL") for m in row) for row in rows.values())
    nowhere = sum(row[-1].startswith("0/") for row in rows.values())
    summary = f"3 files x {len(everyone)} marketplaces: {everywhere} pass everywhere, {nowhere} nowhere"
    assert done.stdout.splitlines()[-1] == f"{summary}; 3 probed, 0 from cache"


def test_marketplaces_given_pick_the_columns_and_a_passing_run_exits_0(isolated: Path, folder: Path) -> None:
    done = _run(isolated, "clips/a_ok.mp4", "--matrix", "-m", "trendyol", "-m", "samsclub", "--no-cache")
    assert done.returncode == 0, done.stderr
    header, rows = _table(done.stdout)
    assert header == ["file", "trendyol", "samsclub", "passes"]
    assert rows == {"clips/a_ok.mp4": ["pass", "pass", "2/2"]}
    assert done.stdout.splitlines()[-1].startswith("1 file x 2 marketplaces: 1 pass everywhere, 0 nowhere")


def test_the_matrix_ignores_the_configured_marketplaces_and_uses_the_cache(
    isolated: Path, folder: Path
) -> None:
    (isolated / "vidlint.toml").write_text('marketplaces = ["trendyol"]\n', encoding="utf-8")
    plain = _run(isolated, "clips")  # the configured list, stored under its own key
    assert plain.returncode == 1 and "samsclub" not in plain.stdout
    first = _run(isolated, "clips", "--matrix")
    second = _run(isolated, "clips", "--matrix")
    assert first.returncode == second.returncode == 1
    assert _table(first.stdout)[0] == ["file", *file_marketplaces(), "passes"]
    assert _table(second.stdout) == _table(first.stdout)
    assert first.stdout.splitlines()[-1].endswith("3 probed, 0 from cache")
    assert second.stdout.splitlines()[-1].endswith("0 probed, 3 from cache")
    again = _run(isolated, "clips")
    assert again.stdout == plain.stdout.replace("3 probed, 0 from cache", "0 probed, 3 from cache")


def test_a_terminal_gets_rich_table_with_the_same_marks(isolated: Path, folder: Path) -> None:
    plain = _run(isolated, "clips", "--matrix", "-m", "samsclub,trendyol", "--no-cache")
    colored = _run(
        isolated, "clips", "--matrix", "-m", "samsclub,trendyol", "--no-cache", "--color", "always"
    )
    assert "\x1b[" in colored.stdout and "\x1b[" not in plain.stdout
    assert colored.returncode == plain.returncode == 1
    assert _table(colored.stdout)[1] == _table(plain.stdout)[1]


def test_fail_on_warning_and_machine_formats_follow_check(isolated: Path, folder: Path) -> None:
    as_json = _run(isolated, "clips", "--matrix", "--format", "json", "--no-cache")
    data = json.loads(as_json.stdout)
    assert as_json.returncode == 1 and list(data["summary"]["marketplaces"]) == file_marketplaces()
    unreadable = folder / "d_empty.mp4"
    unreadable.write_bytes(b"")
    done = _run(isolated, "clips/d_empty.mp4", "--matrix", "-m", "samsclub", "--no-cache")
    assert done.returncode == 1 and _table(done.stdout)[1] == {"clips/d_empty.mp4": ["FAIL 1", "0/1"]}


def test_the_matrix_of_check_many_is_the_command_lines(isolated: Path, folder: Path) -> None:
    """The reporter builds on any Reports: the API's check_many (cached) gives the command line's table."""
    import vidlint
    from vidlint.reporters import matrix

    paths = [f"clips/{name}" for name in sorted(CLIPS)]
    chosen = ["samsclub", "trendyol"]
    done = _run(isolated, *paths, "--matrix", "-m", ",".join(chosen), "--no-cache")
    for _ in range(2):  # the second answer comes from the cache
        built = matrix.build(list(vidlint.check_many(paths, chosen, cache=True)), "error")
        assert matrix.plain_lines(built) == done.stdout.split("\n\n")[0].splitlines()
