"""Probing many local paths at once: one file in the shared worker, more in a pool of workers that a
:class:`Prober` keeps for all the batches of one run."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from vidlint.errors import ProbeError
from vidlint.model.facts import MediaFacts
from vidlint.probing.spawn import FEW_FILES

if TYPE_CHECKING:
    from vidlint.probing.worker import ProbePool


def probe_sources(sources: list[str], jobs: int | None) -> dict[str, MediaFacts | ProbeError]:
    """Facts (or the ProbeError) for each local path, under the path as given."""
    prober = Prober(jobs)
    try:
        return prober.probe(sources)
    finally:
        prober.close()


class Prober:
    """Probes batches of local paths; the pool of workers starts with the first batch of several
    files and lives until ``close``. Workers get absolute paths: a long-lived worker keeps the working
    folder it was started in."""

    def __init__(self, jobs: int | None) -> None:
        self.jobs = jobs
        self._pool: ProbePool | None = None

    def probe(self, sources: Sequence[str]) -> dict[str, MediaFacts | ProbeError]:
        if not sources:
            return {}
        absolute = [os.path.abspath(s) for s in sources]
        if len(sources) <= FEW_FILES and self._pool is None:  # the pre-commit case: no pool to start
            results = [_probe_one(path) for path in absolute]
        else:
            results = self._workers().probe_many(absolute)
        return {s: _named(r, s, a) for s, r, a in zip(sources, results, absolute, strict=True)}

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def _workers(self) -> ProbePool:
        if self._pool is None:
            from vidlint.probing.worker import ProbePool

            self._pool = ProbePool(self.jobs)
        return self._pool


def _probe_one(path: str) -> MediaFacts | ProbeError:
    from vidlint.probing.worker import probe

    try:
        return probe(path)
    except ProbeError as exc:
        return exc


def _named(outcome: MediaFacts | ProbeError, source: str, absolute: str) -> MediaFacts | ProbeError:
    """Facts (or the error) under the path as the user gave it."""
    if isinstance(outcome, ProbeError):
        return ProbeError(str(outcome).replace(absolute, source)) if source != absolute else outcome
    return dataclasses.replace(outcome, path=source) if outcome.path != source else outcome
