"""Task services: everything the founder can do, shared by the GUI, the CLI and the relay."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING
from datetime import date
from pathlib import Path

import sqlite3

from app.core.errors import InvalidInput, task_not_found
from app.core.status import Status
from app.core.validation import check_team, clean_task_text, make_title, parse_due, parse_priority
from app.store.db import Database, sql_ts, utcnow
from app.store.rows import ArtifactRow, DecisionRow, EventRow, RoutingExampleRow, StepRow, TaskRow
from app.store.writer import Writer
from app.tasks.attachments import Attachment, check_attachments, load_attachments, store_attachments
from app.tasks.transitions import transition

if TYPE_CHECKING:
    from app.tasks.actions import FounderActions


@dataclass(frozen=True, kw_only=True)
class NewTask:
    text: str
    title: str | None = None
    priority: str | None = None
    due: str | date | None = None
    team: str | None = None
    sensitive: bool = False
    source: str = "cli"
    budget: dict[str, float] | None = None  # overrides: rounds, steps, tokens, minutes
    attachments: tuple[Attachment, ...] = ()  # text files given with the task (app/tasks/attachments.py)




@dataclass(frozen=True)
class TaskDetail:
    task: TaskRow
    decisions: tuple[DecisionRow, ...]
    steps: tuple[StepRow, ...]
    artifacts: tuple[ArtifactRow, ...]
    events: tuple[EventRow, ...]
    attachments: tuple[Attachment, ...] = ()  # the text files the founder gave with the task


@dataclass(frozen=True)
class _NewRow:
    title: str
    text: str
    priority: str
    due: date | None
    requested_team: str | None
    sensitive: bool
    source: str
    budget: str


class TaskService:
    """Intake, queries and the founder's actions on tasks."""

    def __init__(self, db: Database, *, teams: Callable[[], Sequence[str]]) -> None:
        self.db = db
        self.writer = Writer(db)
        self._teams = teams

    @property
    def teams(self) -> tuple[str, ...]:
        """The team names tasks can go to (built-in and the founder's)."""
        return tuple(self._teams())

    # -- intake -------------------------------------------------------------------
    def submit(self, new: NewTask) -> TaskRow:
        row = self._validated(new)
        check_attachments(new.attachments)
        with self.db.raw_write() as conn:
            task_id = self._insert(conn, row)
            store_attachments(conn, task_id, new.attachments, now=sql_ts(utcnow()) or "")
        return self.get(task_id)

    def import_file(self, path: Path) -> list[TaskRow]:
        """Create many tasks from JSON Lines or CSV; all or nothing, errors name the line."""
        from app.tasks.importing import import_rows

        new_rows = import_rows(path, self._validated)
        with self.db.raw_write() as conn:
            ids = [self._insert(conn, row) for row in new_rows]
        with self.db.raw_read() as conn:
            return TaskRow.select(conn, f"id IN ({', '.join('?' * len(ids))})", ids) if ids else []

    def prepare(self, new: NewTask) -> None:
        """Raise ``InvalidInput`` when ``new`` could not be submitted; saves nothing."""
        self._validated(new)

    def insert_in(self, conn: sqlite3.Connection, new: NewTask) -> int:
        """Create the task inside the caller's write transaction (a schedule commits its occurrence with it)."""
        return self._insert(conn, self._validated(new))

    def _insert(self, conn: sqlite3.Connection, row: _NewRow) -> int:
        now = sql_ts(utcnow())
        cursor = conn.execute(
            "INSERT INTO task (title, text, status, priority, due, requested_team, sensitive, source, budget, "
            "created_at, updated_at) VALUES (?, ?, 'inbox', ?, ?, ?, ?, ?, ?, ?, ?)",
            (row.title, row.text, row.priority, row.due.isoformat() if row.due else None, row.requested_team,
             int(row.sensitive), row.source, row.budget, now, now))
        task_id = int(cursor.lastrowid or 0)
        self.writer.event(conn, task_id, "created", source=row.source)
        return task_id

    def _validated(self, new: NewTask) -> _NewRow:
        text = clean_task_text(new.text)
        due = new.due if isinstance(new.due, date) else parse_due(new.due)
        from app.tasks.budgets import CLI_FLAGS, IMPORT_FIELDS, check_overrides

        budget = check_overrides(new.budget or {}, names=IMPORT_FIELDS if new.source == "import" else CLI_FLAGS)
        return _NewRow(title=make_title(text, new.title), text=text, priority=parse_priority(new.priority).value,
                       due=due, requested_team=check_team(new.team, self.teams), sensitive=new.sensitive,
                       source=new.source, budget=json.dumps(budget))

    # -- queries ------------------------------------------------------------------
    def get(self, task_id: int) -> TaskRow:
        with self.db.raw_read() as conn:
            return _task(conn, task_id)

    def list_tasks(self, *, status: str | None = None, team: str | None = None) -> list[TaskRow]:
        if status is not None and status not in {s.value for s in Status}:
            raise InvalidInput(f"Unknown status {status!r}.", fix=f"Use one of: {', '.join(s.value for s in Status)}.")
        team = check_team(team, self.teams)
        where, params = [], []
        if status is not None:
            where.append("status = ?")
            params.append(status)
        if team is not None:
            where.append("COALESCE(team, requested_team) = ?")
            params.append(team)
        with self.db.raw_read() as conn:
            return TaskRow.select(conn, " AND ".join(where), params)

    def detail(self, task_id: int) -> TaskDetail:
        with self.db.raw_read() as conn:
            return TaskDetail(
                task=_task(conn, task_id),
                decisions=tuple(DecisionRow.select(conn, "task_id = ?", (task_id,))),
                steps=tuple(StepRow.select(conn, "task_id = ?", (task_id,))),
                artifacts=tuple(ArtifactRow.select(conn, "task_id = ?", (task_id,))),
                events=tuple(EventRow.select(conn, "task_id = ?", (task_id,))),
                attachments=load_attachments(conn, task_id),
            )

    def counts(self) -> dict[str, int]:
        with self.db.raw_read() as conn:
            rows = conn.execute("SELECT status, COUNT(*) FROM task GROUP BY status").fetchall()
        return {str(status): int(n) for status, n in rows}

    def corrections(self) -> list[RoutingExampleRow]:
        with self.db.raw_read() as conn:
            return RoutingExampleRow.select(conn)

    # -- the founder's actions ----------------------------------------------------
    def act(self, action: str, task_id: int, *, team: str | None = None, note: str | None = None) -> TaskRow:
        """Run the founder's ``action`` (a name in ``TRANSITIONS``) on a task."""
        match transition(action).name:
            case "approve":
                return self.approve(task_id)
            case "reassign":
                if not team:
                    raise InvalidInput("Reassigning needs a team.", fix=f"Use one of: {', '.join(self.teams)}.")
                return self.reassign(task_id, team, note=note)
            case "rework":
                return self.rework(task_id, note=note or "")
            case "accept":
                return self.accept(task_id)
            case "cancel":
                return self.cancel(task_id)
            case "retry":
                return self.retry(task_id)

    def approve(self, task_id: int) -> TaskRow:
        """Let a waiting decision proceed: the CEO's routing, or work the CEO would not pass."""
        return self._actions.approve(task_id)

    def reassign(self, task_id: int, team: str, *, note: str | None = None) -> TaskRow:
        """Give the task to ``team``; the correction teaches the router."""
        return self._actions.reassign(task_id, check_team(team, self.teams) or team, note=note)

    def rework(self, task_id: int, *, note: str) -> TaskRow:
        return self._actions.rework(task_id, note=note)

    def accept(self, task_id: int) -> TaskRow:
        return self._actions.accept(task_id)

    def cancel(self, task_id: int) -> TaskRow:
        return self._actions.cancel(task_id)

    def retry(self, task_id: int) -> TaskRow:
        """Run a failed or cancelled task again from where it stopped (finished steps are kept)."""
        return self._actions.retry(task_id)

    @cached_property
    def _actions(self) -> FounderActions:
        from app.tasks.actions import FounderActions  # the plan and payload types load only when acting

        return FounderActions(self.db, self.writer)


def _task(conn: sqlite3.Connection, task_id: int) -> TaskRow:
    rows = TaskRow.select(conn, "id = ?", (task_id,))
    if not rows:
        raise task_not_found(task_id)
    return rows[0]

