"""Benchmark: checking a video by URL (``vidlint.remote.fetch_facts``) against downloading it whole.

Usage: ``python benchmarks/url_bench.py [--runs N] [--mbps M --rtt-ms R]``

Makes, in a temporary folder: a 10 s 1080p H.264/AAC faststart clip at a real bitrate (~8 Mb/s), the
same clip with its index at the end, and a 500 MB sparse faststart file (``make_sparse_faststart``).
Serves them with the tests' ``LocalFileServer`` (tests/support/server.py) on 127.0.0.1 and prints,
per URL, the bytes and the median time of vidlint's check and of a plain full download measured in
the same run, and the ratios.
Plain loopback has no real bandwidth, so the time ratio there understates the gain; ``--mbps`` and
``--rtt-ms`` make the server send at that rate and wait that long before each answer, like a remote
CDN (a full 500 MB download at 100 Mb/s then takes 40 s per run).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TypeVar

import httpx

from vidlint.remote import RemoteOptions, fetch_facts

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the test server is not part of vidlint: tests/support/server.py
from support.server import LocalFileServer  # noqa: E402

SPARSE_BYTES = 500_000_000
T = TypeVar("T")


@dataclass(frozen=True)
class Row:
    label: str
    route: str
    check_bytes: int
    check_s: float
    full_bytes: int
    full_s: float
    verdict: str


def make_media(folder: Path) -> None:
    encode = [
        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30:duration=10",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=10",
        "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "8M", "-maxrate", "8M", "-bufsize", "16M",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k",
    ]  # fmt: skip
    subprocess.run([*encode, "-movflags", "+faststart", str(folder / "faststart_1080p.mp4")], check=True)
    subprocess.run([*encode, str(folder / "moov_at_end_1080p.mp4")], check=True)
    _make_samples().make_sparse_faststart(folder / "sparse_500mb.mp4", SPARSE_BYTES)


def _make_samples() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "sample_media" / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module
    spec.loader.exec_module(module)
    return module


def full_download(url: str) -> int:
    total = 0
    with httpx.Client(timeout=60) as client, client.stream("GET", url) as response:
        response.raise_for_status()
        for chunk in response.iter_raw(256 * 1024):
            total += len(chunk)
    return total


def timed(action: Callable[[], T], runs: int) -> tuple[T, float]:
    """The first run's result and the median time of ``runs`` runs."""
    results, times = [], []
    for _ in range(runs):
        started = time.perf_counter()
        results.append(action())
        times.append(time.perf_counter() - started)
    return results[0], statistics.median(times)


def measure(server: LocalFileServer, label: str, route: str, runs: int) -> Row:
    url = server.url(route)
    options = RemoteOptions(timeout_s=600)
    server.clear_log()
    facts, check_s = timed(lambda: fetch_facts(url, options=options), runs)
    check_bytes = server.bytes_sent() // runs
    full_bytes, full_s = timed(lambda: full_download(url), runs)
    video = facts.main_video
    verdict = (
        f"{facts.fetch.outcome if facts.fetch else '?'}, readable={facts.readable}, partial={facts.partial}, "
        f"{facts.duration_s} s, {video.display_width if video else 0}x{video.display_height if video else 0}"
    )
    return Row(label, route, check_bytes, check_s, full_bytes, full_s, verdict)


def report(rows: Sequence[Row]) -> str:
    header = (
        f"{'url':34} {'size':>11} {'check bytes':>11} {'bytes ratio':>11} "
        f"{'check ms':>9} {'full ms':>9} {'speedup':>8}"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r.label:34} {r.full_bytes:>11,} {r.check_bytes:>11,} {r.check_bytes / r.full_bytes:>11.2e} "
            f"{r.check_s * 1000:>9.1f} {r.full_s * 1000:>9.1f} {r.full_s / r.check_s:>7.0f}x"
        )
    lines += ["", *(f"{r.label}: {r.verdict}" for r in rows)]
    return "\n".join(lines)


CASES = [
    ("10 s 1080p faststart", "files/faststart_1080p.mp4"),
    ("10 s 1080p moov at end", "files/moov_at_end_1080p.mp4"),
    ("500 MB sparse faststart", "files/sparse_500mb.mp4"),
    ("500 MB sparse, server w/o Range", "norange/sparse_500mb.mp4"),
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement (median)")
    parser.add_argument("--mbps", type=float, default=None, help="server bandwidth, Mb/s (default: loopback)")
    parser.add_argument("--rtt-ms", type=float, default=0.0, help="delay before each answer, in ms")
    args = parser.parse_args(argv)
    rate = int(args.mbps * 1_000_000 / 8) if args.mbps else None
    with tempfile.TemporaryDirectory(prefix="url-bench-") as tmp:
        folder = Path(tmp)
        make_media(folder)
        with LocalFileServer(folder, rate_bytes_per_s=rate, latency_s=args.rtt_ms / 1000) as server:
            fetch_facts(server.url(CASES[0][1]))  # start the probe worker outside the timings
            rows = [measure(server, label, route, args.runs) for label, route in CASES]
    link = f"{args.mbps:g} Mb/s, {args.rtt_ms:g} ms before each answer" if args.mbps else "loopback"
    print(f"server: {link}; median of {args.runs} runs\n")
    print(report(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
