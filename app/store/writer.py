"""The one writer of status changes, decisions and events, used by the services and the engine alike.

Every function works inside the caller's write transaction (``Database.raw_write``) on its
plain sqlite3 connection; the events reach listeners after that transaction commits.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from app.core.status import Status
from app.store.db import Database, sql_ts, utcnow

if TYPE_CHECKING:
    from app.store.payloads import _Payload

# Columns of ``task`` a service or the engine may change with ``update_task``.
_TASK_FIELDS = frozenset({"team", "confidence", "round", "budget", "recoveries", "requested_team", "priority",
                          "due", "title", "claimed_by", "lease_until"})


class Writer:
    """Writes the task's history: status changes (with their event), decisions, events."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def status_of(self, conn: sqlite3.Connection, task_id: int) -> str | None:
        row = conn.execute("SELECT status FROM task WHERE id = ?", (task_id,)).fetchone()
        return row[0] if row else None

    def set_status(self, conn: sqlite3.Connection, task_id: int, status: Status, *, reason: str | None = None,
                   only_from: Iterable[Status] | None = None) -> bool:
        """Move the task to ``status`` (from one of ``only_from``); the status event tells everyone."""
        previous = self.status_of(conn, task_id)
        if previous is None or (only_from is not None and previous not in {x.value for x in only_from}):
            return False
        conn.execute("UPDATE task SET status = ?, waiting_reason = ?, updated_at = ? WHERE id = ?",
                     (status.value, reason, sql_ts(utcnow()), task_id))
        self.event(conn, task_id, "status", status=status.value, previous=previous, reason=reason)
        return True

    def add_decision(self, conn: sqlite3.Connection, task_id: int, kind: str, payload: _Payload, *,
                     team: str | None = None, confidence: float | None = None, rationale: str = "") -> int:
        cursor = conn.execute(
            "INSERT INTO decision (task_id, kind, team, confidence, rationale, payload, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (task_id, kind, team, confidence, rationale, payload.dump(), sql_ts(utcnow())))
        self.event(conn, task_id, "decision", decision=kind, team=team)
        return int(cursor.lastrowid or 0)

    def update_task(self, conn: sqlite3.Connection, task_id: int, **values: Any) -> None:
        unknown = set(values) - _TASK_FIELDS
        if unknown:
            raise ValueError(f"not task fields a writer may change: {', '.join(sorted(unknown))}")
        if not values:
            return
        assignments = ", ".join(f"{name} = ?" for name in values)
        conn.execute(f"UPDATE task SET {assignments}, updated_at = ? WHERE id = ?",
                     (*values.values(), sql_ts(utcnow()), task_id))

    def event(self, conn: sqlite3.Connection, task_id: int | None, kind: str, *, status: str | None = None,
              **payload: Any) -> None:
        """Append an event; ``status`` defaults to the task's current one."""
        if status is None and task_id is not None:
            status = self.status_of(conn, task_id)
        self.db.append_event(conn, task_id=task_id, kind=kind, status=status,
                             payload=json.dumps(payload, default=str))
