"""Undoing the founder's last destructive action (today: cancel), for the desktop app's Ctrl+Z and the CLI.

An undone cancel is a retry to the state before it: the task goes back to the status it had
(a step that was running is queued again, its finished steps are kept) with the banner it
showed then, and the undo is recorded as the founder's decision.
"""

from __future__ import annotations

import json

from sqlmodel import col, select

from app.core.errors import InvalidTransition
from app.core.status import Status
from app.store.db import Database
from app.store.journal import add_decision, get_task, set_status
from app.store.tables import Event, Step, Task

_BACK_TO = {Status.RUNNING: Status.QUEUED}  # a step in flight was stopped: it runs again from the queue


def status_before_cancel(events: list[Event]) -> tuple[Status, str | None] | None:
    """The status (and banner) a cancelled task had just before its last cancel; None if it was not cancelled."""
    for i in range(len(events) - 1, -1, -1):
        e = events[i]
        if e.kind != "status" or e.status != Status.CANCELLED.value:
            continue
        previous = json.loads(e.payload or "{}").get("previous")
        if not previous:
            return None
        reason = next((json.loads(x.payload or "{}").get("reason") for x in reversed(events[:i])
                       if x.kind == "status"), None)
        return Status(previous), reason
    return None


def undo_cancel(db: Database, task_id: int) -> Task:
    """Put a cancelled task back where it was before the cancel."""
    with db.write() as s:
        task = get_task(s, task_id)
        if task.status != Status.CANCELLED.value:
            raise InvalidTransition(f"Task {task_id} is {Status(task.status).label}, not cancelled; nothing to undo.",
                                    fix="Only the last cancel of a task can be undone.")
        events = list(s.exec(select(Event).where(Event.task_id == task_id).order_by(col(Event.id))))
        before = status_before_cancel(events)
        if before is None:
            raise InvalidTransition(f"Task {task_id} has no earlier status to go back to.",
                                    fix=f"Use `bureau retry {task_id}` instead.")
        previous, reason = before
        target = _BACK_TO.get(previous, previous)
        for step in s.exec(select(Step).where(Step.task_id == task_id, col(Step.status) == "running")):
            step.status = "pending"
            s.add(step)
        add_decision(db, s, task, "founder", rationale=f"Cancel undone by the founder: back to {target.label}.",
                     payload={"action": "undo_cancel", "to": target.value})
        set_status(db, s, task, target, reason=reason)
        return task
