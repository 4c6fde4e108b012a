"""The sandboxes' verdicts come from vidlint itself: the received bytes are checked with the rule pack."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from vidlint.clients.preflight import run_check
from vidlint.errors import VidlintError

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Verdict:
    """``errors`` are (code, message) pairs in the report's order; empty means accepted."""

    errors: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


def judge_file(path: Path, marketplace: str, *, caption: Path | None = None, unreadable_code: str) -> Verdict:
    """Check a received file as the provider would; a file vidlint cannot read gets ``unreadable_code``."""
    try:
        report = run_check(path, marketplace, None, caption)
    except VidlintError as exc:
        return Verdict(((unreadable_code, str(exc)),))
    return Verdict(tuple((f.code, f.message) for f in report.findings if f.severity == "error"))


class Judge:
    """A small pool so processing runs in the background, as the providers' does."""

    def __init__(self, marketplace: str, unreadable_code: str, workers: int = 2) -> None:
        self.marketplace = marketplace
        self.unreadable_code = unreadable_code
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"judge-{marketplace}")

    def submit(self, path: Path, *, caption: Path | None = None) -> Future[Verdict]:
        return self._pool.submit(
            judge_file, path, self.marketplace, caption=caption, unreadable_code=self.unreadable_code
        )

    def run(self, job: Callable[[], T]) -> Future[T]:
        """Any background job (a download followed by a check, say)."""
        return self._pool.submit(job)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
