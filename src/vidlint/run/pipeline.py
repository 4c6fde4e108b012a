"""The one pipeline, for the CLI and the Python API alike: targets -> facts -> evaluate -> Report.

Facts come from a pool of probe workers for local files (which also isolates a crashing or hanging
native library) and from one header-only fetch for a URL (vidlint.remote); evaluation is pure and
cheap, so it runs here. Targets go through in chunks, so reports stream out while later files are
still being probed; within the output, reports come in target order, then marketplace order.

A video is judged with the caption given for it, else its sidecar (same stem, an extension that a
selected pack judges as a caption). A target the probe cannot read at all becomes a
``vidlint.unreadable`` finding in every marketplace, unless the caller asks for the ProbeError
(``vidlint.check`` does, for a missing path). With a cache, verdicts of unchanged local files are
taken from it and new ones stored (never for URLs, nor for files that could not be read).
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
from vidlint.run.cache import report_key
from vidlint.run.targets import Target, with_captions

if TYPE_CHECKING:
    from vidlint.remote.options import RemoteOptions
    from vidlint.run.cache import ReportCache

UNREADABLE_CODE = "vidlint.unreadable"
REQUEST_ONLY = "<request>"  # the source of a report on request metadata alone
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
        facts = prober.probe(_local_sources(todo))
        fresh = {t: self._evaluate(t, facts) for t in todo}
        self.probed, self.cached = self.probed + len(todo), self.cached + len(known)
        if self.cache is not None:
            self.cache.put_many(
                (keys[t][m], report)
                for t, reports in fresh.items()
                for m, report in reports.items()
                if m in keys[t] and UNREADABLE_CODE not in report.codes()
            )
        for target in targets:
            reports = known[target] if target in known else fresh[target]
            yield from (_named(reports[m], target.source) for m in self.packs)

    def _keys(self, target: Target) -> dict[str, str]:
        """Each marketplace's cache key for ``target``; none without a cache, for a URL or a request."""
        if self.cache is None or target.is_url or not target.source:
            return {}
        extra = {"metadata": self.metadata}
        packs = self.packs.items()
        keys = {m: report_key(target.source, target.caption, m, p.digest, extra) for m, p in packs}
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
        url = target.source if target.is_url else None
        name = target.source or REQUEST_ONLY
        return {
            m: Report(
                source=name,
                marketplace=m,
                findings=evaluate(video, pack, metadata=self.metadata, caption=caption, source_url=url),
                facts=video,
            )
            for m, pack in self.packs.items()
        }

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
    ) -> MediaFacts | None:
        """The caption's facts: judged beside a video only (a caption that cannot be read is skipped)."""
        if target.caption is None or video is None or video.kind != "video":
            return None
        if is_url(target.caption):
            return self._fetch(target.caption)
        found = facts.get(target.caption)
        return found if isinstance(found, MediaFacts) else None

    def _fetch(self, url: str) -> MediaFacts:
        from vidlint.remote import fetch_facts  # httpx: imported for URL sources only

        return fetch_facts(url, options=self.remote)


def _local_sources(targets: Sequence[Target]) -> list[str]:
    """Every local video and caption of ``targets`` (a URL is fetched when it is evaluated)."""
    paths = (s for t in targets for s in (t.source, t.caption) if s and not is_url(s))
    return list(dict.fromkeys(paths))


def unreadable(source: str, marketplace: str, reason: str) -> Report:
    finding = Finding(
        code=UNREADABLE_CODE, severity="error", documented=False, rule=UNREADABLE_CODE, message=reason
    )
    return Report(source=source, marketplace=marketplace, findings=(finding,))


def _named(report: Report, source: str) -> Report:
    """The report under the name the user gave (a cached one may have been stored under another)."""
    if report.source == source or not source:
        return report
    return dataclasses.replace(report, source=source)
