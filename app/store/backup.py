"""Backups of the one SQLite file: before migrations, daily, on request; checks at start; restore.

Every copy is made with SQLite's online backup API (``sqlite3.Connection.backup``) from a
read transaction, so it is consistent even while an engine writes (WAL readers do not block
writers). A copy is written to a temporary file, switched to a self-contained rollback
journal, synced and renamed: a backup file is either complete or absent.

Backups live in ``backups/`` in the data folder:

- ``pre-migration-v{old}-to-v{new}-{stamp}.db`` before a migration changes the schema;
- ``daily-{YYYY-MM-DD}.db`` once a day when an engine starts (the last seven are kept);
- ``bureau-{stamp}.db`` from `bureau backup` without a file;
- ``pre-restore-{stamp}.db``: what the database held before `bureau restore` replaced it.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from app.core.errors import StoreError
from app.store.migrations import MIGRATIONS

log = logging.getLogger(__name__)

BACKUP_DIR = "backups"
DAILY_KEEP = 7
DAILY_PREFIX = "daily-"
# PRAGMA quick_check reads the whole file (about 1 s for 100,000 tasks, 200 MB): every open checks a
# file up to this size; a bigger one is checked at its first open of the day (and before its daily backup).
ALWAYS_CHECK_BYTES = 64 * 1024 * 1024
CHECKED_MARKER = ".checked"
_TIMEOUT = 10.0


class NewerDatabase(StoreError):
    """The database was written by a newer Bureau: it is left untouched."""


class DamagedDatabase(StoreError):
    """The database fails SQLite's checks; ``backup`` is the newest backup to restore, if any."""

    def __init__(self, message: str, *, fix: str | None = None, path: Path, backup: Path | None) -> None:
        super().__init__(message, fix=fix)
        self.path = path
        self.backup = backup


class EngineRunning(StoreError):
    """An engine works on this data folder, so the database cannot be replaced now."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    bytes: int
    seconds: float
    tasks: int


def backup_dir(home: Path) -> Path:
    folder = home / BACKUP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S-%f")


# -- copying ------------------------------------------------------------------------------
def copy_database(source: Path | sqlite3.Connection, target: Path) -> BackupInfo:
    """A consistent copy of ``source`` (a path or an open connection) at ``target``, atomically."""
    started = time.perf_counter()
    target = target.expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=_TIMEOUT) if isinstance(source, Path) else source
    try:
        dst = sqlite3.connect(partial, isolation_level=None)
        try:
            src.backup(dst)  # pages=-1: the whole file in one step, inside one read transaction
            dst.execute("PRAGMA journal_mode = DELETE")  # the copy is one self-contained file
            tasks = _count_tasks(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"The backup to {target} failed: {exc}.",
                         fix="Check that the folder is writable and has free space, then try again.") from exc
    finally:
        if src is not source:
            src.close()
    _fsync(partial)
    os.replace(partial, target)
    _fsync_dir(target.parent)
    return BackupInfo(target, target.stat().st_size, time.perf_counter() - started, tasks)


def backups(home: Path) -> list[Path]:
    """The backups in the data folder, newest first."""
    folder = home / BACKUP_DIR
    if not folder.is_dir():
        return []
    files = [p for p in folder.glob("*.db") if p.is_file()]
    return sorted(files, key=lambda p: p.stat().st_mtime_ns, reverse=True)


def newest_backup(home: Path) -> Path | None:
    for path in backups(home):
        if not check_file(path):
            return path
    return None


def daily_backup(home: Path, db_path: Path, *, today: date | None = None, keep: int = DAILY_KEEP) -> Path | None:
    """Today's backup unless it exists (a stat when it does); keeps the newest ``keep`` daily ones."""
    if not db_path.exists():
        return None
    day = (today or datetime.now().date()).isoformat()
    folder = backup_dir(home)
    target = folder / f"{DAILY_PREFIX}{day}.db"
    made = None
    if not target.exists():
        made = copy_database(db_path, target).path
        problems = check_file(made)  # a damaged database must not push good backups out of the seven
        if problems:
            made.unlink(missing_ok=True)
            raise damaged(db_path, problems)
        _mark_checked(home)
        log.info("daily backup written to %s", made)
    dailies = sorted(folder.glob(f"{DAILY_PREFIX}*.db"), reverse=True)
    for old in dailies[keep:]:
        old.unlink(missing_ok=True)
    return made


# -- checks at start ----------------------------------------------------------------------
def check_file(path: Path) -> list[str]:
    """Problems ``PRAGMA quick_check`` finds (empty: healthy)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=_TIMEOUT)
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def schema_versions(conn: sqlite3.Connection) -> set[int]:
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").fetchone()
    if not has_table:
        return set()
    return {int(r[0]) for r in conn.execute("SELECT version FROM schema_migrations")}


def prepare_open(path: Path) -> Path | None:
    """Before the database is opened for use: check it, refuse a newer one, back up before migrating.

    Returns the pre-migration backup when one was made. Raises ``DamagedDatabase`` (nothing is
    replaced) or ``NewerDatabase`` (nothing is written).
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    home = path.parent
    check = _check_due(home, path)
    try:
        conn = sqlite3.connect(path, timeout=_TIMEOUT)
        try:
            problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check")] if check else ["ok"]
            versions = schema_versions(conn) if problems == ["ok"] else set()
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc).lower() or "unable to open" in str(exc).lower():
            raise  # not damage: the caller's error translation names the fix
        problems = [str(exc)]
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    if problems != ["ok"]:
        raise damaged(path, problems)
    if check and path.stat().st_size > ALWAYS_CHECK_BYTES:
        _mark_checked(home)
    known = {m.version for m in MIGRATIONS}
    unknown = sorted(versions - known)
    if unknown:
        raise NewerDatabase(
            f"The database {path} was written by a newer Bureau (schema version {max(unknown)}; this Bureau "
            f"knows up to {max(known)}). It was left untouched.",
            fix="Install the newer Bureau again, or restore a backup made by this version with `bureau restore FILE`.")
    pending = sorted(known - versions)
    if not versions or not pending:
        return None
    target = backup_dir(home) / f"pre-migration-v{max(versions)}-to-v{max(known)}-{stamp()}.db"
    info = copy_database(path, target)
    log.warning("backed up the database to %s before migrating it to schema version %s", target, max(known))
    return info.path


def _check_due(home: Path, path: Path) -> bool:
    if path.stat().st_size <= ALWAYS_CHECK_BYTES:
        return True
    marker = home / BACKUP_DIR / CHECKED_MARKER
    try:
        return marker.read_text().strip() != datetime.now().date().isoformat()
    except OSError:
        return True


def _mark_checked(home: Path) -> None:
    try:
        (backup_dir(home) / CHECKED_MARKER).write_text(datetime.now().date().isoformat())
    except OSError:
        pass


def damaged(path: Path, problems: list[str]) -> DamagedDatabase:
    backup = newest_backup(path.parent)
    detail = "; ".join(problems[:3])
    if backup is not None:
        fix = (f"Nothing was changed. Restore the newest backup with `bureau restore {backup}` "
               "(what the damaged file holds is kept aside), or move the file aside to start afresh.")
    else:
        fix = "Nothing was changed. There is no backup to restore; move the file aside to start afresh."
    return DamagedDatabase(f"The database {path} is damaged or not a Bureau database ({detail}).",
                           fix=fix, path=path, backup=backup)


# -- helpers ------------------------------------------------------------------------------
def _count_tasks(conn: sqlite3.Connection) -> int:
    try:
        return int(conn.execute("SELECT count(*) FROM task").fetchone()[0])
    except sqlite3.Error:
        return 0


def _fsync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_raw(path: Path, target: Path) -> None:
    """Keep a damaged file (and its WAL) aside byte for byte."""
    for suffix in ("", "-wal"):
        src = Path(f"{path}{suffix}")
        if src.exists():
            shutil.copy2(src, Path(f"{target}{suffix}"))
