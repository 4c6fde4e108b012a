"""Probe cost against an ffprobe subprocess per file, measured in the same run; bytes read per probe.

    .venv/bin/python benchmarks/probe_bench.py [--repeats 5]

Targets: vidlint.probe >= 15x faster than ``ffprobe -of json -show_format -show_streams`` per file,
and < 1 MiB read for any faststart file (here a 10 s 1080p clip and a 500,000,001-byte sparse one).
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=5)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
