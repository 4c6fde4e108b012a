"""A small sqlite store of Reports, so that an unchanged file is not probed twice.

Keys (vidlint.run.cachekey) cover everything a verdict depends on. A store that cannot be read is
deleted and rebuilt; a row that no longer validates is a miss. The cache never decides a verdict.
The store also keeps the resolved setups of runs (vidlint.run.stored). Rows are written and read back
without pydantic (``Report.from_data``), so a run answered from the cache alone never loads it.

vidlint only ever writes to a database it created: the file has a name of its own
(``vidlint-cache.sqlite3``, so another application's ``results.sqlite3`` in the same folder is never
opened), and it carries vidlint's ``PRAGMA application_id``, which is read before anything is written,
dropped or created. A database with another application id, or none and tables of its own, or a path
that is no regular file, is left alone: the run goes on without a cache (``ReportCache.refused`` says
why, for the one-line warning).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from vidlint.run.cachedir import CACHE_ENV as CACHE_ENV
from vidlint.run.cachedir import cache_dir as cache_dir
from vidlint.run.cachekey import file_signature as file_signature
from vidlint.run.cachekey import report_key as report_key
from vidlint.run.cachekey import target_keys

if TYPE_CHECKING:
    from vidlint.model.report import Report
    from vidlint.run.stored import StoredSetup
    from vidlint.run.targets import Target

FILE_NAME = "vidlint-cache.sqlite3"
APPLICATION_ID = 0x564C4E54  # "VLNT": PRAGMA application_id of every store vidlint creates
_SCHEMA_VERSION = 6  # of vidlint's own stores (user_version); another layout of ours is replaced
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS reports (key TEXT PRIMARY KEY, report TEXT NOT NULL, stored REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS setups (key TEXT PRIMARY KEY, setup TEXT NOT NULL, stored REAL NOT NULL)",
)
_INSERT = "INSERT OR REPLACE INTO reports (key, report, stored) VALUES (?, ?, ?)"
_PRUNE = "DELETE FROM reports WHERE key IN (SELECT key FROM reports ORDER BY stored, rowid LIMIT ?)"
_INSERT_SETUP = "INSERT OR REPLACE INTO setups (key, setup, stored) VALUES (?, ?, ?)"
_PRUNE_SETUPS = "DELETE FROM setups WHERE key NOT IN (SELECT key FROM setups ORDER BY stored DESC LIMIT ?)"
MAX_ROWS = 100_000  # beyond this the oldest rows go: every edit of a file leaves its old key behind
MAX_SETUPS = 100  # one per working folder, configuration and -m choice in use
_LOOKUP_BATCH = 500  # keys per SELECT (sqlite allows at least 999 parameters)


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
        self.path = folder / FILE_NAME
        self.max_rows = max_rows
        self.busy_timeout_s = busy_timeout_s  # another vidlint writing (pre-commit runs several at once)
        self.read_only = read_only
        self.rebuilt = False
        self.refused: str | None = None  # why the file at ``path`` is not used (not vidlint's): a warning
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
        return parse_report(row[0]) if row else None

    def get_many(self, keys: Sequence[str]) -> dict[str, Report]:
        """The stored reports of those ``keys`` that have a well-formed row."""
        if self._db is None:
            return {}
        found: dict[str, Report] = {}
        try:
            for start in range(0, len(keys), _LOOKUP_BATCH):
                batch = keys[start : start + _LOOKUP_BATCH]
                marks = ",".join("?" * len(batch))
                rows = self._db.execute(f"SELECT key, report FROM reports WHERE key IN ({marks})", batch)
                found.update((key, report) for key, text in rows if (report := parse_report(text)))
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return {}
        return found

    def get_setup(self, key: str) -> StoredSetup | None:
        """The stored setup under ``key`` when its rule pack files are unchanged."""
        from vidlint.run.stored import StoredSetup

        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT setup FROM setups WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return None
        stored = StoredSetup.from_json(row[0]) if row else None
        return stored if stored is not None and stored.pack_files.current() else None

    def put_setup(self, key: str, stored: StoredSetup) -> None:
        if self._db is None or self.read_only:
            return
        try:
            with self._db:
                self._db.execute(_INSERT_SETUP, (key, stored.to_json(), time.time()))
                self._db.execute(_PRUNE_SETUPS, (MAX_SETUPS,))
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
        except ForeignStoreError as exc:
            self.refused = f"{self.path} is not vidlint's cache ({exc}); left alone, running without a cache"
            return None
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
            if not _regular_or_absent(self.path):
                return None
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return _connect(self.path, self.busy_timeout_s)
        except (sqlite3.DatabaseError, OSError, ForeignStoreError):
            return None


class ForeignStoreError(Exception):
    """The file at the cache's path is not a store vidlint created: it is never written to."""


def _regular_or_absent(path: Path) -> bool:
    """A FIFO or a link to a device at the cache's path would hang sqlite or be written through."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _connect_read_only(path: Path, timeout_s: float) -> sqlite3.Connection | None:
    """vidlint's own store of this layout, opened read-only; None for anything else (left alone)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
    except OSError:
        return None
    try:
        db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=timeout_s)
    except sqlite3.DatabaseError:
        return None
    try:
        if _marks(db) == (APPLICATION_ID, _SCHEMA_VERSION):
            return db
    except sqlite3.DatabaseError:
        pass
    db.close()
    return None


def _marks(db: sqlite3.Connection) -> tuple[int, int]:
    """The database's application id and user version (both 0 in a new, empty file)."""
    application_id = int(db.execute("PRAGMA application_id").fetchone()[0])
    return application_id, int(db.execute("PRAGMA user_version").fetchone()[0])


def _connect(path: Path, timeout_s: float) -> sqlite3.Connection:
    """A connection to vidlint's store at ``path``, created when there is none. Raises
    ForeignStoreError, having written nothing, when the file is another application's; a sqlite3
    error when it is not a database at all (then it is vidlint's own, damaged: rebuilt)."""
    if not _regular_or_absent(path):
        raise ForeignStoreError("not a regular file")
    db = sqlite3.connect(path, timeout=timeout_s)
    try:
        if _marks(db) != (APPLICATION_ID, _SCHEMA_VERSION):
            _initialise(db)
        db.execute("SELECT COUNT(*) FROM reports").fetchone()  # fails here, not later, on a damaged file
        db.execute("SELECT COUNT(*) FROM setups").fetchone()
    except BaseException:
        db.close()
        raise
    return db


def _initialise(db: sqlite3.Connection) -> None:
    """Make a new, empty file vidlint's store, or replace the tables of an older layout of vidlint's
    own; anything else raises ForeignStoreError. Decided again under the write lock: two runs may
    start on the same new file."""
    db.execute("BEGIN IMMEDIATE")
    try:
        application_id, version = _marks(db)
        if (application_id, version) == (APPLICATION_ID, _SCHEMA_VERSION):  # another run was first
            db.commit()
            return
        if application_id == APPLICATION_ID:
            for table in ("reports", "plans", "setups"):  # "plans": the name before schema 3
                db.execute(f"DROP TABLE IF EXISTS {table}")
        elif application_id != 0:
            raise ForeignStoreError(f"its application_id is {application_id:#x}")
        elif db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
            raise ForeignStoreError("a database without vidlint's application_id")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        for statement in _SCHEMA:
            db.execute(statement)
        db.commit()
    except BaseException:
        db.rollback()
        raise


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


def parse_report(text: str) -> Report | None:
    """The Report stored as ``text``; None when the row is not one (a damaged or foreign row is a miss)."""
    from vidlint.model.report import Report

    try:
        return Report.from_data(json.loads(text))
    except ValueError:
        return None


def answer_from_cache(
    targets: Sequence[Target],
    digests: Mapping[str, str],
    captions: Sequence[str],
    cache: ReportCache,
    metadata: Mapping[str, Any] | None,
) -> list[Report] | None:
    """Every report from the cache alone (nothing probed, no pack built), else None."""
    from vidlint.run.targets import with_captions

    paired = with_captions(targets, captions)
    if not paired or any(t.is_url for t in paired):
        return None
    unique = list(dict.fromkeys(paired))
    keys = {t: target_keys(t, digests, metadata) for t in unique}
    wanted = [k for per_target in keys.values() for k in per_target.values()]
    if any(k is None for k in wanted):
        return None  # a file without a stable identity is never cached
    found = cache.get_many([k for k in wanted if k is not None])
    if len(found) != len(set(wanted)):
        return None
    return [t.as_given(found[str(keys[t][m])]) for t in paired for m in digests]


class StoreInfo(NamedTuple):
    """What ``vidlint cache info`` says about the store at ``path``."""

    path: Path
    state: str  # "absent", "vidlint" (ours), or why it is left alone
    size: int = 0  # bytes, with sqlite's -wal and -shm files
    reports: int = 0
    setups: int = 0


_SIDE_FILES = ("-wal", "-shm", "-journal")


def store_info(folder: Path) -> StoreInfo:
    """The store in ``folder``: read only, never created; rows only of a store that is vidlint's."""
    path = folder / FILE_NAME
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return StoreInfo(path, "absent")
    except OSError as exc:
        return StoreInfo(path, f"cannot be read: {exc.strerror or exc}")
    if not stat.S_ISREG(info.st_mode):
        return StoreInfo(path, "not a regular file: left alone")
    size = info.st_size + sum(_size(Path(f"{path}{side}")) for side in _SIDE_FILES)
    mark = _application_id(path)
    if mark != APPLICATION_ID:
        why = "not a database" if mark is None else f"application_id {mark:#x}"
        return StoreInfo(path, f"not vidlint's ({why}): left alone", size)
    db = _connect_read_only(path, timeout_s=5.0)
    if db is None:  # ours, of another layout: the next run replaces it
        return StoreInfo(path, "vidlint (an older layout: replaced on the next run)", size)
    try:
        reports = int(db.execute("SELECT COUNT(*) FROM reports").fetchone()[0])
        setups = int(db.execute("SELECT COUNT(*) FROM setups").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        return StoreInfo(path, f"vidlint (unreadable: {exc}; rebuilt on the next run)", size)
    finally:
        db.close()
    return StoreInfo(path, "vidlint", size, reports, setups)


def clear_store(folder: Path) -> StoreInfo:
    """Delete vidlint's own store in ``folder`` (and sqlite's side files), after reading its
    application_id; anything else under that name is left alone and raises ForeignStoreError."""
    info = store_info(folder)
    if info.state == "absent":
        return info
    if not info.state.startswith("vidlint"):
        raise ForeignStoreError(f"{info.path}: {info.state}")
    for side in ("", *_SIDE_FILES):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{info.path}{side}")
    return info


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _application_id(path: Path) -> int | None:
    """The application_id in the database header (bytes 68-71), read without sqlite; None when the
    file does not start like an sqlite database."""
    try:
        with open(path, "rb") as stream:
            header = stream.read(100)
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return None
    return int.from_bytes(header[68:72], "big")
