"""The first ``vidlint.check()`` in a fresh Python process, against ``mediainfo --Output=JSON`` of the same
file, paired run by run (these machines are noisy: each pair runs back to back, the ratio is the median
of the pairs' ratios).

    .venv/bin/python benchmarks/api_bench.py [--runs 21] [--python OTHER/bin/python]

``--python``: time another build's interpreter (e.g. a checkout of an older commit installed in its own
venv). Prints the medians and the ratio; never a timed unit test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

CLIP = Path(__file__).resolve().parents[1] / "sample_media" / "ok_h264_aac_1080p_10s.mp4"
FIRST_CHECK = (
    "import time\nstarted = time.perf_counter()\n"
    "import sys, vidlint\n"
    "report = vidlint.check(sys.argv[1], 'samsclub')\n"
    "assert report.passed, report\n"
    "print(time.perf_counter() - started)\n"  # the import and the first call, inside the process
)


def timed(command: list[str], inside: list[float] | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, cwd="/", text=True)
    elapsed = time.perf_counter() - started
    if inside is not None:
        inside.append(float(done.stdout.split()[-1]))
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--python", default=sys.executable, help="the interpreter whose vidlint is timed")
    args = parser.parse_args(argv)
    api = [os.path.abspath(args.python), "-c", FIRST_CHECK, str(CLIP)]  # abspath: keep the venv link
    mediainfo = ["mediainfo", "--Output=JSON", str(CLIP)]
    timed(api), timed(mediainfo)  # warm-up: bytecode written, the file in the page cache
    inside: list[float] = []
    pairs = [(timed(api, inside), timed(mediainfo)) for _ in range(args.runs)]
    first = statistics.median(a for a, _ in pairs) * 1000
    base = statistics.median(m for _, m in pairs) * 1000
    ratio = statistics.median(a / m for a, m in pairs)
    print(f"first vidlint.check() in a fresh process: {first:7.1f} ms (median of {args.runs})")
    print(f"  of which import + first check, inside  : {statistics.median(inside) * 1000:7.1f} ms")
    print(f"mediainfo --Output=JSON FILE             : {base:7.1f} ms")
    print(f"ratio (median of paired runs)            : {ratio:7.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
