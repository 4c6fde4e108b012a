"""``vidlint fix`` as a real subprocess: outputs, exit codes, dry runs, conflicts, and safety under
interruption (a killed ffmpeg, Ctrl-C, the time limit): the input intact and no temporary file left."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import vidlint

from .conftest import SAMPLES

VIDLINT = str(Path(sys.executable).with_name("vidlint"))
FAST_CONFIG = '[tool.vidlint.fix]\npreset = "ultrafast"\n'


def _run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([VIDLINT, "fix", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env=env, check=False)  # fmt: skip


def _project(folder: Path, config: str = FAST_CONFIG) -> Path:
    (folder / "pyproject.toml").write_text(config)
    return folder


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("vidlint-tmp-*")]


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 20 s 720p clip with moving detail: its 1080p re-encode takes seconds, long enough to interrupt."""
    path = tmp_path_factory.mktemp("long") / "busy_720p.mp4"
    sources = [
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=1280x720:rate=25",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440",
    ]
    encode = ["-t", "20", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", str(path)]
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", *sources, *encode], check=True, timeout=120
    )
    return path


def test_fixed_files_are_written_to_the_output_folder_and_pass(isolated: Path) -> None:
    _project(isolated)
    run = _run(str(SAMPLES / "hd720_10s.mp4"), str(SAMPLES / "mkv_named.mp4"), "-m", "samsclub", "-o", "out",
               "--jobs", "2", cwd=isolated)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "hd720_10s.mp4: fixed (E_MIN_PIXEL)" in run.stdout and "$ ffmpeg -i" in run.stdout
    assert sorted(p.name for p in (isolated / "out").iterdir()) == ["hd720_10s.mp4", "mkv_named.mp4"]
    check = subprocess.run([VIDLINT, "check", "out", "-m", "samsclub", "--no-cache"], cwd=isolated,
                           capture_output=True, text=True, check=False)  # fmt: skip
    assert check.returncode == 0, check.stdout


def test_json_output_reports_every_status(isolated: Path) -> None:
    _project(isolated)
    names = ["long_35s.mp4", "dur_7s.mp4", "ok_h264_aac_1080p_10s.mp4"]
    run = _run(
        *(str(SAMPLES / n) for n in names), "-m", "samsclub,trendyol", "--format", "json", cwd=isolated
    )
    assert run.returncode == 1, run.stderr  # dur_7s cannot be fixed
    document = json.loads(run.stdout)
    statuses = {Path(f["source"]).name: f["status"] for f in document["files"]}
    assert statuses == {
        "long_35s.mp4": "fixed",
        "dur_7s.mp4": "unfixable",
        "ok_h264_aac_1080p_10s.mp4": "passing",
    }
    trimmed = next(f for f in document["files"] if f["status"] == "fixed")
    assert (
        trimmed["stream_copy"] is True and " -t " in trimmed["command"] and "-c:v copy" in trimmed["command"]
    )
    assert document["summary"] == {"fixed": 1, "passing": 1, "unfixable": 1} and document["ok"] is False
    assert (isolated / trimmed["output"]).parent == isolated / "vidlint-fixed"  # the default output folder


def test_dry_run_prints_the_plan_and_writes_nothing(isolated: Path) -> None:
    run = _run(
        str(SAMPLES / "vp9_in_webm_10s.webm"), "-m", "samsclub", "--dry-run", "-o", "out", cwd=isolated
    )
    assert run.returncode == 0, run.stderr
    assert (
        "would be fixed" in run.stdout and "libx264" in run.stdout and "out/vp9_in_webm_10s.mp4" in run.stdout
    )
    assert not (isolated / "out").exists()


def test_conflicting_marketplaces_are_reported_and_nothing_is_fixed(isolated: Path) -> None:
    (isolated / "teaser.toml").write_text(
        'id = "teaser"\nname = "Teasers"\n[[rules]]\nid = "teaser.duration"\ncode = "TOO_LONG"\n'
        'documented = false\napplies_to = "file"\nmessage = "At most {max:g} s."\n[rules.check]\n'
        'kind = "between"\nfield = "duration_s"\nunit = "s"\nparams = { min = 1, max = 6 }\n'
        '[[fixes]]\nkind = "between"\naction = "trim"\nhint = "trim to {max:g} s"\n'
    )
    _project(isolated, '[tool.vidlint]\npacks = ["teaser.toml"]\n' + FAST_CONFIG)
    run = _run(str(SAMPLES / "long_35s.mp4"), "-m", "trendyol,teaser", "-o", "out", cwd=isolated)
    assert run.returncode == 1
    assert "CONFLICT" in run.stdout and "trendyol.duration" in run.stdout and "teaser.duration" in run.stdout
    assert not (isolated / "out").exists()


def test_unfixable_files_say_what_to_do(isolated: Path) -> None:
    run = _run(
        str(SAMPLES / "truncated_tail.mp4"), str(SAMPLES / "short_4s.mp4"), "-m", "samsclub", cwd=isolated
    )
    assert run.returncode == 1
    assert "export it again" in run.stdout and "edit a longer clip" in run.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x.mp4", "-m", "samsclub"], "no such file or folder"),
        (["https://cdn.example/v.mp4", "-m", "samsclub"], "local files"),
        (["{clip}", "-m", "samsclu"], "did you mean 'samsclub'"),
        (["{clip}", "-m", "samsclub", "--pad", "--crop"], "not allowed with"),
        (["{clip}", "-m", "samsclub", "--in-place", "-o", "out"], "not allowed with"),
        (["{clip}", "-m", "ecwid"], "judges files"),
    ],
)
def test_usage_errors_exit_2_with_one_line(isolated: Path, args: list[str], message: str) -> None:
    clip = str(SAMPLES / "hd720_10s.mp4")
    run = _run(*(a.replace("{clip}", clip) for a in args), cwd=isolated)
    assert run.returncode == 2 and message in run.stderr and run.stderr.count("\n") == 1, run.stderr


def test_an_existing_output_is_replaced_only_with_overwrite(isolated: Path) -> None:
    _project(isolated)
    clip = str(SAMPLES / "mkv_named.mp4")
    assert _run(clip, "-m", "akinon", "-o", "out", cwd=isolated).returncode == 0
    before = _digest(isolated / "out" / "mkv_named.mp4")
    (isolated / "out" / "mkv_named.mp4").write_bytes(b"mine")
    again = _run(clip, "-m", "akinon", "-o", "out", cwd=isolated)
    assert again.returncode == 1 and "exists (--overwrite replaces it)" in again.stdout
    assert (isolated / "out" / "mkv_named.mp4").read_bytes() == b"mine"
    assert _run(clip, "-m", "akinon", "-o", "out", "--overwrite", cwd=isolated).returncode == 0
    assert _digest(isolated / "out" / "mkv_named.mp4") == before


def test_in_place_replaces_the_input_atomically(isolated: Path) -> None:
    _project(isolated)
    clip = isolated / "clip.mp4"
    shutil.copyfile(SAMPLES / "anamorphic_1440x1080_sar4-3_10s.mp4", clip)
    inode = clip.stat().st_ino
    run = _run("clip.mp4", "-m", "samsclub", "--in-place", cwd=isolated)
    assert run.returncode == 0, run.stdout + run.stderr
    assert clip.stat().st_ino != inode and vidlint.check(clip, "samsclub").passed  # a new file, renamed in
    assert sorted(p.name for p in isolated.iterdir()) == ["clip.mp4", "pyproject.toml"]


def test_a_missing_ffmpeg_is_an_error_per_file_and_the_others_go_on(isolated: Path) -> None:
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # no ffmpeg on it
    run = _run(str(SAMPLES / "mkv_named.mp4"), str(SAMPLES / "ok_h264_aac_1080p_10s.mp4"), "-m", "samsclub",
               "-o", "out", cwd=isolated, env=env)  # fmt: skip
    assert run.returncode == 1
    assert "ERROR" in run.stdout and "cannot run ffmpeg" in run.stdout and "already passing" in run.stdout
    assert not _leftovers(isolated)


def _ffmpeg_child(parent: int, deadline: float) -> int:
    """The pid of the ffmpeg that ``parent`` started (read from /proc), once it has run a moment."""
    while time.monotonic() < deadline:
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                name, ppid = (
                    stat[stat.index("(") + 1 : stat.rindex(")")],
                    int(stat[stat.rindex(")") + 2 :].split()[1]),
                )
                if name == "ffmpeg" and ppid == parent:
                    return int(entry.name)
        time.sleep(0.05)
    raise AssertionError("vidlint fix started no ffmpeg")


def _start(folder: Path, *args: str) -> subprocess.Popen[str]:
    pipe = subprocess.PIPE
    return subprocess.Popen([VIDLINT, "fix", *args], cwd=folder, stdout=pipe, stderr=pipe, text=True)


def _wait_for_output(folder: Path, deadline: float) -> None:
    """Until ffmpeg has written into its temporary file: the kill then lands mid-write."""
    while time.monotonic() < deadline:
        if any(p.is_file() and p.stat().st_size > 0 for p in folder.glob("vidlint-tmp-*/*")):
            return
        time.sleep(0.05)


def test_in_place_is_atomic_when_ffmpeg_is_killed(isolated: Path, long_clip: Path) -> None:
    clip = isolated / "busy.mp4"
    shutil.copyfile(long_clip, clip)
    before = _digest(clip)
    fixing = _start(isolated, "busy.mp4", "-m", "samsclub", "--in-place")
    deadline = time.monotonic() + 60
    ffmpeg = _ffmpeg_child(fixing.pid, deadline)
    _wait_for_output(isolated, deadline)
    os.kill(ffmpeg, signal.SIGKILL)
    out, _ = fixing.communicate(timeout=60)
    assert fixing.returncode == 1 and "ffmpeg was killed (SIGKILL)" in out, out
    assert _digest(clip) == before and not _leftovers(isolated)
    assert sorted(p.name for p in isolated.iterdir()) == ["busy.mp4"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_run_leaves_no_output_and_no_temporary_file(
    isolated: Path, long_clip: Path, sig: signal.Signals
) -> None:
    clip = isolated / "busy.mp4"
    shutil.copyfile(long_clip, clip)
    fixing = _start(isolated, "busy.mp4", "-m", "samsclub", "-o", "out")
    deadline = time.monotonic() + 60
    _ffmpeg_child(fixing.pid, deadline)
    _wait_for_output(isolated / "out", deadline)
    fixing.send_signal(sig)
    _, err = fixing.communicate(timeout=60)
    assert fixing.returncode == 130 and "interrupted" in err, err
    assert list((isolated / "out").iterdir()) == []


def test_the_time_limit_stops_ffmpeg(isolated: Path, long_clip: Path) -> None:
    run = _run(str(long_clip), "-m", "samsclub", "-o", "out", "--timeout", "0.5", cwd=isolated)
    assert run.returncode == 1 and "time limit (0.5 s)" in run.stdout, run.stdout
    assert list((isolated / "out").iterdir()) == []


def test_an_input_is_never_overwritten_without_in_place(isolated: Path) -> None:
    clip = isolated / "clip.mp4"
    shutil.copyfile(SAMPLES / "mkv_named.mp4", clip)
    before = _digest(clip)
    run = _run("clip.mp4", "-m", "akinon", "-o", ".", "--overwrite", cwd=isolated)
    assert run.returncode == 1 and "is the input" in run.stdout, run.stdout
    assert _digest(clip) == before and not _leftovers(isolated)
