"""Shared store helpers: status changes with their events, decisions, plans and the journal."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, select

from agents.ceo import Plan, PlannedStep
from app.errors import NotFound
from app.status import Status
from app.store.db import Database, utcnow
from app.store.tables import Decision, Event, Step, Task


def get_task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound(f"There is no task {task_id}.", fix="List the tasks with `bureau tasks`.")
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
    return {
        "shape": plan.shape,
        "steps": [{"key": s.key, "team": s.team, "text": s.text, "depends_on": list(s.depends_on)} for s in plan.steps],
    }


def current_plan(session: Session, task_id: int) -> Plan | None:
    """The newest plan: the CEO's, or the founder's (a reassignment)."""
    rows = session.exec(
        select(Decision)
        .where(Decision.task_id == task_id, col(Decision.kind).in_(("plan", "founder")))
        .order_by(col(Decision.id).desc())
    )
    for row in rows:
        data = json.loads(row.payload)
        if "steps" in data:
            steps = tuple(
                PlannedStep(key=s["key"], team=s["team"], text=s["text"], depends_on=tuple(s["depends_on"]))
                for s in data["steps"]
            )
            return Plan(shape=data["shape"], steps=steps)
    return None


def journal_key(step_key: str, round_: int) -> str:
    return f"{step_key}.r{round_}"


def review_key(step_key: str, round_: int) -> str:
    return f"review.{step_key}.r{round_}"


def latest_outputs(session: Session, task_id: int, plan: Plan, up_to_round: int) -> dict[str, Step]:
    """For each plan step, its newest finished work at or before ``up_to_round``."""
    rows = session.exec(
        select(Step).where(Step.task_id == task_id, Step.kind == "work", Step.status == "done")
    ).all()
    best: dict[str, tuple[int, Step]] = {}
    for row in rows:
        base, _, rnd = row.key.rpartition(".r")
        if not rnd.isdigit() or int(rnd) > up_to_round:
            continue
        if base not in best or int(rnd) > best[base][0]:
            best[base] = (int(rnd), row)
    return {key: step for key, (_, step) in best.items() if key in {s.key for s in plan.steps}}


def has_delivered_work(session: Session, task: Task) -> bool:
    plan = current_plan(session, task.id)
    if plan is None:
        return False
    return len(latest_outputs(session, task.id, plan, task.round)) == len(plan.steps)


def round_start_redo(session: Session, task_id: int, round_: int) -> set[str] | None:
    """The plan steps a rework round redoes, as recorded by the decision that started it."""
    rows = session.exec(
        select(Decision).where(Decision.task_id == task_id, col(Decision.kind).in_(("review", "founder")))
        .order_by(col(Decision.id).desc())
    )
    for row in rows:
        data = json.loads(row.payload)
        if data.get("starts_round") == round_ and "redo" in data:
            return set(data["redo"])
    return None


def steps_to_work(session: Session, task: Task, plan: Plan) -> list[PlannedStep]:
    """Plan steps that still need work in the task's current round, in plan order."""
    outputs = latest_outputs(session, task.id, plan, task.round)
    redo = round_start_redo(session, task.id, task.round) if task.round > 0 else None
    todo: list[PlannedStep] = []
    for step in plan.steps:
        done_now = step.key in outputs and outputs[step.key].key == journal_key(step.key, task.round)
        if done_now:
            continue
        if step.key not in outputs or task.round == 0 or redo is None or step.key in redo:
            todo.append(step)
    return todo
