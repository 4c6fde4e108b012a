"""Catalog checks on a Dask distributed cluster: batches of sources, results streamed back.

``check_on_cluster(address, items, packs)`` sends sources to the scheduler in batches (``BATCH``
sources a task, so a million sources are a few thousand tasks, not a million), a bounded number of
batches in flight, and yields each batch's results as it completes: the CLI writes them in the same
formats as a local run. On a worker each batch runs the local runner (vidlint.catalog.runner), so its
sources are read ``concurrency`` at a time in killable probe workers there: the results are those of
a local run. For Python users, ``check_bag`` and ``check_column`` take a ``dask.bag`` or a dask
dataframe column of sources and return the results as a dask dataframe (one row per source and
marketplace). Installed with ``pip install 'vidlint[dask]'``; the workers need vidlint installed too.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from vidlint.catalog.item import Item
from vidlint.catalog.runner import Limits, Result, check_items
from vidlint.errors import VidlintError
from vidlint.packs.pack import Pack
from vidlint.remote.options import RemoteOptions

_ONE_BATCH = threading.Lock()
BATCH = 64  # sources per task: enough to fill a worker's probe workers, few enough to stream
COLUMNS = {
    "source": "object",
    "marketplace": "object",
    "passed": "bool",
    "codes": "object",
    "findings": "object",
}


def check_batch(
    items: Sequence[Item],
    packs: Mapping[str, Pack],
    metadata: Mapping[str, Any] | None,
    remote: RemoteOptions | None,
    limits: Limits,
) -> list[Result]:
    """The task: one batch checked on a worker by the local runner, one batch at a time per process
    (the batch has its own concurrency; two batches forking probe workers from two threads at once
    could hand a child a lock held by the other thread)."""
    with _ONE_BATCH:
        return list(check_items(items, packs, metadata=metadata, remote=remote, limits=limits))


def check_on_cluster(
    address: str,
    items: Iterable[Item],
    packs: Mapping[str, Pack],
    *,
    metadata: Mapping[str, Any] | None = None,
    remote: RemoteOptions | None = None,
    limits: Limits | None = None,
    batch: int = BATCH,
) -> Iterator[Result]:
    """Each item's Result, batch by batch as the cluster finishes them."""
    client = _client(address)
    limits = limits or Limits()
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        shared = client.scatter([dict(packs), metadata, remote, limits], broadcast=True)
        batches = _batches(items, batch)
        from distributed import as_completed

        pending: Any = as_completed()  # type: ignore[no-untyped-call]
        for chunk in itertools.islice(batches, 2 * workers):
            pending.add(client.submit(check_batch, chunk, *shared, pure=False))
        for future in pending:
            yield from future.result()
            future.release()
            more = next(batches, None)
            if more is not None:
                pending.add(client.submit(check_batch, more, *shared, pure=False))
    finally:
        client.close()


def check_bag(
    sources: Any,
    marketplaces: Iterable[str] | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    remote: RemoteOptions | None = None,
    limits: Limits | None = None,
) -> Any:
    """A dask dataframe of results (``COLUMNS``) for a ``dask.bag`` of sources (paths, URLs, bucket
    objects): each partition is checked by the local runner on the worker that holds it."""
    packs = _packs(marketplaces)
    rows = sources.map_partitions(_partition_rows, packs, metadata, remote, limits or Limits())
    return rows.to_dataframe(meta=COLUMNS)


def check_column(column: Any, marketplaces: Iterable[str] | None = None, **options: Any) -> Any:
    """``check_bag`` over a dask dataframe column (a dask Series) of sources."""
    return check_bag(column.to_bag(), marketplaces, **options)


def _partition_rows(
    sources: Iterable[str],
    packs: Mapping[str, Pack],
    metadata: Mapping[str, Any] | None,
    remote: RemoteOptions | None,
    limits: Limits,
) -> list[dict[str, Any]]:
    items = [Item(str(s)) for s in sources]
    return [row for result in check_batch(items, packs, metadata, remote, limits) for row in rows_of(result)]


def rows_of(result: Result) -> list[dict[str, Any]]:
    """A result as dataframe rows: one per marketplace, the findings as a JSON text."""
    from vidlint.catalog.output import line

    rows = []
    for report in result.reports:
        data = line(report)
        rows.append(
            {
                "source": report.source,
                "marketplace": report.marketplace,
                "passed": report.passed,
                "codes": ",".join(sorted(report.codes())),
                "findings": json.dumps(data["findings"], ensure_ascii=True),
            }
        )
    return rows


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    source = iter(items)
    while chunk := list(itertools.islice(source, size)):
        yield chunk


def _packs(marketplaces: Iterable[str] | None) -> dict[str, Pack]:
    from vidlint.packs.builtin import file_marketplaces, load_pack

    return {m: load_pack(m) for m in (file_marketplaces() if marketplaces is None else marketplaces)}


def _client(address: str) -> Any:
    try:
        from distributed import Client
    except ImportError:
        raise VidlintError("--scheduler needs pip install 'vidlint[dask]'") from None
    try:
        return Client(address, timeout=10)  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise VidlintError(f"--scheduler {address}: cannot connect: {exc}") from None
