"""The founder's actions on a task (approve, reassign, rework, accept, cancel, retry), through the one writer.

Each action checks the transitions table (``app.tasks.transitions``) and writes its decision,
the task's new fields and its status change in one transaction.
"""

from __future__ import annotations

import json
import sqlite3

from agents.ceo import single_plan
from app.core.errors import InvalidInput, InvalidTransition, task_not_found
from app.core.status import Status
from app.store.db import Database, sql_ts, utcnow
from app.store.payloads import FounderPayload
from app.store.rows import TaskRow
from app.store.snapshot import load_snapshot
from app.store.writer import Writer
from app.tasks.transitions import transition


class FounderActions:
    def __init__(self, db: Database, writer: Writer) -> None:
        self.db = db
        self.writer = writer

    def approve(self, task_id: int) -> TaskRow:
        """Let a waiting decision proceed: the CEO's routing, or work the CEO would not pass."""
        w = self.writer
        with self.db.raw_write() as conn:
            task = self._expect(conn, task_id, "approve")
            budget = json.loads(task.budget or "{}")
            if "stopped" in budget:  # a budget stopped it: continue with twice that budget
                limit = budget.pop("stopped")
                budget[limit] = float(budget[limit]) * 2
                w.update_task(conn, task_id, budget=json.dumps(budget))
                w.add_decision(conn, task_id, "founder", FounderPayload(action="approve", budget=budget),
                               rationale=f"Approved: the {limit} budget is doubled to {budget[limit]:,.0f}.")
                w.set_status(conn, task_id, Status.QUEUED)
            else:
                snapshot = load_snapshot(conn, task_id)
                w.add_decision(conn, task_id, "founder", FounderPayload(action="approve"), team=task.team,
                               rationale="Approved by the founder.")
                if snapshot.has_delivered_work:
                    w.set_status(conn, task_id, Status.DELIVERED)
                else:
                    w.set_status(conn, task_id, Status.INBOX if snapshot.plan is None else Status.QUEUED)
            return _task(conn, task_id)

    def reassign(self, task_id: int, team: str, *, note: str | None = None) -> TaskRow:
        """Give the task to ``team``; the correction teaches the router."""
        team_name = team  # checked against the team catalogue by the task service
        w = self.writer
        with self.db.raw_write() as conn:
            task = self._expect(conn, task_id, "reassign")
            snapshot = load_snapshot(conn, task_id)
            new_round = task.round + 1 if snapshot.has_delivered_work or task.round > 0 else 0
            plan = single_plan(team_name, task.text)
            payload = FounderPayload.with_plan(plan, action="reassign", note=note, from_team=task.team,
                                               starts_round=new_round, redo=[st.key for st in plan.steps])
            w.add_decision(conn, task_id, "founder", payload, team=team_name, confidence=1.0,
                           rationale=f"Reassigned by the founder from {task.team or 'no team'} to {team_name}."
                           + (f" Note: {note}" if note else ""))
            if task.team != team_name:
                conn.execute("INSERT INTO routing_example (text, team, source, task_id, created_at) "
                             "VALUES (?, ?, 'correction', ?, ?)", (task.text, team_name, task_id, sql_ts(utcnow())))
            w.update_task(conn, task_id, team=team_name, round=new_round, confidence=1.0)
            w.set_status(conn, task_id, Status.QUEUED)
            return _task(conn, task_id)

    def rework(self, task_id: int, *, note: str) -> TaskRow:
        if not note or not note.strip():
            raise InvalidInput("A rework request needs a note.", fix="Say what to change with --note.")
        w = self.writer
        with self.db.raw_write() as conn:
            task = self._expect(conn, task_id, "rework")
            snapshot = load_snapshot(conn, task_id)
            plan = snapshot.plan
            if plan is None or not snapshot.has_delivered_work:
                raise InvalidTransition(f"Task {task_id} has no work to rework yet.", fix="Approve or reassign it first.")
            new_round = task.round + 1
            w.update_task(conn, task_id, round=new_round)
            w.add_decision(conn, task_id, "founder",
                           FounderPayload(action="rework", note=note.strip(), starts_round=new_round,
                                          redo=[st.key for st in plan.steps]),
                           rationale=f"Rework requested by the founder: {note.strip()}")
            w.set_status(conn, task_id, Status.REWORK)
            return _task(conn, task_id)

    def accept(self, task_id: int) -> TaskRow:
        w = self.writer
        with self.db.raw_write() as conn:
            self._expect(conn, task_id, "accept")
            if not load_snapshot(conn, task_id).has_delivered_work:
                raise InvalidTransition(f"Task {task_id} has nothing delivered to accept yet.",
                                        fix="Approve it so the team can work on it first.")
            w.add_decision(conn, task_id, "founder", FounderPayload(action="accept"), rationale="Accepted by the founder.")
            w.set_status(conn, task_id, Status.DONE)
            return _task(conn, task_id)

    def cancel(self, task_id: int) -> TaskRow:
        w = self.writer
        with self.db.raw_write() as conn:
            self._expect(conn, task_id, "cancel")
            w.add_decision(conn, task_id, "founder", FounderPayload(action="cancel"), rationale="Cancelled by the founder.")
            w.set_status(conn, task_id, Status.CANCELLED, reason="Cancelled by the founder.")
            return _task(conn, task_id)

    def retry(self, task_id: int) -> TaskRow:
        """Run a failed or cancelled task again from where it stopped (finished steps are kept)."""
        w = self.writer
        with self.db.raw_write() as conn:
            self._expect(conn, task_id, "retry")
            conn.execute("UPDATE step SET status = 'pending', attempts = 0 "
                         "WHERE task_id = ? AND status IN ('failed', 'running')", (task_id,))
            w.update_task(conn, task_id, recoveries=0)
            w.add_decision(conn, task_id, "founder", FounderPayload(action="retry"), rationale="Retried by the founder.")
            w.set_status(conn, task_id, Status.QUEUED if load_snapshot(conn, task_id).plan else Status.INBOX)
            return _task(conn, task_id)

    def _expect(self, conn: sqlite3.Connection, task_id: int, action: str) -> TaskRow:
        task = _task(conn, task_id)
        rule = transition(action)
        if not rule.allows(task.status):
            raise InvalidTransition(
                f"Task {task_id} is {Status(task.status).label}; it cannot be {rule.past} now.",
                fix=f"`{action}` works on tasks that are: {', '.join(sorted(st.label for st in rule.allowed))}.",
            )
        return task




def _task(conn: sqlite3.Connection, task_id: int) -> TaskRow:
    rows = TaskRow.select(conn, "id = ?", (task_id,))
    if not rows:
        raise task_not_found(task_id)
    return rows[0]
