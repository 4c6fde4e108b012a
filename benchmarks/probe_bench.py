"""Probe cost against an ffprobe subprocess per file, measured in the same run; bytes read per probe.

    .venv/bin/python benchmarks/probe_bench.py [--repeats 5] [--before PYTHON]

Targets: vidlint.probe >= 15x faster than ``ffprobe -of json -show_format -show_streams`` per file,
and < 1 MiB read for any faststart file (here a 10 s 1080p clip and a 500,000,001-byte sparse one).

Before and after (issue 14: the new facts must keep the per-file probe time and the bytes read
within 10 %): the same files probed in process (``probe_path``) by this checkout and by ``--before``,
the Python of an install of an earlier vidlint (default ``.baseline/s10venv/bin/python`` when it
exists; ``--before ""`` skips it), each in a fresh interpreter, taking turns probe by probe.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from vidlint.probing import probe
from vidlint.probing.local import probe_path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_media"
SPARSE_SIZE = 500_000_001
VIDEO_SUFFIXES = {".mp4", ".mov", ".webm"}


def video_samples() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix.lower() in VIDEO_SUFFIXES and p.stat().st_size > 0)


def median_per_file_s(action: Callable[[Path], object], files: list[Path], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        for path in files:
            started = time.perf_counter()
            action(path)
            timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def ffprobe_subprocess(path: Path) -> None:
    command = ["ffprobe", "-v", "error", "-of", "json", "-show_format", "-show_streams", str(path)]
    subprocess.run(command, capture_output=True, check=False)


def rchar() -> int:
    with open("/proc/self/io") as stats:
        return next(int(line.split()[1]) for line in stats if line.startswith("rchar:"))


def bytes_read(path: Path) -> int:
    probe_path(str(path))  # first use loads libmagic's database and the libraries
    before = rchar()
    probe_path(str(path))
    return rchar() - before


def cold_start_s(path: Path) -> float:
    """A fresh interpreter's first probe: import, worker start, library loading, one file."""
    code = (
        "import time; t = time.perf_counter(); from vidlint.probing import probe; "
        f"probe({str(path)!r}); print(time.perf_counter() - t)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(result.stdout)


def make_sparse(directory: Path) -> Path:
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module
    spec.loader.exec_module(module)
    target = directory / "sparse_500000001.mp4"
    module.make_sparse_faststart(target, SPARSE_SIZE)
    return target


def make_realistic_clip(directory: Path) -> Path:
    """10 s of 1080p25 H.264 at ~8 Mb/s, faststart: a real upload's size, unlike the tiny samples."""
    target = directory / "realistic_1080p_10s.mp4"
    source = ["-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=25:d=10", "-f", "lavfi", "-i", "sine=d=10"]
    codecs = [
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-b:v",
        "8M",
        "-c:a",
        "aac",
        "-movflags",
        "+faststart",
    ]
    subprocess.run(["ffmpeg", "-v", "error", "-y", *source, *codecs, str(target)], check=True)
    return target


def make_long_vfr_clip(directory: Path) -> Path:
    """5 minutes at 30 fps with every third frame dropped: a sample table (stts) of ~6,000 runs."""
    target = directory / "long_vfr_5min.mp4"
    source = ["-f", "lavfi", "-i", "color=s=160x120:r=30:d=300"]
    drop = ["-vf", "select='not(eq(mod(n,3),1))'", "-fps_mode", "vfr"]
    codec = ["-c:v", "libx264", "-preset", "ultrafast", "-movflags", "+faststart"]
    subprocess.run(["ffmpeg", "-v", "error", "-y", *source, *drop, *codec, str(target)], check=True)
    return target


# Run by each interpreter: a prober that answers each path on stdin with one line, the seconds one
# in-process probe took and the bytes it read (/proc/self/io rchar).
_PROBER = """
import sys, time
from vidlint.probing.local import probe_path

def rchar():
    with open("/proc/self/io") as stats:
        return next(int(line.split()[1]) for line in stats if line.startswith("rchar:"))

for line in sys.stdin:
    before, started = rchar(), time.perf_counter()
    probe_path(line.rstrip("\\n"))
    elapsed = time.perf_counter() - started
    print(elapsed, rchar() - before, flush=True)
"""


class Prober:
    """A fresh interpreter probing the paths it is given, one at a time."""

    def __init__(self, python: str) -> None:
        self._process = subprocess.Popen(
            [python, "-c", _PROBER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT.parent
        )

    def probe(self, path: Path) -> tuple[float, int]:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(f"{path}\n")
        self._process.stdin.flush()
        seconds, read = self._process.stdout.readline().split()
        return float(seconds), int(read)

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=30)


def before_after(before: str, files: list[Path], repeats: int) -> None:
    """Per file: the fastest of ``repeats`` probes and the bytes one probe reads, before and after.
    The two interpreters take turns on each file, probe by probe, so a busy moment of the machine
    falls on both sides alike; the fastest probe is the one least disturbed (on a shared machine,
    noise only ever adds time: medians moved by up to 2x between runs, minima by a few percent)."""
    sides = {"before": Prober(before), "after": Prober(sys.executable)}
    print(f"before ({before}) and after (this checkout): in process, fastest of {repeats} probes per file")
    heads = ("before ms", "after ms", "ratio", "before B", "after B")
    print(f"  {'file':34s} {heads[0]:>9s} {heads[1]:>9s} {heads[2]:>6s} {heads[3]:>10s} {heads[4]:>10s}")
    totals, ratios, byte_ratios = {"before": 0.0, "after": 0.0}, [], []
    try:
        for path in files:
            read = {side: prober.probe(path)[1] for side, prober in sides.items()}  # warm-up: first read
            timings: dict[str, list[float]] = {"before": [], "after": []}
            for _ in range(repeats):
                for side, prober in sides.items():
                    timings[side].append(prober.probe(path)[0])
            times = {side: min(found) for side, found in timings.items()}
            read = {side: sides[side].probe(path)[1] for side in sides}  # a warm probe's reads
            for side in sides:
                totals[side] += times[side]
            ratios.append(times["after"] / times["before"])
            byte_ratios.append(read["after"] / max(read["before"], 1))
            print(
                f"  {path.name[:34]:34s} {times['before'] * 1000:9.2f} {times['after'] * 1000:9.2f}"
                f" {ratios[-1]:6.2f} {read['before']:>10,d} {read['after']:>10,d}"
            )
    finally:
        for prober in sides.values():
            prober.close()
    print(
        f"  all files: {totals['before'] * 1000:.1f} ms before, {totals['after'] * 1000:.1f} ms after"
        f" ({totals['after'] / totals['before'] - 1:+.1%}); per-file ratio median"
        f" {statistics.median(ratios):.3f}, max {max(ratios):.3f}; bytes read ratio"
        f" {min(byte_ratios):.3f}-{max(byte_ratios):.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=5)
    default_before = ROOT / ".baseline" / "s10venv" / "bin" / "python"
    parser.add_argument("--before", default=str(default_before) if default_before.exists() else "")
    args = parser.parse_args(argv)
    files = video_samples()
    probe(files[0])  # start the shared worker outside the timings
    isolated = median_per_file_s(probe, files, args.repeats)
    in_process = median_per_file_s(lambda p: probe_path(str(p)), files, args.repeats)
    baseline = median_per_file_s(ffprobe_subprocess, files, args.repeats)
    print(f"files: {len(files)} sample videos x {args.repeats} repeats (median per file)")
    print(f"  ffprobe -of json subprocess : {baseline * 1000:8.2f} ms")
    print(f"  vidlint.probe (worker)      : {isolated * 1000:8.2f} ms   {baseline / isolated:6.1f}x faster")
    print(
        f"  probe_path (in process)     : {in_process * 1000:8.2f} ms   {baseline / in_process:6.1f}x faster"
    )
    print(f"  cold start, first probe     : {cold_start_s(files[0]) * 1000:8.2f} ms (fresh interpreter)")
    with tempfile.TemporaryDirectory() as tmp:
        sparse = make_sparse(Path(tmp))
        realistic = make_realistic_clip(Path(tmp))
        print("bytes read per probe (/proc/self/io rchar):")
        for path in (SAMPLES / "ok_h264_aac_1080p_10s.mp4", realistic, sparse):
            print(f"  {path.name:34s} {path.stat().st_size:>13,d} B file: {bytes_read(path):>9,d} B read")
        if args.before:
            long_vfr = make_long_vfr_clip(Path(tmp))
            before_after(args.before, [*files, realistic, sparse, long_vfr], max(args.repeats, 15))
    return 0


if __name__ == "__main__":
    sys.exit(main())
