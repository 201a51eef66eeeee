"""The engine's writes: claims with leases, the step journal, status changes, decisions.

Each method is one short IMMEDIATE transaction in plain SQL: the engine's bookkeeping
stays a few milliseconds per task.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any


from agents.ceo import Plan
from app.core.status import RUNNABLE, Status
from app.store.db import Database, sql_ts, utcnow
from app.store.payloads import PlanPayload, ReviewPayload, RoutePayload
from app.store.snapshot import TaskSnapshot, load_snapshot
from app.store.writer import Writer
from app.tasks.artifacts import FileToWrite, write_artifacts

_RUNNABLE = tuple(s.value for s in RUNNABLE)
_PRIORITY_ORDER = "CASE priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'low' THEN 0 ELSE 1 END DESC, id"


class EngineStore:
    def __init__(self, db: Database, *, engine_id: str, lease: timedelta) -> None:
        self.db = db
        self.engine_id = engine_id
        self.lease = lease
        self.writer = Writer(db)

    # -- reads ------------------------------------------------------------------------
    def snapshot(self, task_id: int) -> TaskSnapshot:
        with self.db.raw_read() as conn:
            return load_snapshot(conn, task_id)

    def status(self, task_id: int) -> str | None:
        with self.db.raw_read() as conn:
            row = conn.execute("SELECT status FROM task WHERE id = ?", (task_id,)).fetchone()
        return row[0] if row else None

    def seconds_until_next_runnable(self) -> float | None:
        marks = ",".join("?" * len(_RUNNABLE))
        with self.db.raw_read() as conn:
            row = conn.execute(
                f"SELECT lease_until FROM task WHERE status IN ({marks}) ORDER BY lease_until LIMIT 1",
                _RUNNABLE).fetchone()
        if row is None:
            return None
        if row[0] is None:
            return 0.0
        return max(0.0, (_parse(row[0]) - utcnow()).total_seconds())

    # -- claims -----------------------------------------------------------------------
    def claim(self) -> int | None:
        """Take the most urgent runnable task whose lease is free or expired; crashed work first."""
        now = utcnow()
        marks = ",".join("?" * len(_RUNNABLE))
        with self.db.raw_write() as conn:
            # A claim held by a process of this machine that no longer exists is dead now,
            # not when its lease runs out.
            for task_id, holder in conn.execute(
                    "SELECT id, claimed_by FROM task WHERE claimed_by IS NOT NULL AND lease_until >= ?",
                    (sql_ts(now),)).fetchall():
                if holder != self.engine_id and _dead_here(holder):
                    conn.execute("UPDATE task SET lease_until = NULL WHERE id = ?", (task_id,))
            row = conn.execute(
                f"SELECT id, status, claimed_by, recoveries FROM task WHERE status IN ({marks}) "
                f"AND (lease_until IS NULL OR lease_until < ?) "
                f"ORDER BY CASE WHEN status = 'running' THEN 0 ELSE 1 END, {_PRIORITY_ORDER} LIMIT 1",
                (*_RUNNABLE, sql_ts(now))).fetchone()
            if row is None:
                return None
            task_id, status, previous, recoveries = row
            if status == Status.RUNNING and previous is not None:  # the engine that ran it died
                recoveries += 1
                self._event(conn, task_id, "recovered", status, previous_engine=previous, recoveries=recoveries)
            conn.execute("UPDATE task SET claimed_by = ?, lease_until = ?, recoveries = ? WHERE id = ?",
                         (self.engine_id, sql_ts(now + self.lease), recoveries, task_id))
            return int(task_id)

    def release(self, task_id: int, *, not_before: float = 0.0) -> None:
        until = sql_ts(utcnow() + timedelta(seconds=not_before)) if not_before else None
        with self.db.raw_write() as conn:
            conn.execute(
                "UPDATE task SET claimed_by = NULL, lease_until = ? WHERE id = ? AND claimed_by = ?",
                (until, task_id, self.engine_id))

    def renew(self, task_id: int) -> None:
        with self.db.raw_write() as conn:
            conn.execute("UPDATE task SET lease_until = ? WHERE id = ? AND claimed_by = ?",
                                           (sql_ts(utcnow() + self.lease), task_id, self.engine_id))

    # -- status and decisions ---------------------------------------------------------
    def set_status(self, task_id: int, status: Status, *, reason: str | None = None,
                   only_from: Iterable[Status] | None = None) -> bool:
        with self.db.raw_write() as conn:
            self._hold(conn, task_id)
            return self._set_status(conn, task_id, status, reason=reason, only_from=only_from)

    def stop_for_budget(self, task_id: int, *, limit: str, allowed: float, reason: str) -> None:
        """Hand the task to the founder; the budget notes which limit stopped it."""
        with self.db.raw_write() as conn:
            self._hold(conn, task_id)
            row = conn.execute("SELECT budget FROM task WHERE id = ?", (task_id,)).fetchone()
            budget = json.loads(row[0] or "{}") | {"stopped": limit, limit: allowed}
            self.writer.update_task(conn, task_id, budget=json.dumps(budget))
            self._set_status(conn, task_id, Status.NEEDS_DECISION, reason=reason)

    def record_triage(self, task_id: int, *, route: RouteChoice, plan: Plan, plan_rationale: str, team: str,
                      confidence: float, status: Status, reason: str | None) -> bool:
        """The CEO's routing and plan; ``confidence`` is the one the board shows (the plan's, for several teams)."""
        with self.db.raw_write() as conn:
            self._hold(conn, task_id)
            if self.writer.status_of(conn, task_id) != Status.INBOX:
                return False
            self.writer.add_decision(conn, task_id, "route", route.payload, team=route.team,
                                     confidence=route.confidence, rationale=route.rationale)
            self.writer.add_decision(conn, task_id, "plan", PlanPayload.of(plan), team=plan.steps[0].team,
                                     confidence=plan.confidence, rationale=plan_rationale)
            self.writer.update_task(conn, task_id, team=team, confidence=confidence)
            self.writer.set_status(conn, task_id, status, reason=reason)
            return True

    def record_review(self, task_id: int, *, team: str | None, rationale: str, payload: ReviewPayload,
                      status: Status, reason: str | None) -> bool:
        with self.db.raw_write() as conn:
            self._hold(conn, task_id)
            if self.writer.status_of(conn, task_id) != Status.IN_REVIEW:
                return False
            self.writer.add_decision(conn, task_id, "review", payload, team=team, rationale=rationale)
            if payload.starts_round is not None:
                self.writer.update_task(conn, task_id, round=payload.starts_round)
            self.writer.set_status(conn, task_id, status, reason=reason)
            return True

    # -- the step journal ---------------------------------------------------------------
    def start_step(self, task_id: int, key: str, *, team: str, role: str, kind: str, model: str,
                   payload: dict[str, Any], mark_running: bool = False) -> int | None:
        """Record that a step starts (attempt n); None when the journal says it already finished."""
        with self.db.raw_write() as conn:
            self._hold(conn, task_id)
            row = conn.execute("SELECT status, attempts FROM step WHERE task_id = ? AND key = ?",
                                       (task_id, key)).fetchone()
            if row is not None and row[0] == "done":
                return None
            attempts = (row[1] if row else 0) + 1
            if row is None:
                conn.execute(
                    "INSERT INTO step (task_id, key, team, role, kind, status, attempts, model, started_at, input) "
                    "VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)",
                    (task_id, key, team, role, kind, attempts, model, sql_ts(utcnow()), json.dumps(payload)))
            else:
                conn.execute(
                    "UPDATE step SET status = 'running', attempts = ?, model = ?, started_at = ?, error = NULL "
                    "WHERE task_id = ? AND key = ?", (attempts, model, sql_ts(utcnow()), task_id, key))
            if mark_running:
                self._set_status(conn, task_id, Status.RUNNING, only_from=(Status.QUEUED, Status.REWORK))
            self._event(conn, task_id, "step", None, key=key, state="running", attempt=attempts)
            return attempts

    def finish_step(self, task_id: int, key: str, *, output: str, model: str, tokens_in: int, tokens_out: int,
                    files: list[FileToWrite], attempt: int | None = None, then: Status | None = None) -> None:
        """Record the step's output and artifacts; optionally move the task on in the same transaction.

        Only the engine that holds the task, and only for the attempt it started, may finish a step.
        """
        with self.db.raw_write() as conn:
            self._hold(conn, task_id)
            updated = conn.execute(
                "UPDATE step SET status = 'done', output = ?, model = ?, tokens_in = tokens_in + ?, "
                "tokens_out = tokens_out + ?, "
                "finished_at = ?, error = NULL WHERE task_id = ? AND key = ? AND status = 'running' "
                "AND (? IS NULL OR attempts = ?)",
                (output, model, tokens_in, tokens_out, sql_ts(utcnow()), task_id, key, attempt, attempt)).rowcount
            if not updated:
                raise ClaimLost(f"Step {key} of task {task_id} is no longer this engine's attempt {attempt}.")
            if files:
                write_artifacts(conn, self.db.home, task_id, key, files)
            self._event(conn, task_id, "step", None, key=key, state="done", tokens_out=tokens_out)
            if then is not None:
                self._set_status(conn, task_id, then, only_from=(Status.RUNNING,))

    def fail_step(self, task_id: int, key: str, error: str, *, tokens_in: int = 0, tokens_out: int = 0) -> None:
        """Record a failed attempt; the tokens it used count towards the task's budget."""
        with self.db.raw_write() as conn:
            self._hold(conn, task_id)
            conn.execute(
                "UPDATE step SET status = 'failed', error = ?, finished_at = ?, tokens_in = tokens_in + ?, "
                "tokens_out = tokens_out + ? WHERE task_id = ? AND key = ? AND status = 'running'",
                (error, sql_ts(utcnow()), tokens_in, tokens_out, task_id, key))

    # -- helpers ------------------------------------------------------------------------
    def _hold(self, conn: sqlite3.Connection, task_id: int) -> None:
        """Raise ``ClaimLost`` unless this engine still holds the task (a stalled engine must not write)."""
        row = conn.execute("SELECT claimed_by FROM task WHERE id = ?", (task_id,)).fetchone()
        if row is None or row[0] != self.engine_id:
            raise ClaimLost(f"Task {task_id} is no longer claimed by {self.engine_id}; its result is discarded.")

    def _set_status(self, conn: sqlite3.Connection, task_id: int, status: Status, *, reason: str | None = None,
                    only_from: Iterable[Status] | None = None) -> bool:
        return self.writer.set_status(conn, task_id, status, reason=reason, only_from=only_from)

    def _event(self, conn: sqlite3.Connection, task_id: int, kind: str, status: str | None, **payload: Any) -> None:
        self.writer.event(conn, task_id, kind, status=status, **payload)


@dataclass(frozen=True, kw_only=True)
class RouteChoice:
    """The CEO's routing decision as it is recorded."""

    team: str
    confidence: float
    rationale: str
    payload: RoutePayload


class ClaimLost(Exception):
    """This engine no longer holds the task (it stalled past its lease); another engine has it."""


def _dead_here(holder: str) -> bool:
    """True when ``holder`` names a process of this machine that no longer runs."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def engine_name() -> str:
    """A claim holder's name: this machine, this process, and a tag for the engine."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)
