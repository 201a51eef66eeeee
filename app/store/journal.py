"""Store helpers for the services (ORM sessions): status changes with their events, decisions."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from agents.ceo import Plan
from app.core.errors import task_not_found
from app.core.status import Status
from app.store.db import Database, utcnow
from app.store.tables import Decision, Event, Task


def get_task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise task_not_found(task_id)
    return task


def emit(db: Database, session: Session, task: Task | None, kind: str, **payload: Any) -> None:
    db.add_event(
        session,
        Event(
            task_id=task.id if task is not None else None,
            kind=kind,
            status=task.status if task is not None else None,
            payload=json.dumps(payload, default=str),
            created_at=utcnow(),
        ),
    )


def set_status(db: Database, session: Session, task: Task, status: Status, *, reason: str | None = None) -> None:
    """Change the status and append the event; ``reason`` is what the founder is told."""
    previous = task.status
    task.status = status.value
    task.waiting_reason = reason
    task.updated_at = utcnow()
    session.add(task)
    session.flush()
    emit(db, session, task, "status", previous=previous, reason=reason)


def add_decision(db: Database, session: Session, task: Task, kind: str, *, team: str | None = None,
                 confidence: float | None = None, rationale: str = "", payload: dict[str, Any] | None = None) -> Decision:
    decision = Decision(task_id=task.id, kind=kind, team=team, confidence=confidence, rationale=rationale,
                        payload=json.dumps(payload or {}, default=str), created_at=utcnow())
    session.add(decision)
    session.flush()
    emit(db, session, task, "decision", decision=kind, team=team)
    return decision


def plan_payload(plan: Plan) -> dict[str, Any]:
    return plan.to_json()
