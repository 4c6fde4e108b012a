"""A Dask cluster (a scheduler and two workers, separate processes on 127.0.0.1) gives the results of a
local run, through the CLI (--scheduler) and through vidlint.catalog.dask for Python users."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.media import SAMPLES
from support.server import LocalFileServer

from vidlint.catalog.dask import check_bag, check_column, rows_of
from vidlint.catalog.item import Item
from vidlint.catalog.runner import check_items
from vidlint.packs.builtin import load_pack

CLIPS = ["ok_h264_aac_1080p_10s.mp4", "dur_7s.mp4", "rotated_90_10s.mp4", "empty.mp4", "hd720_10s.mp4"]


@pytest.fixture(scope="module")
def server() -> Iterator[LocalFileServer]:
    with LocalFileServer(SAMPLES) as srv:
        yield srv


def _sources(server: LocalFileServer, tmp_path: Path, count: int) -> list[str]:
    urls = [server.url(f"files/{CLIPS[i % len(CLIPS)]}?n={i}") for i in range(count)]
    local = [str(SAMPLES / name) for name in CLIPS]  # the workers read local paths too (same machine)
    return urls + local + [server.url("status/500")]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "vidlint", "check", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def test_cli_on_the_cluster_gives_the_local_results(
    dask_cluster: str, server: LocalFileServer, tmp_path: Path
) -> None:
    sources = _sources(server, tmp_path, 150)  # three batches and more
    (tmp_path / "list.txt").write_text("\n".join(sources) + "\n", encoding="utf-8")
    common = ["--from", "list.txt", "-m", "trendyol,samsclub", "--format", "jsonl"]
    local = _run(*common, cwd=tmp_path)
    remote = _run(*common, "--scheduler", dask_cluster, cwd=tmp_path)
    assert remote.returncode == local.returncode == 1, remote.stderr
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())
    assert len(remote.stdout.splitlines()) == 2 * len(sources)
    assert f"{len(sources)} sources checked" in remote.stderr


def test_a_bag_and_a_dataframe_column_give_the_local_results(
    dask_cluster: str, server: LocalFileServer, tmp_path: Path
) -> None:
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd
    from distributed import Client

    sources = _sources(server, tmp_path, 20)
    packs = {m: load_pack(m) for m in ("trendyol", "akinon")}
    expected = sorted(
        json.dumps(row, sort_keys=True)
        for result in check_items((Item(s) for s in sources), packs)
        for row in rows_of(result)
    )
    with Client(dask_cluster):  # type: ignore[no-untyped-call]
        bag = db.from_sequence(sources, npartitions=4)  # type: ignore[no-untyped-call]
        frame = check_bag(bag, ["trendyol", "akinon"]).compute()
        column = dd.from_pandas(pd.DataFrame({"video": sources}), npartitions=3)["video"]  # type: ignore[no-untyped-call]
        frame2 = check_column(column, ["trendyol", "akinon"]).compute()
    for got in (frame, frame2):
        rows = sorted(json.dumps(row, sort_keys=True) for row in got.to_dict(orient="records"))
        assert rows == expected


def test_an_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    from support.server import unused_port

    (tmp_path / "l.txt").write_text("a.mp4\n", encoding="utf-8")
    done = _run("--from", "l.txt", "--scheduler", f"tcp://127.0.0.1:{unused_port()}", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
