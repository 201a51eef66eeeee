"""Undoing the founder's last destructive action (today: cancel), for the desktop app's Ctrl+Z.

An undone cancel is a retry to the state before it: the task goes back to the status it had
(a step that was running is queued again; finished steps are kept) with the banner it showed
then, and the undo is recorded as the founder's decision. Written through the one writer.
"""

from __future__ import annotations

import json
import sqlite3

from app.core.errors import InvalidTransition, task_not_found
from app.core.status import Status
from app.store.db import Database
from app.store.payloads import FounderPayload
from app.store.rows import TaskRow
from app.store.writer import Writer

_BACK_TO = {Status.RUNNING: Status.QUEUED}  # a step in flight was stopped: it runs again from the queue


def status_before_cancel(events: list[tuple[str | None, str]]) -> tuple[Status, str | None] | None:
    """From a task's status events (status, payload JSON), oldest first: the status and banner it had just
    before its last cancel; None when it was not cancelled."""
    for i in range(len(events) - 1, -1, -1):
        status, payload = events[i]
        if status != Status.CANCELLED.value:
            continue
        previous = json.loads(payload or "{}").get("previous")
        if not previous:
            return None
        reason = json.loads(events[i - 1][1] or "{}").get("reason") if i > 0 else None
        return Status(previous), reason
    return None


def undo_cancel(db: Database, writer: Writer, task_id: int) -> TaskRow:
    """Put a cancelled task back where it was before the cancel."""
    with db.raw_write() as conn:
        task = _task(conn, task_id)
        if task.status != Status.CANCELLED.value:
            raise InvalidTransition(f"Task {task_id} is {Status(task.status).label}, not cancelled; nothing to undo.",
                                    fix="Only the last cancel of a task can be undone.")
        events = conn.execute("SELECT status, payload FROM event WHERE task_id = ? AND kind = 'status' ORDER BY id",
                              (task_id,)).fetchall()
        before = status_before_cancel([(e[0], e[1]) for e in events])
        if before is None:
            raise InvalidTransition(f"Task {task_id} has no earlier status to go back to.",
                                    fix=f"Retry it instead (`bureau retry {task_id}`).")
        previous, reason = before
        target = _BACK_TO.get(previous, previous)
        conn.execute("UPDATE step SET status = 'pending' WHERE task_id = ? AND status = 'running'", (task_id,))
        writer.add_decision(conn, task_id, "founder", FounderPayload(action="undo_cancel", note=target.value),
                            rationale=f"Cancel undone by the founder: back to {target.label}.")
        writer.set_status(conn, task_id, target, reason=reason)
        return _task(conn, task_id)


def _task(conn: sqlite3.Connection, task_id: int) -> TaskRow:
    rows = TaskRow.select(conn, "id = ?", (task_id,))
    if not rows:
        raise task_not_found(task_id)
    return rows[0]
