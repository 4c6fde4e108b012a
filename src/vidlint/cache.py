"""A small sqlite store of Reports, so that an unchanged file is not probed twice.

A key covers everything a verdict depends on: the file (path, size, mtime, inode), its caption sidecar,
the marketplace's rule pack content, the request metadata and vidlint's version. A store that cannot be
read is deleted and rebuilt; a row that no longer validates is a miss. The cache never decides a verdict.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from vidlint import __version__
from vidlint.report import Report

CACHE_ENV = "VIDLINT_CACHE_DIR"
_FILE_NAME = "results.sqlite3"
_SCHEMA_VERSION = 2
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS reports (key TEXT PRIMARY KEY, report TEXT NOT NULL, stored REAL NOT NULL)"
)
_INSERT = "INSERT OR REPLACE INTO reports (key, report, stored) VALUES (?, ?, ?)"
_PRUNE = "DELETE FROM reports WHERE key IN (SELECT key FROM reports ORDER BY stored, rowid LIMIT ?)"
MAX_ROWS = 100_000  # beyond this the oldest rows go: every edit of a file leaves its old key behind


def cache_dir() -> Path:
    """$VIDLINT_CACHE_DIR, else the user's cache folder."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    import platformdirs  # here, not at the top: it costs ~10 ms of start-up

    return Path(platformdirs.user_cache_dir("vidlint", appauthor=False))


def file_signature(path: str) -> list[Any] | None:
    """What identifies one version of a file; None when it cannot be stat'ed (never cached then)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [os.path.abspath(path), st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev]


def report_key(
    source: str,
    caption: str | None,
    marketplace: str,
    pack_digest: str,
    extra: Mapping[str, Any] | None = None,
) -> str | None:
    """The cache key of one (file, marketplace) verdict, or None when the file has no stable identity."""
    signature = file_signature(source)
    caption_signature = file_signature(caption) if caption else None
    if signature is None or (caption and caption_signature is None):
        return None
    material = [__version__, signature, caption_signature, marketplace, pack_digest, extra or {}]
    blob = json.dumps(material, sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.sha256(blob.encode()).hexdigest()


class ReportCache:
    """Reports by key. Every failure to read or write degrades to a miss, never to an error."""

    def __init__(self, folder: Path, *, max_rows: int = MAX_ROWS, busy_timeout_s: float = 2.0) -> None:
        self.path = folder / _FILE_NAME
        self.max_rows = max_rows
        self.busy_timeout_s = busy_timeout_s  # another vidlint writing (pre-commit runs several at once)
        self.rebuilt = False
        self._db: sqlite3.Connection | None = None
        self._db = self._open(folder)

    def get(self, key: str) -> Report | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT report FROM reports WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return None
        return _parse(row[0]) if row else None

    def put_many(self, items: Iterable[tuple[str, Report]]) -> None:
        if self._db is None:
            return
        now = time.time()
        rows = [(key, report.model_dump_json(exclude_computed_fields=True), now) for key, report in items]
        if not rows:
            return
        try:
            with self._db:
                self._db.executemany(_INSERT, rows)
                self._prune(self._db)
        except sqlite3.DatabaseError as exc:
            self._failed(exc)

    def _prune(self, db: sqlite3.Connection) -> None:
        excess = db.execute("SELECT COUNT(*) FROM reports").fetchone()[0] - self.max_rows
        if excess > 0:
            db.execute(_PRUNE, (excess,))

    def row_count(self) -> int:
        if self._db is None:
            return 0
        try:
            return int(self._db.execute("SELECT COUNT(*) FROM reports").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return 0

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _open(self, folder: Path) -> sqlite3.Connection | None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None  # a read-only home: run without a cache
        try:
            return _connect(self.path, self.busy_timeout_s)
        except sqlite3.OperationalError:
            return None  # cannot open it (permissions, locked by another run): no cache this time
        except sqlite3.DatabaseError:
            return self._rebuild()

    def _failed(self, exc: sqlite3.DatabaseError) -> None:
        """A busy store is skipped for this run; a damaged one is rebuilt."""
        if isinstance(exc, sqlite3.OperationalError):
            self.close()
        else:
            self._db = self._rebuild()

    def _rebuild(self) -> sqlite3.Connection | None:
        """Delete a store that cannot be trusted and start an empty one."""
        self.rebuilt = True
        self.close()
        try:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return _connect(self.path, self.busy_timeout_s)
        except (sqlite3.DatabaseError, OSError):
            return None


def _connect(path: Path, timeout_s: float) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=timeout_s)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version != _SCHEMA_VERSION:
        db.execute("DROP TABLE IF EXISTS reports")
        db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
    db.execute(_SCHEMA)
    db.execute("SELECT COUNT(*) FROM reports").fetchone()  # fails here, not later, on a damaged file
    db.commit()
    return db


def _parse(text: str) -> Report | None:
    try:
        return Report.model_validate_json(text)
    except ValidationError:
        return None
