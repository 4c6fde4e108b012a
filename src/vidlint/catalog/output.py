"""JSON Lines results: one line per source and marketplace, written and flushed as each source completes.

Each line is a result of ``--format json`` (``path``, ``caption``, ``marketplace``, ``passed``,
``findings``) with the ``vidlint`` version, so ``jq`` and a resumed run read it alike. The lines of a
source are written together and flushed, so a run killed at any moment keeps every source it finished
(at worst one cut line, which a resumed run ignores and ends with a newline). ``--resume`` reads the
file first and skips each source that has a line for every selected marketplace; sources are
remembered by a 16-byte digest, so a million done sources cost tens of MB, not the URLs themselves.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from vidlint import __version__
from vidlint.catalog.runner import Result
from vidlint.model.report import Report
from vidlint.reporters.json import FINDING_KEYS


def line(report: Report) -> dict[str, Any]:
    return {
        "vidlint": __version__,
        "path": report.source,
        "caption": report.caption,
        "marketplace": report.marketplace,
        "passed": report.passed,
        "findings": [{key: getattr(f, key) for key in FINDING_KEYS} for f in report.findings],
    }


def write_result(out: TextIO, result: Result) -> None:
    out.write("".join(json.dumps(line(r), ensure_ascii=True) + "\n" for r in result.reports))
    out.flush()


def digest(source: str) -> bytes:
    return hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class Done:
    """The sources a previous run finished, read from its JSON Lines file."""

    def __init__(self, marketplaces: Sequence[str]) -> None:
        self._wanted = set(marketplaces)
        self._seen: Counter[bytes] = Counter()
        self.count = 0

    def read(self, path: str) -> None:
        """Count each source's lines of the selected marketplaces; a cut or foreign line is skipped."""
        if not os.path.exists(path):
            return
        with open(path, encoding="utf-8", errors="replace") as stream:
            for row in _rows(stream):
                if row.get("marketplace") in self._wanted and isinstance(row.get("path"), str):
                    self._seen[digest(row["path"])] += 1
        self.count = sum(1 for n in self._seen.values() if n >= len(self._wanted))

    def __contains__(self, source: str) -> bool:
        return self._seen.get(digest(source), 0) >= len(self._wanted)


def _rows(stream: TextIO) -> Iterator[dict[str, Any]]:
    for text in stream:
        try:
            row = json.loads(text)
        except ValueError:
            continue
        if isinstance(row, dict):
            yield row


def open_append(path: str) -> TextIO:
    """``path`` opened to add lines, after a newline if a killed run left a cut last line."""
    stream = open(path, "a+", encoding="utf-8", newline="")  # noqa: SIM115  # the caller closes it
    size = stream.seek(0, os.SEEK_END)
    if size:
        stream.seek(size - 1)
        last = stream.read(1)
        stream.seek(0, os.SEEK_END)
        if last != "\n":
            stream.write("\n")
    return stream
