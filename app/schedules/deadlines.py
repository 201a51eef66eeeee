"""Deadlines: a task's due date raises its priority as it approaches; overdue tasks are listed.

Two days before its due date an open task is at least ``high``; on the day (or once overdue)
it is ``urgent``. Priorities are only ever raised, each change with an event saying why.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import col, select

from app.core.status import TERMINAL, Priority
from app.store.db import Database, utcnow
from app.store.journal import emit
from app.store.tables import Task

HIGH_WITHIN_DAYS = 2


def target_priority(due: date, today: date) -> Priority | None:
    """The least priority a task due on ``due`` should have ``today``."""
    if due <= today:
        return Priority.URGENT
    if due - today <= timedelta(days=HIGH_WITHIN_DAYS):
        return Priority.HIGH
    return None


def raise_priorities(db: Database, *, today: date) -> list[int]:
    """Raise the priority of open tasks whose due date is near; returns the ids changed."""
    horizon = today + timedelta(days=HIGH_WITHIN_DAYS)
    open_statuses = [s.value for s in TERMINAL]
    with db.read() as s:
        candidates = [(t.id, t.due, t.priority) for t in s.exec(
            select(Task).where(col(Task.due).is_not(None), col(Task.due) <= horizon,
                               col(Task.status).not_in(open_statuses), Task.priority != Priority.URGENT.value))]
    changes = []
    for task_id, due, priority in candidates:
        target = target_priority(due, today) if due is not None else None
        if target is not None and target.rank > Priority(priority).rank:
            changes.append((task_id, target))
    if not changes:
        return []
    with db.write() as s:
        for task_id, target in changes:
            task = s.get(Task, task_id)
            if task is None or task.due is None or Priority(task.priority).rank >= target.rank:
                continue
            previous = task.priority
            task.priority = target.value
            task.updated_at = utcnow()
            s.add(task)
            s.flush()
            why = "overdue" if task.due < today else ("due today" if task.due == today else f"due {task.due}")
            emit(db, s, task, "priority", previous=previous, priority=target.value, reason=why)
    return [task_id for task_id, _ in changes]


def overdue_tasks(db: Database, *, today: date) -> list[Task]:
    """Open tasks whose due date has passed, the oldest due first."""
    with db.read() as s:
        return list(s.exec(select(Task).where(col(Task.due).is_not(None), col(Task.due) < today,
                                              col(Task.status).not_in([x.value for x in TERMINAL]))
                           .order_by(col(Task.due), col(Task.id))))
