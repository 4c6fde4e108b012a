"""Checking many targets: cache look-up, parallel probing, then evaluation per marketplace.

Probing is the only expensive step and it runs in worker processes (``probe_many``), which also
isolate a crashing or hanging native library; evaluation is pure and cheap, so it runs here. A
target the probe cannot read at all becomes a ``vidlint.unreadable`` finding in every marketplace.
``check_cached`` answers a run from the cache alone, from a plan (vidlint.run.stored) instead of the packs:
nothing it imports loads pydantic.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from vidlint.errors import ProbeError
from vidlint.run.targets import Target, find_sidecar

if TYPE_CHECKING:
    from vidlint.model.facts import MediaFacts
    from vidlint.model.report import Report
    from vidlint.packs.compiled import Program
    from vidlint.reporters.common import ReportView
    from vidlint.run.cache import CachedReport, ReportCache
    from vidlint.run.config import RemoteTable
    from vidlint.run.stored import Plan

UNREADABLE_CODE = "vidlint.unreadable"
Progress = Callable[[int], None]
_PROGRESS_CHUNK = 16  # with a progress bar, probe in chunks so that the bar moves


class Outcome(NamedTuple):
    reports: tuple[ReportView, ...]
    probed: int = 0
    cached: int = 0

    def stats(self) -> str:
        return f"{self.probed} probed, {self.cached} from cache"


class _Work:
    """Targets still to probe, and the reports already known (from the cache), by target."""

    def __init__(self) -> None:
        self.known: dict[Target, dict[str, Report]] = {}
        self.keys: dict[Target, dict[str, str]] = {}
        self.todo: list[Target] = []


def check_targets(
    targets: Sequence[Target],
    packs: Mapping[str, Program],
    *,
    jobs: int | None = None,
    cache: ReportCache | None = None,
    metadata: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    remote: RemoteTable | None = None,
) -> Outcome:
    """One Report per target and marketplace, in target order then ``packs`` order.

    ``remote``: the configuration's limits for URL targets (``[tool.vidlint.remote]``)."""
    targets = with_captions(targets, caption_extensions(packs))
    work = _plan(targets, packs, cache, metadata)
    if progress and len(work.known):
        progress(len(work.known))
    facts = _probe_all(work.todo, jobs, progress)
    fresh: dict[Target, dict[str, Report]] = {
        t: _evaluate(t, facts, packs, metadata, remote) for t in work.todo
    }
    if cache is not None:
        cache.put_many(_cacheable(fresh, work.keys))
    reports = [
        _as_source(t, work.known[t][m] if t in work.known else fresh[t][m]) for t in targets for m in packs
    ]
    return Outcome(tuple(reports), probed=len(work.todo), cached=len(work.known))


def check_cached(
    targets: Sequence[Target], plan: Plan, cache: ReportCache, metadata: Mapping[str, Any] | None
) -> Outcome | None:
    """``check_targets``' outcome when every verdict is in the cache, else None (nothing is probed)."""
    targets = with_captions(targets, plan.caption_extensions)
    if not targets or any(t.is_url for t in targets):
        return None
    unique = list(dict.fromkeys(targets))
    keys = {t: _keys(t, plan.digests, metadata) for t in unique}
    wanted = [k for per_target in keys.values() for k in per_target.values()]
    if len(wanted) != len(unique) * len(plan.marketplaces):
        return None  # a file without a stable identity (or a plan without a digest) is never cached
    verdicts = cache.get_verdicts(wanted)
    if len(verdicts) != len(set(wanted)):
        return None
    reports = [_renamed(verdicts[keys[t][m]], t.source) for t in targets for m in plan.marketplaces]
    return Outcome(tuple(reports), probed=0, cached=len(unique))


def caption_extensions(packs: Mapping[str, Program]) -> list[str]:
    """Extensions of the sidecars a video is judged with: those of the packs that judge captions."""
    return [e for p in packs.values() if p.rules_for("caption") for e in p.input("caption").extensions]


def with_captions(targets: Sequence[Target], extensions: Sequence[str]) -> list[Target]:
    """Each local video with the caption it is judged with: the one given, else its sidecar (as the API
    pairs them); none at all when no selected marketplace judges captions (no ``extensions``)."""
    if not extensions:
        return [Target(t.source) for t in targets]
    wanted = {e.lower() for e in extensions}
    folders: dict[str, bool] = {}
    paired = []
    for target in targets:
        if target.caption is None and not target.is_url:
            folder = os.path.dirname(target.source) or "."
            if folder not in folders:
                folders[folder] = _may_hold(folder, wanted)
            sidecar = find_sidecar(Path(target.source), extensions) if folders[folder] else None
            target = Target(target.source, None if sidecar is None else str(sidecar))
        paired.append(target)
    return paired


def _may_hold(folder: str, extensions: set[str]) -> bool:
    """False when no name in ``folder`` ends with one of ``extensions`` (in any case): then no video
    there has a sidecar, and a folder of many videos costs one listing instead of a few stats each."""
    try:
        return any(os.path.splitext(name)[1].lower() in extensions for name in os.listdir(folder))
    except OSError:
        return True


def unreadable(source: str, marketplace: str, reason: str) -> Report:
    from vidlint.model.report import Finding, Report

    finding = Finding(
        code=UNREADABLE_CODE,
        severity="error",
        documented=False,
        rule=UNREADABLE_CODE,
        message=reason,
    )
    return Report(source=source, marketplace=marketplace, findings=(finding,))


def _plan(
    targets: Sequence[Target],
    packs: Mapping[str, Program],
    cache: ReportCache | None,
    metadata: Mapping[str, Any] | None,
) -> _Work:
    work = _Work()
    digests = {m: p.digest for m, p in packs.items()} if cache is not None else {}
    for target in dict.fromkeys(targets):
        keys = _keys(target, digests, metadata) if cache is not None else {}
        hits = {m: cache.get(k) for m, k in keys.items()} if cache is not None else {}
        if keys and len(keys) == len(packs) and all(r is not None for r in hits.values()):
            work.known[target] = {m: r for m, r in hits.items() if r is not None}
        else:
            work.todo.append(target)
            work.keys[target] = keys
    return work


def _keys(target: Target, digests: Mapping[str, str], metadata: Mapping[str, Any] | None) -> dict[str, str]:
    from vidlint.run.cache import report_key

    if target.is_url:
        return {}
    extra = {"metadata": metadata}
    keys = {m: report_key(target.source, target.caption, m, digest, extra) for m, digest in digests.items()}
    return {m: k for m, k in keys.items() if k is not None}


def _probe_all(
    targets: Sequence[Target], jobs: int | None, progress: Progress | None
) -> dict[str, MediaFacts | ProbeError]:
    """Facts for every local video and caption of ``targets`` (a URL is read when it is checked)."""
    if progress is None:
        return probe_sources(_sources(targets), jobs)
    facts: dict[str, MediaFacts | ProbeError] = {}
    step = max(_PROGRESS_CHUNK, 4 * (jobs or 1))
    for start in range(0, len(targets), step):  # in chunks, so that the bar moves
        chunk = targets[start : start + step]
        facts.update(probe_sources(_sources(chunk), jobs))
        progress(len(chunk))
    return facts


def _sources(targets: Sequence[Target]) -> list[str]:
    return list(dict.fromkeys(s for t in targets if not t.is_url for s in (t.source, t.caption) if s))


def probe_sources(sources: list[str], jobs: int | None) -> dict[str, MediaFacts | ProbeError]:
    """Facts (or the ProbeError) for each local path: one file in the shared worker, more in a pool.

    Workers get absolute paths: a long-lived worker keeps the working folder it was started in.
    """
    if not sources:
        return {}
    absolute = [os.path.abspath(s) for s in sources]
    if len(sources) == 1:  # one file (the pre-commit case): no pool to start
        from vidlint.probing import probe

        try:
            results: list[MediaFacts | ProbeError] = [probe(absolute[0])]
        except ProbeError as exc:
            results = [exc]
    else:
        from vidlint.probing import probe_many

        results = probe_many(absolute, jobs=jobs)
    return {s: _named(r, s, a) for s, r, a in zip(sources, results, absolute, strict=True)}


def _named(outcome: MediaFacts | ProbeError, source: str, absolute: str) -> MediaFacts | ProbeError:
    """Facts (or the error) under the path as the user gave it."""
    if isinstance(outcome, ProbeError):
        return ProbeError(str(outcome).replace(absolute, source)) if source != absolute else outcome
    return dataclasses.replace(outcome, path=source) if outcome.path != source else outcome


def _evaluate(
    target: Target,
    facts: Mapping[str, MediaFacts | ProbeError],
    packs: Mapping[str, Program],
    metadata: Mapping[str, Any] | None,
    remote: RemoteTable | None,
) -> dict[str, Report]:
    if target.is_url:
        return _check_url(target, packs, metadata, remote)
    video = facts[target.source]
    if isinstance(video, ProbeError):
        return {m: unreadable(target.source, m, str(video)) for m in packs}
    caption = facts.get(target.caption) if target.caption and video.kind == "video" else None
    from vidlint.engine import evaluate
    from vidlint.model.facts import MediaFacts
    from vidlint.model.report import Report

    caption_facts = caption if isinstance(caption, MediaFacts) else None

    return {
        m: Report(
            source=target.source,
            marketplace=m,
            facts=video,
            findings=evaluate(video, pack, metadata=metadata, caption=caption_facts),
        )
        for m, pack in packs.items()
    }


def _check_url(
    target: Target,
    packs: Mapping[str, Program],
    metadata: Mapping[str, Any] | None,
    remote: RemoteTable | None,
) -> dict[str, Report]:
    from vidlint.api import check_all

    options = remote.options() if remote is not None else None  # imports httpx: URLs only
    try:
        return check_all(target.source, list(packs.values()), metadata=metadata, remote=options)
    except ProbeError as exc:
        return {m: unreadable(target.source, m, str(exc)) for m in packs}


def _cacheable(
    fresh: Mapping[Target, Mapping[str, Report]], keys: Mapping[Target, Mapping[str, str]]
) -> Iterable[tuple[str, Report]]:
    """Verdicts worth keeping: not for URLs (no stable identity) nor for files that could not be read."""
    for target, reports in fresh.items():
        for marketplace, report in reports.items():
            key = keys.get(target, {}).get(marketplace)
            if key and UNREADABLE_CODE not in report.codes():
                yield key, report


def _as_source(target: Target, report: Report) -> Report:
    """The report under the name the user gave (a cached one may have been stored under another)."""
    return report if report.source == target.source else dataclasses.replace(report, source=target.source)


def _renamed(verdict: CachedReport, source: str) -> CachedReport:
    return verdict if verdict.source == source else verdict._replace(source=source)
