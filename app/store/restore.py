"""Restoring a backup, and knowing whether an engine runs on this data folder.

An engine announces itself by holding a shared lock on ``engines.lock`` in the data folder
for as long as it lives (the lock goes with the process, even on a crash); restore takes
the exclusive lock, so no engine can start while the file is replaced. Claims held by live
processes (``task.claimed_by`` with a lease in the future) are checked too, which also
covers engines on systems without ``fcntl`` and engines on other machines.
"""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from app.core.errors import InvalidInput
from app.store.backup import (
    EngineRunning,
    NewerDatabase,
    backup_dir,
    check_file,
    copy_database,
    copy_raw,
    schema_versions,
    stamp,
)
from app.store.migrations import MIGRATIONS

try:
    import fcntl
except ImportError:  # Windows: the claims check alone
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = "engines.lock"
DB_FILE = "bureau.db"


class EnginePresence:
    """Held while an engine may run on ``home``; ``release()`` (or process exit) ends it."""

    def __init__(self, home: Path) -> None:
        self._file: IO[bytes] | None = None
        if fcntl is None:
            return
        self._file = open(home / LOCK_FILE, "ab")  # noqa: SIM115 - held for the engine's life
        fcntl.flock(self._file.fileno(), fcntl.LOCK_SH)

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the lock
            self._file = None


@contextmanager
def no_engine(home: Path) -> Iterator[None]:
    """Hold the data folder against engines starting; raise ``EngineRunning`` if one runs."""
    lock: IO[bytes] | None = None
    if fcntl is not None:
        lock = open(home / LOCK_FILE, "ab")  # noqa: SIM115
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise _running("an engine (the app or `bureau run`)") from None
    try:
        holders = live_claims(home / DB_FILE)
        if holders:
            raise _running(f"an engine ({holders[0]})")
        yield
    finally:
        if lock is not None:
            lock.close()


def _running(who: str) -> EngineRunning:
    return EngineRunning(f"{who[0].upper()}{who[1:]} is working on this data folder, so it cannot be restored now.",
                         fix="Close the Bureau app and stop `bureau run`, then restore again.")


def live_claims(db_path: Path) -> list[str]:
    """Engines holding unexpired claims whose process may be alive."""
    if not db_path.exists() or check_file(db_path):
        return []
    conn = sqlite3.connect(db_path, timeout=10)
    try:
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        rows = conn.execute("SELECT DISTINCT claimed_by FROM task WHERE claimed_by IS NOT NULL "
                            "AND lease_until >= ?", (now,)).fetchall()
    except sqlite3.Error:
        return []
    finally:
        conn.close()
    return [str(r[0]) for r in rows if not _gone(str(r[0]))]


def _gone(holder: str) -> bool:
    """A claim holder ("host:pid:tag") that is a process of this machine that has ended."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    previous_kept_at: Path | None
    tasks: int


def restore(home: Path, source: Path) -> RestoreResult:
    """Replace the data folder's database with ``source`` (a Bureau backup); the old one is kept aside."""
    source = source.expanduser().resolve()
    if not source.is_file():
        raise InvalidInput(f"There is no backup file {source}.", fix="List the backups with `bureau backup --list`.")
    problems = check_file(source)
    if problems:
        raise InvalidInput(f"{source} is damaged or not a database ({'; '.join(problems[:2])}).",
                           fix="Choose another backup (`bureau backup --list`).")
    conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        versions = schema_versions(conn)
        has_tasks = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'task'").fetchone()
    finally:
        conn.close()
    if not versions or not has_tasks:
        raise InvalidInput(f"{source} is not a Bureau database.", fix="Choose a file `bureau backup` wrote.")
    unknown = versions - {m.version for m in MIGRATIONS}
    if unknown:
        raise NewerDatabase(f"{source} was written by a newer Bureau (schema version {max(unknown)}).",
                            fix="Restore it with that newer Bureau, or choose an older backup.")
    db_path = home / DB_FILE
    with no_engine(home):
        kept: Path | None = None
        if db_path.exists():
            kept = backup_dir(home) / f"pre-restore-{stamp()}.db"
            if check_file(db_path):
                copy_raw(db_path, kept)  # damaged: keep its bytes as they are
            else:
                copy_database(db_path, kept)
        incoming = home / f".{DB_FILE}.restoring"
        info = copy_database(source, incoming)
        for suffix in ("-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        os.replace(incoming, db_path)
    return RestoreResult(source, kept, info.tasks)
