"""A small sqlite store of Reports, so that an unchanged file is not probed twice.

A key covers everything a verdict depends on: the file (path, size, mtime, inode), its caption sidecar,
the marketplace's rule pack content, the request metadata and vidlint's version. A store that cannot be
read is deleted and rebuilt; a row that no longer validates is a miss. The cache never decides a verdict.
The store also keeps the plans of runs (vidlint.run.stored). Rows are written without pydantic, and verdicts
are read back without it (``CachedReport``) for a run that is answered from the cache alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from vidlint import __version__
from vidlint.run.cachedir import CACHE_ENV as CACHE_ENV
from vidlint.run.cachedir import cache_dir as cache_dir

if TYPE_CHECKING:
    from vidlint.model.report import Report
    from vidlint.run.stored import Plan

_FILE_NAME = "results.sqlite3"
_SCHEMA_VERSION = 2
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS reports (key TEXT PRIMARY KEY, report TEXT NOT NULL, stored REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS plans (key TEXT PRIMARY KEY, plan TEXT NOT NULL, stored REAL NOT NULL)",
)
_INSERT = "INSERT OR REPLACE INTO reports (key, report, stored) VALUES (?, ?, ?)"
_PRUNE = "DELETE FROM reports WHERE key IN (SELECT key FROM reports ORDER BY stored, rowid LIMIT ?)"
_INSERT_PLAN = "INSERT OR REPLACE INTO plans (key, plan, stored) VALUES (?, ?, ?)"
_PRUNE_PLANS = "DELETE FROM plans WHERE key NOT IN (SELECT key FROM plans ORDER BY stored DESC LIMIT ?)"
MAX_ROWS = 100_000  # beyond this the oldest rows go: every edit of a file leaves its old key behind
MAX_PLANS = 100  # one per working folder, configuration and -m choice in use
_LOOKUP_BATCH = 500  # keys per SELECT (sqlite allows at least 999 parameters)
_REPORT_KEYS = frozenset({"source", "marketplace", "findings", "facts"})  # as stored: no computed fields
_FINDING_KEYS = frozenset({"code", "severity", "documented", "rule", "message", "expected", "actual"})


class CachedFinding(NamedTuple):
    """A stored Finding, read back without validation by pydantic (vidlint.reporters.common.FindingView)."""

    code: str
    severity: str
    documented: bool
    rule: str
    message: str
    expected: str | None = None
    actual: str | None = None


class CachedReport(NamedTuple):
    """A stored Report's verdict (its facts are not read): what the reporters show of a Report."""

    source: str
    marketplace: str
    findings: tuple[CachedFinding, ...] = ()

    @property
    def passed(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


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

    def __init__(
        self,
        folder: Path,
        *,
        max_rows: int = MAX_ROWS,
        busy_timeout_s: float = 2.0,
        read_only: bool = False,
    ) -> None:
        """``read_only``: only an existing store of this layout is read; nothing is created, upgraded,
        rebuilt or written (a run that may still fail before checking anything leaves no trace)."""
        self.path = folder / _FILE_NAME
        self.max_rows = max_rows
        self.busy_timeout_s = busy_timeout_s  # another vidlint writing (pre-commit runs several at once)
        self.read_only = read_only
        self.rebuilt = False
        self._db: sqlite3.Connection | None = None
        self._db = _connect_read_only(self.path, busy_timeout_s) if read_only else self._open(folder)

    def get(self, key: str) -> Report | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT report FROM reports WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return None
        return _parse(row[0]) if row else None

    def get_verdicts(self, keys: Sequence[str]) -> dict[str, CachedReport]:
        """The stored verdicts of those ``keys`` that have a well-formed row (without pydantic)."""
        if self._db is None:
            return {}
        found: dict[str, CachedReport] = {}
        try:
            for start in range(0, len(keys), _LOOKUP_BATCH):
                batch = keys[start : start + _LOOKUP_BATCH]
                marks = ",".join("?" * len(batch))
                rows = self._db.execute(f"SELECT key, report FROM reports WHERE key IN ({marks})", batch)
                found.update((key, verdict) for key, text in rows if (verdict := parse_verdict(text)))
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return {}
        return found

    def get_plan(self, key: str) -> Plan | None:
        """The stored plan under ``key`` when its rule pack files are unchanged."""
        from vidlint.run.stored import Plan

        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT plan FROM plans WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return None
        plan = Plan.from_json(row[0]) if row else None
        return plan if plan is not None and plan.pack_files.current() else None

    def put_plan(self, key: str, plan: Plan) -> None:
        if self._db is None or self.read_only:
            return
        try:
            with self._db:
                self._db.execute(_INSERT_PLAN, (key, plan.to_json(), time.time()))
                self._db.execute(_PRUNE_PLANS, (MAX_PLANS,))
        except sqlite3.DatabaseError as exc:
            self._failed(exc)

    def put_many(self, items: Iterable[tuple[str, Report]]) -> None:
        if self._db is None or self.read_only:
            return
        now = time.time()
        rows = [(key, text, now) for key, report in items if (text := stored_text(report)) is not None]
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
        """A busy store is skipped for this run; a damaged one is rebuilt (by a writer)."""
        if isinstance(exc, sqlite3.OperationalError) or self.read_only:
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


def _connect_read_only(path: Path, timeout_s: float) -> sqlite3.Connection | None:
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=timeout_s)
    except sqlite3.DatabaseError:
        return None
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] == _SCHEMA_VERSION:
            return db
    except sqlite3.DatabaseError:
        pass
    db.close()
    return None


def _connect(path: Path, timeout_s: float) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=timeout_s)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version != _SCHEMA_VERSION:
        db.execute("DROP TABLE IF EXISTS reports")
        db.execute("DROP TABLE IF EXISTS plans")
        db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
    for statement in _SCHEMA:
        db.execute(statement)
    db.execute("SELECT COUNT(*) FROM reports").fetchone()  # fails here, not later, on a damaged file
    db.commit()
    return db


def stored_text(report: Report) -> str | None:
    """A Report as a row stores it: its JSON without the computed values (``passed`` and the display
    sizes, worked out again when read). None for text sqlite cannot hold (a path that is not UTF-8)."""
    from vidlint.model.facts import as_data

    text = json.dumps(as_data(report, computed=False), ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode()
    except UnicodeEncodeError:
        return None
    return text


def _parse(text: str) -> Report | None:
    from pydantic import ValidationError

    from vidlint.model.facts import adapter
    from vidlint.model.report import Report

    try:
        return adapter(Report).validate_json(text)
    except ValidationError:
        return None


def parse_verdict(text: str) -> CachedReport | None:
    """The verdict of a stored Report, or None when the row is not one Report would validate as
    (the fields read are checked as strictly as pydantic checks them; the facts are not read)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or not _REPORT_KEYS.issuperset(data):
        return None
    source, marketplace, items = data.get("source"), data.get("marketplace"), data.get("findings", [])
    if not (isinstance(source, str) and isinstance(marketplace, str) and isinstance(items, list)):
        return None
    if not isinstance(data.get("facts"), dict | None):
        return None
    findings = [_finding(item) for item in items]
    valid = [f for f in findings if f is not None]
    return CachedReport(source, marketplace, tuple(valid)) if len(valid) == len(findings) else None


def _finding(item: object) -> CachedFinding | None:
    if not isinstance(item, dict) or not _FINDING_KEYS.issuperset(item):
        return None
    code, rule, message = (item.get(key) for key in ("code", "rule", "message"))
    expected, actual = item.get("expected"), item.get("actual")
    severity, documented = item.get("severity"), item.get("documented")
    if not (isinstance(code, str) and isinstance(rule, str) and isinstance(message, str)):
        return None
    if not (_text_or_none(expected) and _text_or_none(actual)):
        return None
    if severity not in ("error", "warning") or not isinstance(documented, bool):
        return None
    return CachedFinding(code, str(severity), documented, rule, message, expected, actual)


def _text_or_none(value: object) -> bool:
    return value is None or isinstance(value, str)
