"""Folder benchmark: vidlint against the tools a seller would otherwise script, measured in one run.

Makes one 10 s 1080p H.264/AAC clip (~4 Mb/s) with ffmpeg, copies it N times (copies, not links) into a
temporary folder, then times, on the same files and machine:

  1. cold ``vidlint check DIR --no-cache`` vs a loop of ``ffprobe -of json`` per file (goal: >= 15x faster)
  2. the same cold run vs ``mediaconch -p POLICY`` with an equivalent policy (goal: >= 20x faster)
  3. a second, cached ``vidlint check DIR`` vs the first run that filled the cache (goal: >= 6x faster)
  4. ``vidlint check FILE`` (one file) vs bare ``mediainfo FILE`` (goal: at most 6x slower): cold with
     ``--no-cache`` and no configuration; a changed file in a configured project (pre-commit's
     common case: the configuration's resolution is stored, the file's verdict is not); and cached

Run: ``.venv/bin/python benchmarks/folder_bench.py [--copies 200] [--repeat 3] [--vidlint SCRIPT]``
(``--vidlint``: time another build's console script, e.g. a checkout of an older commit). vidlint runs
as installed, from bytecode, even where PYTHONDONTWRITEBYTECODE is set. Prints the timings and the
ratios; exits 1 when a goal is missed, so it can gate a release but is never a timed unit test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

VIDLINT = str(Path(sys.executable).with_name("vidlint"))
MARKETPLACE = "samsclub"
# The Sam's Club file rules that a MediaInfo policy can express: (track, field, operator, value).
POLICY_RULES = (
    ("General", "Format", "=", "MPEG-4"),
    ("General", "FileExtension", "=", "mp4"),
    ("General", "FileSize", "<", "500000000"),
    ("General", "Duration", ">=", "5"),
    ("General", "Duration", "<=", "30"),
    ("Video", "Width", ">=", "1920"),
    ("Video", "Height", ">=", "1080"),
    ("Video", "Width", "<=", "3840"),
    ("Video", "Height", "<=", "2160"),
    ("Video", "DisplayAspectRatio", "=", "1.778"),
    ("Video", "Format", "=", "AVC"),
    ("Audio", "Format", "=", "AAC"),
)


def policy_xml() -> str:
    """A MediaConch policy (type "and") with one rule per POLICY_RULES row."""
    from xml.sax.saxutils import escape, quoteattr

    rules = "".join(
        f"  <rule name={quoteattr(f'{track}/{field} {op} {value}')} value={quoteattr(field)} "
        f"tracktype={quoteattr(track)} occurrence=\"*\" operator={quoteattr(op)}>{escape(value)}</rule>\n"
        for track, field, op, value in POLICY_RULES
    )
    return f'<?xml version="1.0"?>\n<policy type="and" name="samsclub-file-rules">\n{rules}</policy>\n'


@dataclass(frozen=True)
class Goal:
    name: str
    ratio: float
    target: float
    higher_is_better: bool = True

    @property
    def met(self) -> bool:
        return self.ratio >= self.target if self.higher_is_better else self.ratio <= self.target

    def line(self) -> str:
        relation = ">=" if self.higher_is_better else "<="
        verdict = "ok" if self.met else "MISSED"
        return f"{self.name:<58} {self.ratio:7.1f}x  (goal {relation} {self.target:g}x)  {verdict}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--copies", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="runs per folder measurement (median)")
    parser.add_argument("--single-repeat", type=int, default=15, help="runs per single-file measurement")
    parser.add_argument("--vidlint", default=VIDLINT, help="console script to time (e.g. another build's)")
    args = parser.parse_args(argv)
    for tool in ("ffmpeg", "ffprobe", "mediainfo", "mediaconch"):
        if shutil.which(tool) is None:
            print(f"folder_bench: {tool} is missing (scripts/setup.sh installs it)", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory(prefix="vidlint-bench-") as tmp:
        goals = _measure(Path(tmp), args.copies, args.repeat, args.single_repeat, args.vidlint)
    print()
    for goal in goals:
        print(goal.line())
    return 0 if all(g.met for g in goals) else 1


def _measure(tmp: Path, copies: int, repeat: int, single_repeat: int, vidlint: str) -> list[Goal]:
    folder = _make_folder(tmp, copies)
    files = sorted(str(p) for p in folder.iterdir())
    env = _env(tmp)

    def check(*args: str, cwd: Path = tmp) -> None:
        _vidlint(vidlint, list(args), env, cwd)

    size_mb = Path(files[0]).stat().st_size / 1e6
    print(f"{copies} copies of a {size_mb:.1f} MB 10 s 1080p clip in {folder}; {os.cpu_count()} cores")

    check(files[0], "--no-cache")  # warm-up: bytecode written, files in the page cache
    cold = _median(repeat, lambda: check(str(folder), "--no-cache"))
    _report("vidlint check DIR --no-cache (cold)", cold)
    ffprobe = _median(1, lambda: _ffprobe_loop(files))
    _report("ffprobe -of json, one call per file", ffprobe)
    mediaconch = _median(1, lambda: _mediaconch(tmp, files))
    _report("mediaconch --Force -p POLICY (one call, all files)", mediaconch)
    fill = _timed(lambda: check(str(folder)))
    _report("vidlint check DIR (first run, fills the cache)", fill)
    cached = _median(repeat, lambda: check(str(folder)))
    _report("vidlint check DIR (second run, cached)", cached)

    singles = _single(tmp, files[0], single_repeat, check, env)
    return [
        Goal("cold folder check vs ffprobe loop (speed-up)", ffprobe / cold, 15),
        Goal("cold folder check vs mediaconch policy (speed-up)", mediaconch / cold, 20),
        Goal("cached folder check vs first run (speed-up)", fill / cached, 6),
        Goal("cached folder check vs cold --no-cache run (speed-up)", cold / cached, 6),
        *singles,
    ]


def _single(
    tmp: Path, one: str, repeat: int, check: Callable[..., None], env: dict[str, str]
) -> list[Goal]:
    """One file, as pre-commit checks it, vs the bare ``mediainfo`` CLI on the same file."""
    cold = _median(repeat, lambda: check(one, "--no-cache"))
    _report("vidlint check FILE --no-cache (one file, no configuration)", cold)
    project = tmp / "project"  # a configured project whose plan is stored: the file is new each time
    project.mkdir()
    (project / "pyproject.toml").write_text(f'[tool.vidlint]\nmarketplaces = ["{MARKETPLACE}"]\n')
    clip = project / "clip.mp4"
    shutil.copyfile(one, clip)
    stamps = iter(range(1_000_000_000, 2_000_000_000, 1_000_000))

    def changed_then_checked() -> None:
        stamp = next(stamps)
        os.utime(clip, ns=(stamp, stamp))  # a new version of the file: its verdict is not cached
        check(str(clip), cwd=project)

    changed_then_checked()  # stores the plan
    configured = _median(repeat, changed_then_checked)
    _report("vidlint check FILE (one changed file, configured project)", configured)
    cached = _median(repeat, lambda: check(one))
    _report("vidlint check FILE (one file, cached)", cached)
    mediainfo = _median(repeat, lambda: _run(["mediainfo", one]))
    _report("mediainfo FILE", mediainfo)
    return [
        Goal("single-file check, cold, vs mediainfo CLI (slowdown)", cold / mediainfo, 6, False),
        Goal("one changed file, configured, vs mediainfo CLI (slowdown)", configured / mediainfo, 6, False),
        Goal("single-file check, cached, vs mediainfo CLI (slowdown)", cached / mediainfo, 6, False),
    ]


def _make_folder(tmp: Path, copies: int) -> Path:
    clip = tmp / "clip.mp4"
    _run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30",
          "-f", "lavfi", "-i", "sine=frequency=440", "-t", "10", "-c:v", "libx264", "-preset", "veryfast",
          "-b:v", "4M", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart",
          str(clip)])
    folder = tmp / "videos"
    folder.mkdir()
    for i in range(copies):
        shutil.copyfile(clip, folder / f"product_{i:04d}.mp4")
    return folder


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["VIDLINT_CACHE_DIR"] = str(tmp / "cache")
    env["HOME"] = str(tmp / "home")  # a fresh MediaConch database, so its own result cache starts empty
    # vidlint as installed (pip compiles its modules): not recompiled from source at every start
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    (tmp / "home").mkdir(exist_ok=True)
    return env


def _vidlint(script: str, args: list[str], env: dict[str, str], cwd: Path) -> None:
    """``vidlint check ARGS`` run in ``cwd`` (-m MARKETPLACE unless a configuration names it)."""
    chosen = [] if (cwd / "pyproject.toml").is_file() else ["-m", MARKETPLACE]
    command = [script, "check", *chosen, *args]
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1):
        raise SystemExit(f"vidlint failed ({result.returncode}): {result.stderr.strip()}")


def _ffprobe_loop(files: list[str]) -> None:
    for path in files:
        _run(["ffprobe", "-v", "error", "-of", "json", "-show_format", "-show_streams", path])


def _mediaconch(tmp: Path, files: list[str]) -> None:
    policy = tmp / "samsclub.xml"
    policy.write_text(policy_xml(), encoding="utf-8")
    command = ["mediaconch", "--Force", "-p", str(policy), *files]
    result = subprocess.run(command, env=_env(tmp), capture_output=True, text=True, check=False)
    if result.stdout.count("pass!") + result.stdout.count("fail!") < len(files):
        raise SystemExit(f"mediaconch missed files: {result.stdout[-300:]}{result.stderr[-300:]}")


def _run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def _timed(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _median(times: int, action: Callable[[], None]) -> float:
    return statistics.median(_timed(action) for _ in range(max(1, times)))


def _report(label: str, seconds: float) -> None:
    print(f"  {label:<55} {seconds * 1000:9.1f} ms", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
