"""The pre-commit case: vidlint on one to three files against ``mediainfo --Output=JSON`` of the same file,
paired run by run (each vidlint run is followed at once by a mediainfo run; the ratio is the median of
the pairs' ratios, because these machines are noisy).

    .venv/bin/python benchmarks/hook_bench.py [--runs 21] [--bin OTHER/bin] [--bin ANOTHER/bin ...]

``--bin``: a venv's ``bin`` folder whose ``vidlint`` and ``python`` are timed (default: this venv); give
several (e.g. an install of an older commit) to compare builds in one run, interleaved pair by pair.
Goals (issue 16): one cold file <= 3x, one cached file <= 1.5x, three staged files <= 4x one mediainfo
run, the first ``vidlint.check()`` in a fresh Python process <= 3x; also shown, one changed file with
the cache on (what a pre-commit run does with a staged file). Never a timed unit test.
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
from dataclasses import dataclass, field
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[1] / "sample_media"
CLIP = SAMPLES / "ok_h264_aac_1080p_10s.mp4"
STAGED = [CLIP, SAMPLES / "hd720_10s.mp4", SAMPLES / "vertical_1080x1920_10s.mp4"]
MARKETPLACE = "samsclub"
FIRST_CHECK = "import sys, vidlint\nvidlint.check(sys.argv[1], 'samsclub')\n"


@dataclass
class Case:
    label: str
    goal: float
    command: list[str]
    env: dict[str, str]
    ratios: list[float] = field(default_factory=list)
    times: list[float] = field(default_factory=list)


def timed(command: list[str], env: dict[str, str]) -> float:
    if env.get("CHANGED") in command:  # a new modification time: the cache has not seen this file
        os.utime(env["CHANGED"], ns=(time.time_ns(), time.time_ns()))
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd="/", capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} failed ({done.returncode}): {done.stderr.decode()[-400:]}")
    return elapsed


def cases(bin_dir: Path, tag: str, env: dict[str, str]) -> list[Case]:
    vidlint = [str(bin_dir / "vidlint"), "check", "-m", MARKETPLACE]
    python = str(bin_dir / "python")  # not resolved: the venv's link keeps its site-packages
    return [
        Case(f"{tag}one cold file (--no-cache)", 3, [*vidlint, "--no-cache", str(CLIP)], env),
        Case(f"{tag}one cached file", 1.5, [*vidlint, str(CLIP)], env),
        Case(f"{tag}one changed file (cache on: pre-commit)", 3, [*vidlint, env["CHANGED"]], env),
        Case(f"{tag}three staged files (--no-cache)", 4, [*vidlint, "--no-cache", *map(str, STAGED)], env),
        Case(f"{tag}first vidlint.check() in a process", 3, [python, "-c", FIRST_CHECK, str(CLIP)], env),
    ]


def environment(cache: Path) -> dict[str, str]:
    """Each build its own cache (builds of different cache schemas would evict each other's rows), and
    its own copy of the clip, touched before each run: a staged file the cache has not seen."""
    cache.mkdir(parents=True, exist_ok=True)
    changed = cache / "staged.mp4"
    shutil.copyfile(CLIP, changed)
    env = dict(os.environ, VIDLINT_CACHE_DIR=str(cache / "cache"), CHANGED=str(changed))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: modules compiled once, not at every start
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--bin", action="append", type=Path, help="a venv's bin folder (repeatable)")
    args = parser.parse_args(argv)
    if shutil.which("mediainfo") is None:
        raise SystemExit("hook_bench: mediainfo is not installed (make test installs it)")
    bins = args.bin or [Path(sys.executable).parent]
    with tempfile.TemporaryDirectory() as tmp:
        tags = [f"[{b.parent.name}] " if len(bins) > 1 else "" for b in bins]
        all_cases = [c for i, b in enumerate(bins) for c in cases(b, tags[i], environment(Path(tmp, str(i))))]
        mediainfo = ["mediainfo", "--Output=JSON", str(CLIP)]
        plain = environment(Path(tmp))
        for case in all_cases:  # warm-up: bytecode written, the cache filled, files in the page cache
            timed(case.command, case.env), timed(mediainfo, plain)
        base: list[float] = []
        for _ in range(args.runs):
            for case in all_cases:
                elapsed, reference = timed(case.command, case.env), timed(mediainfo, plain)
                case.times.append(elapsed)
                case.ratios.append(elapsed / reference)
                base.append(reference)
    print(f"mediainfo --Output=JSON FILE: median {statistics.median(base) * 1000:.1f} ms")
    met = True
    for case in all_cases:
        ratio = statistics.median(case.ratios)
        ok = ratio <= case.goal
        met = met and ok
        print(
            f"{case.label:<48} {statistics.median(case.times) * 1000:6.1f} ms  "
            f"{ratio:5.2f}x mediainfo (goal <= {case.goal:g}x) {'met' if ok else 'NOT met'}"
        )
    return 0 if met or len(bins) > 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
