"""Every sample file served over HTTP gets the codes its local copy gets (tests/engine/sample_codes.toml).

"Otherwise a URL is judged like the file it points to": the URL is read header-only, with ranged
GETs, and the same rules judge it. Ecwid takes links: a URL to anything that is not video content
is NOT_VIDEO_URL (a local file gets no Ecwid findings at all). A URL has no sidecar caption, so
the caption beside a captioned clip is passed in, as the local check finds it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from support.media import MARKETPLACES, ROOT, SAMPLES
from support.server import LocalFileServer

from vidlint.api import check_all
from vidlint.remote import RemoteOptions


def _toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


CODES: dict[str, dict[str, Any]] = _toml(ROOT / "tests" / "engine" / "sample_codes.toml")["files"]
FACTS: dict[str, dict[str, Any]] = _toml(SAMPLES / "expected.toml")["files"]


def _sidecar(name: str) -> Path | None:
    if FACTS[name].get("kind") != "video":
        return None
    video = SAMPLES / name
    found = [p for p in (video.with_suffix(".srt"), video.with_suffix(".vtt")) if p.is_file()]
    return found[0] if found else None


def _expected(name: str) -> dict[str, list[str]]:
    want = {market: sorted(CODES[name][market]) for market in MARKETPLACES}
    if FACTS[name].get("kind") != "video":
        want["ecwid"] = ["NOT_VIDEO_URL"]
    return want


@pytest.mark.parametrize("name", sorted(CODES))
def test_url_gets_the_local_files_codes(server: LocalFileServer, fast: RemoteOptions, name: str) -> None:
    url = server.url(f"files/samples/{name}")
    reports = check_all(url, MARKETPLACES, caption=_sidecar(name), remote=fast)
    got = {market: sorted(report.codes()) for market, report in reports.items()}
    assert got == _expected(name), CODES[name]["why"]
    facts = reports["trendyol"].facts
    assert facts is not None and facts.fetch is not None and facts.fetch.outcome == "ok"
    assert all(report.source == url and report.facts is facts for report in reports.values())


def test_readable_videos_are_most_of_the_table() -> None:
    """The comparison above is about real clips: most rows are readable videos."""
    readable = [n for n, f in FACTS.items() if f.get("kind") == "video" and f.get("readable")]
    assert len(readable) >= 20 and set(readable) <= set(CODES)
