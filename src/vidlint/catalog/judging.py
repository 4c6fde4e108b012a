"""A catalog source's reports: its facts judged by each pack, with the row's request metadata.

The same evaluation as vidlint.run.pipeline for a source without a caption: ``engine.evaluate`` with
the URL as the request's source, a ``vidlint.unreadable`` finding when the source cannot be read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vidlint.catalog.buckets import is_bucket_url
from vidlint.engine import evaluate
from vidlint.errors import ProbeError
from vidlint.model.facts import MediaFacts
from vidlint.model.report import Report
from vidlint.model.source import is_url
from vidlint.packs.pack import Pack
from vidlint.run.pipeline import unreadable


def needs_facts(source: str, packs: Mapping[str, Pack]) -> bool:
    """Whether ``source`` must be read: a local file always; a URL only when a pack judges more than
    its syntax (as the pipeline decides)."""
    return not is_url(source) or any(p.rules_for("fetch", "file", "image", "caption") for p in packs.values())


def judge(
    source: str,
    facts: MediaFacts | ProbeError | None,
    packs: Mapping[str, Pack],
    metadata: Mapping[str, Any] | None,
) -> list[Report]:
    """One Report per pack, in the packs' order."""
    if isinstance(facts, ProbeError):
        return [unreadable(source, m, str(facts)) for m in packs]
    url = source if is_url(source) and not is_bucket_url(source) else None  # an object is judged as a file
    return [
        Report(
            source=source,
            marketplace=m,
            findings=evaluate(facts, pack, metadata=metadata, caption=None, source_url=url),
            facts=facts,
        )
        for m, pack in packs.items()
    ]


def merged(common: Mapping[str, Any] | None, row: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The request of one row: the run's ``--meta`` with the row's columns over it."""
    if common is None and row is None:
        return None
    return {**(common or {}), **(row or {})}
