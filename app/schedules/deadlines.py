"""Deadlines: a task's due date raises its priority as it approaches; overdue tasks are listed.

Two days before its due date an open task is at least ``high``; on the day (or once overdue)
it is ``urgent``. Priorities are only ever raised, each change with an event saying why.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.core.status import TERMINAL, Priority
from app.store.db import Database
from app.store.rows import TaskRow, as_date
from app.store.writer import Writer

HIGH_WITHIN_DAYS = 2
_OPEN = "status NOT IN ({})".format(", ".join(f"'{s.value}'" for s in TERMINAL))


def target_priority(due: date, today: date) -> Priority | None:
    """The least priority a task due on ``due`` should have ``today``."""
    if due <= today:
        return Priority.URGENT
    if due - today <= timedelta(days=HIGH_WITHIN_DAYS):
        return Priority.HIGH
    return None


def is_overdue(due: date | None, status: str, today: date) -> bool:
    """An open task whose due date has passed (the rule ``overdue_tasks`` applies in SQL)."""
    return due is not None and due < today and status not in {s.value for s in TERMINAL}


def raise_priorities(db: Database, *, today: date) -> list[int]:
    """Raise the priority of open tasks whose due date is near; returns the ids changed."""
    horizon = (today + timedelta(days=HIGH_WITHIN_DAYS)).isoformat()
    with db.raw_read() as conn:
        candidates = conn.execute(f"SELECT id, due, priority FROM task WHERE due IS NOT NULL AND due <= ? AND {_OPEN} "
                                  "AND priority != 'urgent'", (horizon,)).fetchall()
    changes = []
    for task_id, due, priority in candidates:
        target = target_priority(as_date(due), today)  # type: ignore[arg-type]
        if target is not None and target.rank > Priority(priority).rank:
            changes.append((int(task_id), as_date(due), target))
    if not changes:
        return []
    writer = Writer(db)
    with db.raw_write() as conn:
        for task_id, due, target in changes:
            row = conn.execute("SELECT priority FROM task WHERE id = ?", (task_id,)).fetchone()
            if row is None or Priority(row[0]).rank >= target.rank:
                continue
            writer.update_task(conn, task_id, priority=target.value)
            why = "overdue" if due < today else ("due today" if due == today else f"due {due}")
            writer.event(conn, task_id, "priority", previous=row[0], priority=target.value, reason=why)
    return [task_id for task_id, _, _ in changes]


def overdue_tasks(db: Database, *, today: date) -> list[TaskRow]:
    """Open tasks whose due date has passed, the oldest due first."""
    with db.raw_read() as conn:
        return TaskRow.select(conn, f"due IS NOT NULL AND due < ? AND {_OPEN}", (today.isoformat(),), order="due, id")
