"""The Python API: thin wrappers over the one pipeline (vidlint.run.pipeline) that the CLI runs too.

A source is a local path, a URL, or None (then only the request / object rules run, on ``metadata``).
``check`` and ``check_all`` raise ProbeError (one line) for a local path that is missing or cannot be
read; everything the probe can read, however broken, becomes findings. ``check_many`` never raises for
one source: a source that cannot be read becomes a ``vidlint.unreadable`` finding, as in the CLI.

A URL is read once for all marketplaces by vidlint.remote (HEAD and a few ranged GETs: the index, not
the whole file), within ``remote`` (RemoteOptions: time budget, byte cap, redirects, private addresses;
the defaults when None). Network trouble never raises: it becomes the marketplace's download finding.
A sidecar caption (same stem) is looked for beside a local video when no ``caption`` is given; one
that cannot be read is reported (``check`` raises its ProbeError, ``check_many`` gives the video a
``vidlint.unreadable`` finding). A local path may be given as ``str``, ``bytes`` or a path object
(as ``vidlint.probe`` takes it); ``Report.source`` holds it decoded (``os.fsdecode``).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from vidlint.errors import VidlintError
from vidlint.model.source import Source, is_url
from vidlint.packs.builtin import file_marketplaces, list_marketplaces, load_pack

# The pipeline, the packs' runtime types and the check kinds (~50 ms to import) are imported by the
# functions that use them, after the first check has started its probe worker on the file: the two
# overlap, as on the CLI's cold path (benchmarks/api_bench.py).
if TYPE_CHECKING:
    from vidlint.model.report import Report
    from vidlint.packs.overrides import Overrides
    from vidlint.packs.pack import Pack
    from vidlint.remote.options import RemoteOptions
    from vidlint.run.cache import ReportCache

    Marketplace = str | Pack  # a built-in pack's id, or a Pack (e.g. a user's, vidlint.load_pack_file)
PathSource = Source | bytes | os.PathLike[bytes]  # a URL, or a local path in any of os.fspath's forms


def check(
    source: PathSource | None,
    marketplace: Marketplace,
    *,
    metadata: Mapping[str, Any] | None = None,
    caption: PathSource | None = None,
    overrides: Overrides | None = None,
    remote: RemoteOptions | None = None,
) -> Report:
    """The report of one marketplace (an id, or a Pack) for ``source``.

    ``remote`` sets the limits of reading a URL source (vidlint.remote.RemoteOptions; for a server
    checking URLs its users submit, ``RemoteOptions.server_side()`` refuses private addresses).
    """
    return next(iter(check_all(source, [marketplace], metadata=metadata, caption=caption,
                               overrides=overrides, remote=remote).values()))  # fmt: skip


def check_all(
    source: PathSource | None,
    marketplaces: Iterable[Marketplace] | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    caption: PathSource | None = None,
    overrides: Overrides | None = None,
    remote: RemoteOptions | None = None,
) -> dict[str, Report]:
    """One report per marketplace from a single probe (or a single fetch of a URL) of ``source``.

    ``marketplaces`` None: the marketplaces that judge files for a local file, every one otherwise.
    ``remote``: as for :func:`check`.
    """
    if source is None and metadata is None:
        raise VidlintError("nothing to check: give a file, a URL or request metadata")
    name = None if source is None else _name(source)
    if name is not None and not is_url(name):
        _probe_ahead(name)
    if marketplaces is None:
        marketplaces = list_marketplaces() if name is None or is_url(name) else file_marketplaces()
    packs = _packs(marketplaces, overrides)
    from vidlint.run.pipeline import Pipeline
    from vidlint.run.targets import Target

    given = None if caption is None else _name(caption)
    target = Target("" if name is None else name, given)
    pipeline = Pipeline(packs, metadata=metadata, remote=remote, raise_unreadable=True)
    return {report.marketplace: report for report in pipeline.run([target])}


def check_many(
    sources: Iterable[PathSource],
    marketplaces: Iterable[Marketplace] | None = None,
    *,
    jobs: int | None = None,
    cache: bool = False,
    metadata: Mapping[str, Any] | None = None,
    overrides: Overrides | None = None,
    remote: RemoteOptions | None = None,
) -> Iterator[Report]:
    """One Report per source and marketplace, with the CLI's parallel probe workers.

    Reports stream out as each chunk of sources is checked, in source order, then in the order of
    ``marketplaces`` (None: every built-in marketplace that judges files). ``jobs``: worker processes
    (None: one per core). ``cache``: read and write the CLI's result cache (an unchanged file is not
    probed again). ``Report.source`` is the source as given. A sidecar caption beside a video is
    judged with it. A source that cannot be read gets a ``vidlint.unreadable`` finding.
    """
    packs = _packs(file_marketplaces() if marketplaces is None else marketplaces, overrides)
    from vidlint.run.pipeline import Pipeline, capped_jobs
    from vidlint.run.targets import Target

    targets = [Target(name) for name in _listed(_name(source) for source in sources)]
    jobs, lowered = capped_jobs(jobs)
    if lowered:
        warnings.warn(f"vidlint: {lowered}", RuntimeWarning, stacklevel=2)
    store = _open_cache() if cache else None
    try:
        yield from Pipeline(packs, jobs=jobs, cache=store, metadata=metadata, remote=remote).run(targets)
    finally:
        if store is not None:
            store.close()


def _listed(names: Iterable[str]) -> Iterator[str]:
    """``names`` with each bucket prefix (``s3://bucket/videos/``) replaced by the videos under it."""
    for name in names:
        if "://" in name and name.split("://", 1)[0].lower() in ("s3", "gs", "gcs", "az", "abfs"):
            from vidlint.catalog.expand import expanded
            from vidlint.catalog.item import Item

            yield from (item.source for item in expanded([Item(name)]))
        else:
            yield name


def _name(source: PathSource) -> str:
    """A source as the pipeline takes it: text (a bytes path decoded as the file system does)."""
    try:
        return os.fsdecode(source)
    except TypeError:
        raise VidlintError(f"not a path or URL: {source!r}") from None


def _probe_ahead(path: str) -> None:
    """Start the probe worker on ``path`` now, so that its start and the probe overlap loading the
    packs (the first check in a process pays both; the CLI's cold path does the same)."""
    from vidlint.probing.worker import prestart

    if os.path.isfile(path):
        prestart(ahead=[path])


def _packs(marketplaces: Iterable[Marketplace], overrides: Overrides | None) -> dict[str, Pack]:
    """Each marketplace's pack by id, with ``overrides`` applied."""
    from vidlint.packs.overrides import apply_overrides, validate_override_ids

    packs = [load_pack(m) if isinstance(m, str) else m for m in marketplaces]
    if not packs:
        raise VidlintError("no marketplace to check against")
    validate_override_ids(overrides, {*list_marketplaces(), *(p.id for p in packs)})
    return {p.id: apply_overrides(p, overrides) for p in packs}


def _open_cache() -> ReportCache:
    from vidlint.run.cache import ReportCache, cache_dir

    store = ReportCache(cache_dir())
    if store.refused:
        warnings.warn(f"vidlint: {store.refused}", RuntimeWarning, stacklevel=3)
    return store
