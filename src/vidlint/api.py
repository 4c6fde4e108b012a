"""The Python API: check a source against one marketplace, or against several from one probe.

A source is a local path, an http(s) URL, or None (then only the request / object rules run, on
``metadata``). A missing or unreadable local path raises ProbeError (one line); everything the
probe can read, however broken, becomes findings.

A URL is read once for all marketplaces by vidlint.remote (HEAD and a few ranged GETs: the index,
not the whole file), within ``remote`` (RemoteOptions: time budget, byte cap, redirects, private
addresses; the defaults when None). Network trouble never raises: it becomes the marketplace's
download finding. A sidecar caption is only looked for beside a local file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from vidlint.engine import evaluate
from vidlint.errors import VidlintError
from vidlint.model.facts import MediaFacts
from vidlint.model.report import Report
from vidlint.packs.compiled import Program, compile_pack
from vidlint.packs.loader import (
    Overrides,
    Pack,
    apply_overrides,
    file_marketplaces,
    list_marketplaces,
    load_pack,
    validate_override_ids,
)
from vidlint.run.targets import find_sidecar as find_sidecar  # the pairing rule; the CLI shares it

if TYPE_CHECKING:
    from vidlint.remote.options import RemoteOptions

Source = str | os.PathLike[str]
Marketplace = str | Pack | Program  # an id, a validated pack (e.g. a user's), or a compiled one
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
REQUEST_ONLY = "<request>"


def check(
    source: Source | None,
    marketplace: Marketplace = "samsclub",
    *,
    metadata: Mapping[str, Any] | None = None,
    caption: Source | None = None,
    overrides: Overrides | None = None,
    remote: RemoteOptions | None = None,
) -> Report:
    """The report of one marketplace (an id, or a Pack, e.g. a user's) for ``source``.

    ``remote`` sets the limits of reading a URL source (vidlint.remote.RemoteOptions; for a server
    checking URLs its users submit, ``RemoteOptions.server_side()`` refuses private addresses).
    """
    packs = _packs([marketplace], overrides)
    return _reports(source, packs, _Inputs(metadata, caption, remote))[packs[0].id]


def check_all(
    source: Source | None,
    marketplaces: Iterable[Marketplace] | None = None,
    *,
    metadata: Mapping[str, Any] | None = None,
    caption: Source | None = None,
    overrides: Overrides | None = None,
    remote: RemoteOptions | None = None,
) -> dict[str, Report]:
    """One report per marketplace from a single probe (or a single fetch of a URL) of ``source``.

    ``marketplaces`` None: the marketplaces that judge files for a local file, every one otherwise.
    ``remote``: as for :func:`check`.
    """
    if marketplaces is None:
        marketplaces = file_marketplaces() if _is_local(source) else list_marketplaces()
    return _reports(source, _packs(marketplaces, overrides), _Inputs(metadata, caption, remote))


def is_url(source: Source | None) -> bool:
    return isinstance(source, str) and bool(_URL.match(source))


def facts_for(source: Source, *, remote: RemoteOptions | None = None) -> MediaFacts:
    """What vidlint reads from a source: a local file's probe, or a URL's fetch (``facts.fetch``).

    A URL never raises (its trouble is in ``facts.fetch``); a local path raises ProbeError when it
    is missing, a folder or unreadable.
    """
    if is_url(source):
        from vidlint.remote import fetch_facts  # httpx and the probe: imported on first use

        return fetch_facts(os.fspath(source), options=remote)
    from vidlint.probing import probe  # heavy: imported on first use

    return probe(source)


def _is_local(source: Source | None) -> bool:
    return source is not None and not is_url(source)


def _packs(marketplaces: Iterable[Marketplace], overrides: Overrides | None) -> list[Program]:
    """Each marketplace compiled, with ``overrides`` applied (a compiled one has its own applied)."""
    packs = [load_pack(m) if isinstance(m, str) else m for m in marketplaces]
    validate_override_ids(overrides, {*list_marketplaces(), *(p.id for p in packs)})
    return [p if isinstance(p, Program) else compile_pack(apply_overrides(p, overrides)) for p in packs]


class _Inputs(NamedTuple):
    """What accompanies a source: the request, a caption, and the limits of reading a URL."""

    metadata: Mapping[str, Any] | None
    caption: Source | None
    remote: RemoteOptions | None


def _reports(source: Source | None, packs: list[Program], given: _Inputs) -> dict[str, Report]:
    if source is None and given.metadata is None:
        raise VidlintError("nothing to check: give a file, a URL or request metadata")
    facts = _source_facts(source, packs, given.remote)
    caption_facts = _caption_facts(source, facts, packs, given)
    url = str(source) if is_url(source) else None
    name = REQUEST_ONLY if source is None else os.fspath(source)
    return {
        pack.id: Report(
            source=name,
            marketplace=pack.id,
            findings=evaluate(facts, pack, metadata=given.metadata, caption=caption_facts, source_url=url),
            facts=facts,
        )
        for pack in packs
    }


def _source_facts(
    source: Source | None, packs: list[Program], remote: RemoteOptions | None
) -> MediaFacts | None:
    """The source's facts; None for no source, and for a URL that no pack judges beyond its syntax."""
    if source is None or (is_url(source) and not any(_reads_urls(pack) for pack in packs)):
        return None
    return facts_for(source, remote=remote)


def _reads_urls(pack: Program) -> bool:
    return bool(pack.rules_for("fetch", "file", "image", "caption"))


def _caption_facts(
    source: Source | None, facts: MediaFacts | None, packs: list[Program], given: _Inputs
) -> MediaFacts | None:
    """The caption to judge: the one passed in, else a sidecar beside a local video (same stem)."""
    judging = [pack for pack in packs if pack.rules_for("caption")]
    extensions = [ext for pack in judging for ext in pack.input("caption").extensions]
    if not extensions:
        return None
    if given.caption is not None:
        return facts_for(given.caption, remote=given.remote)
    if source is None or facts is None or facts.kind != "video" or not _is_local(source):
        return None
    sidecar = find_sidecar(Path(source), extensions)
    return None if sidecar is None else facts_for(sidecar)
