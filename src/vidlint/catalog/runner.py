"""Many sources at once: a bounded number in flight, a limit per host, results as each completes.

Each source is read in a probe worker of its own (a killable process: vidlint.catalog.dispatch), up to
``concurrency`` at once, so network waits overlap while every parse stays isolated. Sources are
pulled from the iterable only as workers free up (a few times ``concurrency`` ahead at most), so the
list is never held whole and memory stays flat however long it is. ``per_host`` caps the sources of
one host (or bucket) in flight, so one CDN is not hammered. Results come out in completion order,
each with its item; a source no pack needs read (a URL judged by its syntax alone) is not read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from vidlint.catalog.buckets import is_bucket_url
from vidlint.catalog.dispatch import Job, stream
from vidlint.catalog.item import Item
from vidlint.catalog.judging import judge, merged, needs_facts
from vidlint.catalog.objects import cloud_env
from vidlint.catalog.reading import read_facts, time_limit_s
from vidlint.model.report import Report
from vidlint.packs.pack import Pack
from vidlint.remote.options import RemoteOptions


@dataclass(frozen=True)
class Result:
    """One source's reports (one per marketplace, in the packs' order)."""

    item: Item
    reports: list[Report]

    @property
    def failed(self) -> bool:
        return any(not r.passed for r in self.reports)


@dataclass(frozen=True)
class Limits:
    concurrency: int = 16  # sources in flight, each in its own probe worker
    per_host: int = 16  # of one host or bucket (a catalog is often one CDN: all slots by default)


def check_items(
    items: Iterable[Item],
    packs: Mapping[str, Pack],
    *,
    metadata: Mapping[str, Any] | None = None,
    remote: RemoteOptions | None = None,
    limits: Limits | None = None,
) -> Iterator[Result]:
    """One Result per item, yielded as each completes."""
    options = remote or RemoteOptions()
    limits = limits or Limits()
    cwd = os.getcwd()
    unread: list[Item] = []

    def jobs() -> Iterator[Job]:
        for item in items:
            if needs_facts(item.source, packs):
                env = cloud_env() if is_bucket_url(item.source) else None
                call = (read_facts, (item.source, options, cwd, env))
                limit = time_limit_s(item.source, options)
                yield Job(item, call, item.source, limit, _host(item.source))
            else:
                unread.append(item)

    for job, facts in stream(jobs(), size=limits.concurrency, per_group=limits.per_host):
        yield from _drain(unread, packs, metadata)
        item: Item = job.key  # type: ignore[assignment]
        yield Result(item, judge(item.source, facts, packs, merged(metadata, item.metadata)))
    yield from _drain(unread, packs, metadata)


def _drain(
    unread: list[Item], packs: Mapping[str, Pack], metadata: Mapping[str, Any] | None
) -> Iterator[Result]:
    while unread:
        item = unread.pop()
        yield Result(item, judge(item.source, None, packs, merged(metadata, item.metadata)))


def _host(source: str) -> str:
    """The group a source's per-host limit counts in: its host, or its bucket; local files: none."""
    return urlsplit(source).netloc.lower() if "://" in source else ""
