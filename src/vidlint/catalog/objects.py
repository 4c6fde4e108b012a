"""One bucket object read header-only, as a URL is: ranged reads of the index within the same limits.

The seam with vidlint.remote: the same ``RemoteOptions`` (``timeout_s`` one budget for the whole object,
``max_bytes`` a cap on bytes read, ``block_size`` the read unit), the same index plan
(``remote.bmff.plan_index_reads``: the ``moov`` box in one read, or the tail after ``mdat`` in one
suffix read) and the same header-only probe (``probing.probe_stream``). Reads are fsspec's
``cat_file(path, start, end)``: one ranged GET each. The facts carry ``fetch`` like a URL's, with the
bytes read. Never raises: a missing object, a refused credential or a spent budget becomes
``fetch.outcome`` "failed" / "timeout".
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from vidlint.model.facts import FetchFacts, MediaFacts
from vidlint.probing.reading import BlockCache, ReadAtFile

if TYPE_CHECKING:
    from vidlint.remote.deadline import Deadline
    from vidlint.remote.options import RemoteOptions


class _Stop(Exception):
    """Reading stopped: the budget is spent or the store failed (kept in ``ObjectReader.problem``)."""


class ObjectReader(ReadAtFile):
    """A seekable binary file over ranged reads of one object, block-cached, capped, on a deadline."""

    def __init__(self, fs: Any, path: str, size: int, options: RemoteOptions, deadline: Deadline) -> None:
        super().__init__()
        self._fs, self._path, self.size = fs, path, size
        self._block, self._cap, self._deadline = options.block_size, options.max_bytes, deadline
        self._cache = BlockCache(self._block)
        self.bytes_read = 0
        self.requests = 0
        self.capped = False
        self.problem: tuple[str, str] | None = None  # (outcome, message) of the first failure

    @property
    def end(self) -> int:
        return self.size

    def read_at(self, pos: int, count: int) -> bytes:
        count = min(count, self.size - pos)
        if count <= 0:
            return b""
        self.prefetch(pos, pos + count)
        return self._cache.read(pos, count)

    def prefetch(self, start: int, end: int) -> None:
        """Bring ``[start, end)`` into the cache: one read per run of missing blocks, within the cap."""
        for first, last in self._cache.missing_runs(max(start, 0), min(end, self.size)):
            self._fetch(first * self._block, min((last + 1) * self._block, self.size))

    def prefetch_tail(self, start: int) -> None:
        aligned = start - start % self._block
        self.prefetch(aligned, self.size)

    def _fetch(self, start: int, end: int) -> None:
        if self.problem is not None:
            return
        allowed = self._cap - self.bytes_read
        if end - start > allowed:
            self.capped = True
            end = start + max(allowed, 0)
        if end <= start:
            return
        if self._deadline.expired:
            self.problem = ("timeout", self._deadline.problem().message)
            return
        try:
            data = self._fs.cat_file(self._path, start=start, end=end)
        except Exception as exc:  # the store's own errors (botocore, aiohttp, ...): this object's failure
            self.problem = ("failed", _one_line(exc))
            return
        self.requests += 1
        self.bytes_read += len(data)
        self._cache.store(start, data)


def object_facts(
    url: str, options: RemoteOptions | None = None, env: dict[str, str] | None = None
) -> MediaFacts:
    """MediaFacts for the bucket object at ``url``, read header-only; never raises. ``env``: the
    caller's cloud variables (``cloud_env()``), for a worker forked before the caller set them."""
    from vidlint.remote.deadline import Deadline
    from vidlint.remote.options import RemoteOptions

    if env is not None:
        _use_env(env)
    options = options or RemoteOptions()
    deadline = Deadline.start(options.timeout_s)
    try:
        return _read(url, options, deadline)
    except Exception as exc:  # a bug or a library's surprise: reported for this object, never a traceback
        return _unread(url, "failed", f"cannot read the object: {_one_line(exc)}", None, 0)


def _read(url: str, options: RemoteOptions, deadline: Deadline) -> MediaFacts:
    from vidlint.catalog.buckets import BucketError, filesystem
    from vidlint.probing import probe_stream
    from vidlint.remote.bmff import plan_index_reads
    from vidlint.remote.links import url_extension

    try:
        fs, path = filesystem(url)
        size = int(fs.size(path))
    except (BucketError, OSError) as exc:
        return _unread(url, "failed", _one_line(exc), None, 0)
    with ObjectReader(fs, path, size, options, deadline) as reader:
        plan_index_reads(reader)
        facts = probe_stream(cast(BinaryIO, reader), name=url, size=size)
    if reader.problem is not None:
        return _unread(url, *reader.problem, size, reader.bytes_read)
    fetch = FetchFacts(
        url=url, outcome="ok", content_length=size, bytes_transferred=reader.bytes_read,
        range_supported=True, link_kind="file",
    )  # fmt: skip
    if reader.capped:
        error = facts.error if facts.readable else "partial read: reading stopped at the byte cap"
        facts = replace(facts, partial=True, truncated=False, error=error)
    return replace(
        facts, path=url, extension=url_extension(url), size_bytes=size, fetch=fetch, backend=facts.backend
    )


def _unread(url: str, outcome: str, message: str, size: int | None, read: int) -> MediaFacts:
    from vidlint.remote.links import url_extension

    fetch = FetchFacts(
        url=url, outcome="timeout" if outcome == "timeout" else "failed", content_length=size,
        bytes_transferred=read, error=message, link_kind="file",
    )  # fmt: skip
    return MediaFacts(
        path=url, size_bytes=size, extension=url_extension(url), kind="unknown", fetch=fetch,
        backend="object", error=message,
    )  # fmt: skip


def _one_line(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]


def isolated_object_facts(url: str, options: RemoteOptions | None = None) -> MediaFacts:
    """``object_facts`` in the shared probe worker, killed when it overruns the budget (as a URL's fetch)."""
    from vidlint.errors import ProbeError
    from vidlint.probing.worker import call_isolated
    from vidlint.remote.fetch import ISOLATION_MARGIN_S
    from vidlint.remote.options import RemoteOptions

    options = options or RemoteOptions()
    try:
        facts: MediaFacts = call_isolated(
            object_facts,
            url,
            options,
            cloud_env(),
            timeout_s=options.timeout_s + ISOLATION_MARGIN_S,
            label=url,
        )
        return facts
    except ProbeError as exc:
        outcome = "timeout" if "timed out" in str(exc) else "failed"
        return _unread(url, outcome, f"the check was stopped: {exc}", None, 0)


def judged(facts: MediaFacts) -> MediaFacts:
    """An object's facts as the rules judge them: as the file it is (no fetch: its ``s3://`` URL is not
    what a marketplace is given), or a ProbeError when it could not be read (``vidlint.unreadable``)."""
    from vidlint.errors import ProbeError

    if facts.fetch is not None and facts.fetch.outcome != "ok":
        raise ProbeError(f"cannot read {facts.path}: {facts.fetch.error}")
    return replace(facts, fetch=None)


_CLOUD_PREFIXES = ("AWS_", "GOOGLE_", "GCLOUD_", "CLOUDSDK_", "AZURE_")


def cloud_env() -> dict[str, str]:
    """This process's cloud variables (credentials, profile, region, endpoint), for a probe worker."""
    return {k: v for k, v in os.environ.items() if k.startswith(_CLOUD_PREFIXES)}


def _use_env(env: dict[str, str]) -> None:
    """In a worker: the caller's cloud variables exactly; filesystems made with others are forgotten."""
    if env == cloud_env():
        return
    for key in [k for k in os.environ if k.startswith(_CLOUD_PREFIXES)]:
        del os.environ[key]
    os.environ.update(env)
    from fsspec.spec import AbstractFileSystem

    AbstractFileSystem.clear_instance_cache()
