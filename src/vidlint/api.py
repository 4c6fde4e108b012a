"""The Python API: check a source against one marketplace, or against several from one probe.

A source is a local path, an http(s) URL, or None (then only the request / object rules run, on
``metadata``). A missing or unreadable local path raises ProbeError (one line); everything the
probe can read, however broken, becomes findings.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from vidlint.engine import evaluate
from vidlint.errors import VidlintError
from vidlint.facts import MediaFacts
from vidlint.report import Report
from vidlint.rules import (
    Overrides,
    Pack,
    apply_overrides,
    file_marketplaces,
    list_marketplaces,
    load_pack,
    validate_override_ids,
)

Source = str | os.PathLike[str]
Marketplace = str | Pack
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
REQUEST_ONLY = "<request>"


def check(
    source: Source | None,
    marketplace: Marketplace = "samsclub",
    *,
    metadata: Mapping[str, Any] | None = None,
    caption: Source | None = None,
    overrides: Overrides | None = None,
) -> Report:
    """The report of one marketplace (an id, or a Pack, e.g. a user's) for ``source``."""
    packs = _packs([marketplace], overrides)
    return _reports(source, packs, metadata, caption)[packs[0].id]


def check_all(
    source: Source | None,
    marketplaces: Iterable[Marketplace] | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    caption: Source | None = None,
    overrides: Overrides | None = None,
) -> dict[str, Report]:
    """One report per marketplace from a single probe of ``source``.

    ``marketplaces`` None: the marketplaces that judge files for a local file, every one otherwise.
    """
    if marketplaces is None:
        marketplaces = file_marketplaces() if _is_local(source) else list_marketplaces()
    return _reports(source, _packs(marketplaces, overrides), metadata, caption)


def is_url(source: Source | None) -> bool:
    return isinstance(source, str) and bool(_URL.match(source))


def facts_for(source: Source) -> MediaFacts | None:
    """What the probe reads from a source; None for a URL (not fetched: only its syntax is judged).

    The seam for remote checks: a URL's facts come from vidlint.remote once it judges URLs.
    """
    if is_url(source):
        return None
    from vidlint.probe import probe  # heavy: imported on first use

    return probe(source)


def _is_local(source: Source | None) -> bool:
    return source is not None and not is_url(source)


def _packs(marketplaces: Iterable[Marketplace], overrides: Overrides | None) -> list[Pack]:
    packs = [m if isinstance(m, Pack) else load_pack(m) for m in marketplaces]
    validate_override_ids(overrides, {*list_marketplaces(), *(p.id for p in packs)})
    return [apply_overrides(pack, overrides) for pack in packs]


def _reports(
    source: Source | None, packs: list[Pack], metadata: Mapping[str, Any] | None, caption: Source | None
) -> dict[str, Report]:
    if source is None and metadata is None:
        raise VidlintError("nothing to check: give a file, a URL or request metadata")
    facts = None if source is None else facts_for(source)
    caption_facts = _caption_facts(source, facts, packs, caption)
    url = str(source) if is_url(source) else None
    name = REQUEST_ONLY if source is None else os.fspath(source)
    return {
        pack.id: Report(
            source=name,
            marketplace=pack.id,
            findings=evaluate(facts, pack, metadata=metadata, caption=caption_facts, source_url=url),
            facts=facts,
        )
        for pack in packs
    }


def _caption_facts(
    source: Source | None, facts: MediaFacts | None, packs: list[Pack], caption: Source | None
) -> MediaFacts | None:
    """The caption to judge: the one passed in, else a sidecar beside a local video (same stem)."""
    judging = [pack for pack in packs if pack.rules_for("caption")]
    extensions = [ext for pack in judging for ext in pack.input("caption").extensions]
    if not extensions:
        return None
    if caption is not None:
        return facts_for(caption)
    if source is None or facts is None or facts.kind != "video" or not _is_local(source):
        return None
    sidecar = find_sidecar(Path(source), extensions)
    return None if sidecar is None else facts_for(sidecar)


def find_sidecar(video: Path, extensions: Iterable[str]) -> Path | None:
    """The first ``<stem><ext>`` beside ``video`` (extension as listed, then upper-case)."""
    for ext in dict.fromkeys(extensions):
        for variant in (ext.lower(), ext.upper()):
            candidate = video.with_suffix(variant)
            if candidate != video and candidate.is_file():
                return candidate
    return None
