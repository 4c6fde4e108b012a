"""Probing many local paths at once: one file in the shared worker, more in a pool of workers."""

from __future__ import annotations

import dataclasses
import os

from vidlint.errors import ProbeError
from vidlint.model.facts import MediaFacts


def probe_sources(sources: list[str], jobs: int | None) -> dict[str, MediaFacts | ProbeError]:
    """Facts (or the ProbeError) for each local path, under the path as given.

    Workers get absolute paths: a long-lived worker keeps the working folder it was started in.
    """
    if not sources:
        return {}
    absolute = [os.path.abspath(s) for s in sources]
    if len(sources) == 1:  # one file (the pre-commit case): no pool to start
        from vidlint.probing.worker import probe

        try:
            results: list[MediaFacts | ProbeError] = [probe(absolute[0])]
        except ProbeError as exc:
            results = [exc]
    else:
        from vidlint.probing.worker import probe_many

        results = probe_many(absolute, jobs=jobs)
    return {s: _named(r, s, a) for s, r, a in zip(sources, results, absolute, strict=True)}


def _named(outcome: MediaFacts | ProbeError, source: str, absolute: str) -> MediaFacts | ProbeError:
    """Facts (or the error) under the path as the user gave it."""
    if isinstance(outcome, ProbeError):
        return ProbeError(str(outcome).replace(absolute, source)) if source != absolute else outcome
    return dataclasses.replace(outcome, path=source) if outcome.path != source else outcome
