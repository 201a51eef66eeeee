"""The SQLite database: connection pragmas, migrations, read and write sessions.

Durability: WAL mode with ``synchronous=NORMAL``. A committed transaction survives a
crash of Bureau; a power cut can lose the last transactions committed in the second
or so before it (never corrupt the file, never half a transaction).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.core.errors import StoreError
from app.store.backup import prepare_open
from app.store.migrations import apply_migrations
from app.store.rows import EventRow

log = logging.getLogger(__name__)

DB_FILE = "bureau.db"
BUSY_TIMEOUT_MS = 10_000



@dataclass(frozen=True)
class ChangeEvent:
    """An appended event as listeners receive it (the same fields as the ``event`` row)."""

    id: int
    task_id: int | None
    kind: str
    status: str | None
    payload: str
    created_at: datetime


EventListener = Callable[[list[ChangeEvent]], None]


def utcnow() -> datetime:
    """Now, in UTC (stored with its offset)."""
    return datetime.now(UTC)


def sql_ts(value: datetime | None) -> str | None:
    """A datetime in the text form the SQLModel columns store (UTC, no offset)."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


class Database:
    """One SQLite file. Thread-safe: every session gets its own connection from the pool."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.path = home / DB_FILE
        self._listeners: list[EventListener] = []
        self._listeners_lock = threading.Lock()
        self._local = threading.local()
        self._raw_connections: list[sqlite3.Connection] = []
        with _translate_errors(self.path):
            prepare_open(self.path)  # quick_check, refuse a newer schema, back up before migrating
            raw = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                _configure(raw)
                apply_migrations(raw)
            finally:
                raw.close()

    def _raw(self) -> sqlite3.Connection:
        """This thread's own plain sqlite3 connection (autocommit mode: we issue BEGIN ourselves)."""
        conn = getattr(self._local, "raw", None)
        if conn is None:
            with _translate_errors(self.path):
                conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                                       check_same_thread=False)  # used by its own thread only; closed by close()
                _configure(conn)
            self._local.raw = conn
            with self._listeners_lock:
                self._raw_connections.append(conn)
        return conn

    @contextmanager
    def raw_write(self) -> Iterator[sqlite3.Connection]:
        """An IMMEDIATE transaction on a plain sqlite3 connection: the engine's hot path."""
        conn = self._raw()
        new_events: list[ChangeEvent] = []
        with _translate_errors(self.path):
            conn.execute("BEGIN IMMEDIATE")
            self._local.pending = new_events
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # SQLite has already rolled back after some errors (a full disk)
                    conn.execute("ROLLBACK")
                raise
            finally:
                self._local.pending = None
        if new_events:
            self._notify(new_events)

    @contextmanager
    def raw_read(self) -> Iterator[sqlite3.Connection]:
        """A consistent read snapshot on a plain sqlite3 connection."""
        conn = self._raw()
        with _translate_errors(self.path):
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def append_event(self, raw: sqlite3.Connection, *, task_id: int | None, kind: str, status: str | None,
                     payload: str) -> None:
        """Append to the event log inside the current write transaction; listeners hear after commit."""
        now = utcnow()
        cursor = raw.execute(
            "INSERT INTO event (task_id, kind, status, payload, created_at) VALUES (?, ?, ?, ?, ?)",
            (task_id, kind, status, payload, sql_ts(now)))
        pending = getattr(self._local, "pending", None)
        if pending is not None:
            pending.append(ChangeEvent(cursor.lastrowid or 0, task_id, kind, status, payload, now))

    # -- observers ----------------------------------------------------------------
    def subscribe(self, listener: EventListener) -> Callable[[], None]:
        """Call ``listener`` (on the committing thread) with events after each commit."""
        with self._listeners_lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._listeners_lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, events: list[ChangeEvent]) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(events)
            except Exception:  # the change is committed; a broken observer must not undo the caller's work
                log.exception("an event listener failed")

    def events_since(self, event_id: int, *, limit: int = 1000) -> list[EventRow]:
        """Events after ``event_id``: how other processes' changes are observed."""
        with self.raw_read() as conn:
            return EventRow.select(conn, "id > ? ORDER BY id LIMIT ?", (event_id, limit), order="")

    def integrity_check(self) -> str:
        with self.raw_read() as conn:
            return str(conn.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        with self._listeners_lock:
            raw, self._raw_connections = self._raw_connections, []
        for conn in raw:
            try:
                conn.close()
            except sqlite3.ProgrammingError:  # created in a thread that has ended
                pass


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise StoreError(
            f"SQLite could not switch the database to WAL mode (got {mode!r}).",
            fix="Keep the data folder on a local disk, not a network share.",
        )
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")


@contextmanager
def _translate_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's errors about the disk into messages that name the fix."""
    try:
        yield
    except (sqlite3.OperationalError, sqlite3.DatabaseError) as exc:
        text = str(getattr(exc, "orig", exc)).lower()
        if "disk is full" in text or "database or disk is full" in text:
            raise StoreError(
                f"The disk holding {path.parent} is full; nothing was saved from this change.",
                fix="Free some disk space and try again; everything saved before is intact.",
            ) from exc
        if "readonly" in text or "read-only" in text:
            raise StoreError(
                f"The data folder {path.parent} is read-only.",
                fix="Make it writable, or choose another folder with BUREAU_HOME or --home.",
            ) from exc
        if "unable to open" in text:
            raise StoreError(
                f"Cannot open the database {path}.",
                fix="Check that the data folder exists and is writable (BUREAU_HOME or --home).",
            ) from exc
        if "not a database" in text or "malformed" in text:
            raise StoreError(
                f"The database {path} is damaged or not a Bureau database.",
                fix="Restore it from a backup, or move it aside to start afresh.",
            ) from exc
        raise
