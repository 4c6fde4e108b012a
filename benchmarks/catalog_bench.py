"""Benchmark: a catalog of URLs and bucket objects, checked many at a time (vidlint.catalog).

Usage: ``python benchmarks/catalog_bench.py [--urls 600] [--latency-ms 30] [--objects 200]
[--memory 1000,10000] [--skip-loop] [--skip-dask]``

In one run, against the tests' LocalFileServer on 127.0.0.1 adding ``--latency-ms`` before every answer:

1. the per-URL loop: one ``vidlint.check(url, "trendyol")`` call per URL, one after the other;
2. the local catalog run: ``vidlint.catalog.runner.check_items`` (the CLI's ``--from``), default limits;
3. a Dask cluster of two workers (``dask scheduler`` / ``dask worker`` processes on 127.0.0.1) through
   ``vidlint.catalog.dask.check_on_cluster`` (the CLI's ``--scheduler``);

then S3 objects per second against moto's S3 server (``--objects`` uploads of a sample clip, listed
from a prefix and read header-only), and the peak memory (max RSS) of ``vidlint check --from LIST
--output out.jsonl`` over 1,000 and 10,000 sources, each run in its own process. Every URL is
distinct (``?n=i``) and served from the same clip, so each is fetched and probed anew.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the test server is not part of vidlint: tests/support/server.py
from support.server import LocalFileServer, unused_port  # noqa: E402

import vidlint  # noqa: E402
from vidlint.catalog.item import Item  # noqa: E402
from vidlint.catalog.runner import Limits, check_items  # noqa: E402
from vidlint.packs.builtin import load_pack  # noqa: E402

SAMPLES = ROOT / "sample_media"
CLIP = "ok_h264_aac_1080p_10s.mp4"
BIN = Path(sys.executable).parent
PEAK_RSS = (
    "import resource, sys\nfrom vidlint.cli.app import main\ncode = main(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def rate(label: str, count: int, seconds: float) -> float:
    print(f"{label:<44} {count:>6} in {seconds:7.2f} s  {count / seconds:8.1f}/s")
    return seconds


def per_url_loop(urls: list[str]) -> float:
    started = time.perf_counter()
    for url in urls:
        vidlint.check(url, "trendyol")
    return rate("per-URL loop (vidlint.check each)", len(urls), time.perf_counter() - started)


def local_run(urls: list[str]) -> float:
    packs = {"trendyol": load_pack("trendyol")}
    started = time.perf_counter()
    done = sum(1 for _ in check_items((Item(u) for u in urls), packs, limits=Limits()))
    return rate(f"catalog, local ({Limits().concurrency} in flight)", done, time.perf_counter() - started)


DASK_RUN = """
import sys, time
from vidlint.catalog.dask import check_on_cluster
from vidlint.catalog.item import Item
from vidlint.packs.builtin import load_pack
urls = sys.stdin.read().split()
started = time.perf_counter()
packs = {"trendyol": load_pack("trendyol")}
done = sum(1 for _ in check_on_cluster(sys.argv[1], (Item(u) for u in urls), packs))
print(done, time.perf_counter() - started)
"""


def dask_run(urls: list[str]) -> float:
    """In a child process: a Client leaves distributed's threads behind, and the runs after this one
    fork probe workers, which must come from a process without other threads."""
    with cluster(2) as address:
        command = [sys.executable, "-c", DASK_RUN, address]
        done = subprocess.run(command, input="\n".join(urls), capture_output=True, text=True, check=True)
        count, seconds = done.stdout.split()
        return rate("catalog, Dask (2 workers, client included)", int(count), float(seconds))


@contextmanager
def cluster(workers: int) -> Iterator[str]:
    port = unused_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    dashboard = f"127.0.0.1:{unused_port()}"
    scheduler_cmd = [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port)]
    procs = [subprocess.Popen([*scheduler_cmd, "--dashboard-address", dashboard], **quiet)]  # type: ignore[call-overload]
    worker_cmd = [str(BIN / "dask"), "worker", address, "--host", "127.0.0.1", "--no-dashboard"]
    procs += [subprocess.Popen(worker_cmd, **quiet) for _ in range(workers)]  # type: ignore[call-overload]
    try:
        wait = (
            f"from distributed import Client; Client('{address}', timeout=30).wait_for_workers({workers}, 60)"
        )
        subprocess.run([sys.executable, "-c", wait], check=True, timeout=120)
        yield address
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


def s3_objects(count: int) -> None:
    port = unused_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.environ.update(
        AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
        AWS_DEFAULT_REGION="us-east-1",
    )  # fmt: skip
    try:
        import boto3

        for _ in range(100):
            try:
                client = boto3.client("s3")
                client.create_bucket(Bucket="catalog")
                break
            except Exception:
                time.sleep(0.1)
        data = (SAMPLES / CLIP).read_bytes()
        for i in range(count):
            client.put_object(Bucket="catalog", Key=f"videos/{i:06d}.mp4", Body=data)
        from vidlint.catalog.expand import expanded

        packs = {"samsclub": load_pack("samsclub")}
        started = time.perf_counter()
        items = expanded([Item("s3://catalog/videos/")])
        done = sum(1 for _ in check_items(items, packs))
        rate("S3 objects (moto), listed + header-only", done, time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait(timeout=10)


def peak_memory(counts: list[int], base_url: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for count in counts:
            listing = Path(folder) / f"list{count}.txt"
            with listing.open("w") as out:
                out.writelines(f"{base_url}/files/{CLIP}?m={i}\n" for i in range(count))
            command = [sys.executable, "-c", PEAK_RSS, "check", "--from", str(listing), "-m", "trendyol",
                       "--output", str(Path(folder) / "out.jsonl"), "--quiet"]  # fmt: skip
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            elapsed = time.perf_counter() - started
            peak_kib = int(done.stderr.strip().splitlines()[-1])
            print(
                f"peak memory, {count:>6} sources: {peak_kib / 1024:6.1f} MiB"
                f" (max RSS of the CLI; {elapsed:.1f} s)"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--urls", type=int, default=600)
    parser.add_argument("--latency-ms", type=float, default=30.0)
    parser.add_argument("--objects", type=int, default=200)
    parser.add_argument("--memory", default="1000,10000", help="source counts for the memory runs ('' skips)")
    parser.add_argument("--skip-loop", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} cores; {args.urls} distinct URLs, {args.latency_ms:g} ms added to every answer")
    if args.objects:  # first, from a process without threads (the servers below leave handler threads)
        s3_objects(args.objects)
    with LocalFileServer(SAMPLES, latency_s=args.latency_ms / 1000) as server:
        urls = [server.url(f"files/{CLIP}?n={i}") for i in range(args.urls)]
        local = local_run(urls)
        if not args.skip_loop:
            loop = per_url_loop(urls)
            print(f"local catalog run vs per-URL loop: {loop / local:.1f}x faster")
        if not args.skip_dask:
            dask_run(urls)
    if args.memory:
        with LocalFileServer(SAMPLES) as server:
            peak_memory([int(n) for n in args.memory.split(",")], server.base_url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
