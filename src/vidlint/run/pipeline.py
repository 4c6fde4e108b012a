"""The one pipeline, for the CLI and the Python API alike: targets -> facts -> evaluate -> Report.

Facts come from a pool of probe workers for local files (which also isolates a crashing or hanging
native library) and from one header-only fetch for a URL (vidlint.remote); evaluation is pure and
cheap, so it runs here. Targets go through in chunks, so reports stream out while later files are
still being probed; within the output, reports come in target order, then marketplace order.

A video is judged with the caption given for it, else its sidecar (same stem, an extension that a
selected pack judges as a caption). A target the probe cannot read at all becomes a
``vidlint.unreadable`` finding in every marketplace, unless the caller asks for the ProbeError
(``vidlint.check`` does, for a missing path); so does a caption that cannot be read, in each
marketplace that judges captions. With a cache, verdicts of unchanged local files are taken from it and
new ones stored: never for URLs, nor for files that could not be read, except a probe that ran out of
time: that is the file's own verdict (a hostile file would cost the whole time limit on every run),
kept under the file's identity like any other, so a changed file is probed again.

The probe workers are capped to what the open-file limit allows (each holds two pipe ends here).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from vidlint.engine import evaluate
from vidlint.errors import ProbeError
from vidlint.model.facts import MediaFacts
from vidlint.model.report import Finding, Report
from vidlint.model.source import is_url
from vidlint.packs.pack import Pack, caption_extensions
from vidlint.probing.batch import Prober
from vidlint.run.cachekey import target_keys
from vidlint.run.targets import Target, with_captions

if TYPE_CHECKING:
    from vidlint.remote.options import RemoteOptions
    from vidlint.run.cache import ReportCache

UNREADABLE_CODE = "vidlint.unreadable"
REQUEST_ONLY = "<request>"  # the source of a report on request metadata alone
TIMED_OUT = "probe timed out after "  # how vidlint.probing words a probe that ran out of time
NO_WORKER = "cannot start a probe worker: "
_FDS_PER_WORKER = 2  # the two pipe ends this process keeps for each probe worker
_SPARE_FDS = 32  # for the run itself: a worker being started, the cache, files read, the streams
Progress = Callable[[int], None]
_CHUNK = 64  # targets probed at a time, at least (16 per worker): few enough for a moving progress bar,
# enough that the workers rarely wait for the chunk's slowest file


@dataclasses.dataclass
class Pipeline:
    """Checks targets against ``packs`` (by marketplace id, in output order)."""

    packs: Mapping[str, Pack]
    jobs: int | None = None
    cache: ReportCache | None = None
    metadata: Mapping[str, Any] | None = None
    remote: RemoteOptions | None = None  # limits of reading URL targets (None: the defaults)
    raise_unreadable: bool = False  # a local path that cannot be read raises ProbeError
    probed: int = 0  # targets probed or fetched so far
    cached: int = 0  # targets answered from the cache so far

    def __post_init__(self) -> None:
        self.jobs = capped_jobs(self.jobs)[0]

    def run(self, targets: Sequence[Target], progress: Progress | None = None) -> Iterator[Report]:
        """One Report per target and marketplace, streamed chunk by chunk, in target order."""
        paired = with_captions(targets, caption_extensions(self.packs.values()))
        step = max(_CHUNK, 16 * (self.jobs or os.cpu_count() or 1))
        prober = Prober(self.jobs)
        try:
            for start in range(0, len(paired), step):
                chunk = paired[start : start + step]
                yield from self._chunk(chunk, prober)
                if progress is not None:
                    progress(len(chunk))
        finally:
            prober.close()

    def stats(self) -> str:
        return f"{self.probed} probed, {self.cached} from cache"

    def _chunk(self, targets: Sequence[Target], prober: Prober) -> Iterator[Report]:
        unique = list(dict.fromkeys(targets))
        keys = {t: self._keys(t) for t in unique}
        known = {t: hits for t in unique if (hits := self._hits(keys[t])) is not None}
        todo = [t for t in unique if t not in known]
        facts = _probe(prober, _local_sources(todo))
        fresh = {t: self._evaluate(t, facts) for t in todo}
        self.probed, self.cached = self.probed + len(todo), self.cached + len(known)
        if self.cache is not None:
            self.cache.put_many(
                (keys[t][m], report)
                for t, reports in fresh.items()
                if _cacheable(t, facts)
                for m, report in reports.items()
                if m in keys[t]
            )
        for target in targets:
            reports = known[target] if target in known else fresh[target]
            yield from (target.as_given(reports[m]) for m in self.packs)

    def _keys(self, target: Target) -> dict[str, str]:
        """Each marketplace's cache key for ``target``; none without a cache, for a URL or a request."""
        if self.cache is None or target.is_url or not target.source:
            return {}
        digests = {m: pack.digest for m, pack in self.packs.items()}
        keys = target_keys(target, digests, self.metadata)
        return {m: k for m, k in keys.items() if k is not None}

    def _hits(self, keys: Mapping[str, str]) -> dict[str, Report] | None:
        if self.cache is None or not keys or len(keys) != len(self.packs):
            return None
        found = self.cache.get_many(list(keys.values()))
        return {m: found[k] for m, k in keys.items()} if len(found) == len(set(keys.values())) else None

    def _evaluate(self, target: Target, facts: Mapping[str, MediaFacts | ProbeError]) -> dict[str, Report]:
        try:
            video = self._facts(target.source, facts)
            caption = self._caption(target, video, facts)
        except ProbeError as exc:
            if self.raise_unreadable:
                raise
            return {m: unreadable(target.source, m, str(exc)) for m in self.packs}
        url = target.source if target.is_url and not _is_bucket(target.source) else None
        name = target.source or REQUEST_ONLY
        reports = {}
        paired = target.caption if caption is not None else None
        for m, pack in self.packs.items():
            judged = None if isinstance(caption, ProbeError) else caption
            findings = evaluate(video, pack, metadata=self.metadata, caption=judged, source_url=url)
            if judged is not None and paired is not None:
                findings = _located(findings, pack, paired)
            if isinstance(caption, ProbeError) and pack.rules_for("caption"):
                reason = f"the caption cannot be read: {caption}"
                findings = (*findings, dataclasses.replace(unreadable_finding(reason), location=paired))
            reports[m] = Report(source=name, marketplace=m, findings=findings, facts=video, caption=paired)
        return reports

    def _facts(self, source: str, facts: Mapping[str, MediaFacts | ProbeError]) -> MediaFacts | None:
        """The source's facts; None for a request alone, and for a URL no pack judges beyond its syntax."""
        if not source:
            return None
        if is_url(source):
            wanted = any(p.rules_for("fetch", "file", "image", "caption") for p in self.packs.values())
            return self._fetch(source) if wanted else None
        found = facts[source]
        if isinstance(found, ProbeError):
            raise found
        return found

    def _caption(
        self, target: Target, video: MediaFacts | None, facts: Mapping[str, MediaFacts | ProbeError]
    ) -> MediaFacts | ProbeError | None:
        """The caption's facts, judged beside a video only; its ProbeError when it cannot be read (raised
        when the caller asks for it), which the marketplaces that judge captions report."""
        if target.caption is None or video is None or video.kind != "video":
            return None
        if is_url(target.caption):
            return self._fetch(target.caption)
        found = facts.get(target.caption)
        if isinstance(found, ProbeError) and self.raise_unreadable:
            raise found
        return found

    def _fetch(self, url: str) -> MediaFacts:
        from vidlint.catalog.buckets import is_bucket_url

        if is_bucket_url(url):  # s3://, gs://, az://: ranged reads through fsspec, in a probe worker
            from vidlint.catalog.objects import isolated_object_facts, judged

            return judged(isolated_object_facts(url, self.remote))
        from vidlint.remote import fetch_facts  # httpx: imported for URL sources only

        return fetch_facts(url, options=self.remote)


def _probe(prober: Prober, sources: list[str]) -> Mapping[str, MediaFacts | ProbeError]:
    """The probe's facts; when no worker can be started (too many processes or open files), each file
    gets that ProbeError: a failure of the moment, not the file's verdict (never cached)."""
    try:
        return prober.probe(sources)
    except OSError as exc:
        error = ProbeError(f"{NO_WORKER}{exc.strerror or exc}")
        return {source: error for source in sources}


def _is_bucket(source: str) -> bool:
    """A bucket object (s3://, gs://, az://) is judged as the file it is: its URL is not what a
    marketplace is given (that is a public or signed https URL), so URL rules do not judge it."""
    from vidlint.catalog.buckets import is_bucket_url

    return is_bucket_url(source)


def _local_sources(targets: Sequence[Target]) -> list[str]:
    """Every local video and caption of ``targets`` (a URL is fetched when it is evaluated)."""
    paths = (s for t in targets for s in (t.source, t.caption) if s and not is_url(s))
    return list(dict.fromkeys(paths))


def unreadable(source: str, marketplace: str, reason: str, *, severity: str = "error") -> Report:
    return Report(source=source, marketplace=marketplace, findings=(unreadable_finding(reason, severity),))


def unreadable_finding(reason: str, severity: str = "error") -> Finding:
    return Finding(
        code=UNREADABLE_CODE,
        severity="warning" if severity == "warning" else "error",
        documented=False,
        rule=UNREADABLE_CODE,
        message=reason,
    )


def _cacheable(target: Target, facts: Mapping[str, MediaFacts | ProbeError]) -> bool:
    """A verdict is kept unless reading a file failed for a reason that may pass (permission, a worker
    that could not start or died): a probe that ran out of time is the file's own verdict."""
    outcomes = (facts.get(source) for source in (target.source, target.caption) if source)
    return all(not isinstance(o, ProbeError) or str(o).startswith(TIMED_OUT) for o in outcomes)


def capped_jobs(jobs: int | None) -> tuple[int | None, str | None]:
    """``jobs`` within what the open-file limit allows, and a warning when it had to be lowered (the
    default, one worker per core, is lowered without one)."""
    cap = max_jobs()
    wanted = jobs or os.cpu_count() or 1
    if wanted <= cap:
        return jobs, None
    if jobs is None:
        return cap, None
    return cap, f"{jobs} jobs are more than the open-file limit allows: using {cap} probe workers"


def max_jobs() -> int:
    """How many probe workers fit in the open-file limit (RLIMIT_NOFILE)."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):  # not POSIX: no limit to go by
        return 1 << 16
    if soft == resource.RLIM_INFINITY:
        return 1 << 16
    try:
        in_use = len(os.listdir("/proc/self/fd"))
    except OSError:
        in_use = 16
    return max(1, (soft - in_use - _SPARE_FDS) // _FDS_PER_WORKER)


def _located(findings: tuple[Finding, ...], pack: Pack, caption: str) -> tuple[Finding, ...]:
    """The findings of the pack's caption rules, located at the caption file they judged."""
    ids = {rule.id for rule in pack.rules_for("caption")}
    return tuple(dataclasses.replace(f, location=caption) if f.rule in ids else f for f in findings)
