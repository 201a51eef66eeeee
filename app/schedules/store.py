"""The ``schedule`` and ``occurrence`` tables (migration 4), in the services' write transactions.

Exactly once: an occurrence row is keyed by (schedule, scheduled time) under a UNIQUE
constraint, and it is inserted in the same IMMEDIATE transaction as the task it creates. Two
processes firing the same occurrence, or a process killed between firing and committing and
then restarted, therefore leave one row and one task.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import sqlite3

from app.core.errors import NotFound
from app.store.db import Database, sql_ts, utcnow
from app.store.payloads import UnknownPayload
from app.store.writer import Writer
from app.tasks.attachments import Attachment, store_attachments
from app.tasks.service import NewTask, TaskService

Connection = sqlite3.Connection

FireKind = Literal["on_time", "caught_up", "run_now"]
_SCHEDULE_COLUMNS = ("id, text, title, team, priority, sensitive, budget, rule, tz, catch_up, paused, anchor, cursor, "
                     "created_at, updated_at")


@dataclass(frozen=True)
class ScheduleRow:
    id: int
    text: str
    title: str | None
    team: str | None
    priority: str
    sensitive: bool
    budget: dict[str, float]
    rule: str
    tz: str
    catch_up: str
    paused: bool
    anchor: datetime
    cursor: datetime  # occurrences at or before it are settled (fired, caught up or skipped)
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class OccurrenceRow:
    id: int
    schedule_id: int
    scheduled_for: datetime
    task_id: int | None
    kind: str
    missed: int
    missed_since: datetime | None
    fired_at: datetime
    fired_by: str | None


@dataclass(frozen=True)
class FireRequest:
    schedule_id: int
    scheduled_for: datetime
    kind: FireKind = "on_time"
    missed: int = 0  # caught up: how many occurrences this task stands for
    missed_since: datetime | None = None
    note: str = ""  # what the task's "schedule" decision tells the founder
    attachments: tuple[Attachment, ...] = ()  # material made when it fired (the weekly report's figures)


@dataclass(frozen=True)
class FireOutcome:
    request: FireRequest
    task_id: int | None
    created: bool
    reason: Literal["created", "already", "settled", "paused", "gone"]


def not_found(schedule_id: int) -> NotFound:
    return NotFound(f"There is no schedule {schedule_id}.", fix="List the schedules with `bureau schedule list`.")


def parse_ts(value: object) -> datetime:
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _row(r: Sequence[Any]) -> ScheduleRow:
    return ScheduleRow(id=int(r[0]), text=str(r[1]), title=r[2], team=r[3], priority=str(r[4]), sensitive=bool(r[5]),
                       budget=json.loads(r[6] or "{}"), rule=str(r[7]), tz=str(r[8]), catch_up=str(r[9]),
                       paused=bool(r[10]), anchor=parse_ts(r[11]), cursor=parse_ts(r[12]),
                       created_at=parse_ts(r[13]), updated_at=parse_ts(r[14]))


def _occurrence(r: Sequence[Any]) -> OccurrenceRow:
    return OccurrenceRow(id=int(r[0]), schedule_id=int(r[1]), scheduled_for=parse_ts(r[2]),
                         task_id=None if r[3] is None else int(r[3]), kind=str(r[4]), missed=int(r[5]),
                         missed_since=None if r[6] is None else parse_ts(r[6]), fired_at=parse_ts(r[7]),
                         fired_by=r[8])


def insert_schedule(db: Database, conn: Connection, *, text: str, title: str | None, team: str | None, priority: str,
                    sensitive: bool, budget: dict[str, float], rule: str, tz: str, catch_up: str, paused: bool,
                    anchor: datetime) -> int:
    now = sql_ts(utcnow())
    result = conn.execute(
        "INSERT INTO schedule (text, title, team, priority, sensitive, budget, rule, tz, catch_up, paused, anchor, "
        "cursor, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (text, title, team, priority, int(sensitive), json.dumps(budget), rule, tz, catch_up, int(paused),
         sql_ts(anchor), sql_ts(anchor), now, now))
    schedule_id = int(result.lastrowid or 0)
    _changed(db, conn, schedule_id, "added")
    return schedule_id


def load_schedules(conn: Connection, schedule_id: int | None = None) -> list[ScheduleRow]:
    sql = f"SELECT {_SCHEDULE_COLUMNS} FROM schedule" + (" WHERE id = ?" if schedule_id is not None else "")
    rows = conn.execute(sql + " ORDER BY id", (schedule_id,) if schedule_id is not None else ()).fetchall()
    return [_row(r) for r in rows]


def get_schedule(conn: Connection, schedule_id: int) -> ScheduleRow:
    rows = load_schedules(conn, schedule_id)
    if not rows:
        raise not_found(schedule_id)
    return rows[0]


def signature(conn: Connection) -> tuple[object, ...]:
    """Changes when a schedule is added, edited, paused, resumed or removed (not when one fires)."""
    return tuple(conn.execute(
        "SELECT COUNT(*), MAX(updated_at), MAX(id), SUM(paused), SUM(id * (1 + paused)) FROM schedule").fetchone())


def last_occurrences(conn: Connection, schedule_id: int | None = None) -> dict[int, OccurrenceRow]:
    where = "WHERE o.schedule_id = ?" if schedule_id is not None else ""
    rows = conn.execute(
        "SELECT o.id, o.schedule_id, o.scheduled_for, o.task_id, o.kind, o.missed, o.missed_since, o.fired_at, "
        "o.fired_by FROM occurrence o JOIN (SELECT schedule_id, MAX(id) AS id FROM occurrence GROUP BY schedule_id) "
        f"m ON m.id = o.id {where}", (schedule_id,) if schedule_id is not None else ()).fetchall()
    return {int(r[1]): _occurrence(r) for r in rows}


def occurrences(conn: Connection, schedule_id: int, *, limit: int = 20) -> list[OccurrenceRow]:
    rows = conn.execute(
        "SELECT id, schedule_id, scheduled_for, task_id, kind, missed, missed_since, fired_at, fired_by "
        "FROM occurrence WHERE schedule_id = ? ORDER BY id DESC LIMIT ?", (schedule_id, limit)).fetchall()
    return [_occurrence(r) for r in rows]


def set_paused(db: Database, conn: Connection, schedule_id: int, paused: bool, *,
               cursor: datetime | None = None) -> None:
    get_schedule(conn, schedule_id)
    conn.execute("UPDATE schedule SET paused = ?, updated_at = ?, cursor = MAX(cursor, COALESCE(?, cursor)) "
                         "WHERE id = ?", (int(paused), sql_ts(utcnow()), sql_ts(cursor), schedule_id))
    _changed(db, conn, schedule_id, "paused" if paused else "resumed")


def delete_schedule(db: Database, conn: Connection, schedule_id: int) -> None:
    get_schedule(conn, schedule_id)
    conn.execute("DELETE FROM schedule WHERE id = ?", (schedule_id,))
    _changed(db, conn, schedule_id, "removed")


def advance_cursors(conn: Connection, cursors: dict[int, datetime]) -> None:
    """Settle occurrences up to each cursor (skipped ones); cursors only move forward."""
    for schedule_id, cursor in cursors.items():
        conn.execute("UPDATE schedule SET cursor = MAX(cursor, ?) WHERE id = ?", (sql_ts(cursor), schedule_id))


def fire_many(db: Database, tasks: TaskService, requests: Sequence[FireRequest], *, fired_by: str,
              skips: dict[int, datetime] | None = None) -> list[FireOutcome]:
    """Create the task of each occurrence not created yet: occurrence, task and cursor commit together."""
    outcomes: list[FireOutcome] = []
    if requests:  # the team names are read once per batch, not once per task
        teams = tasks.teams
        tasks = TaskService(db, teams=lambda: teams)
    writer = Writer(db)
    with db.raw_write() as conn:
        for request in requests:
            outcomes.append(_fire_one(writer, tasks, conn, request, fired_by))
        advance_cursors(conn, skips or {})
    return outcomes


def _fire_one(writer: Writer, tasks: TaskService, conn: Connection, request: FireRequest,
              fired_by: str) -> FireOutcome:
    rows = load_schedules(conn, request.schedule_id)
    if not rows:
        return FireOutcome(request, None, False, "gone")
    schedule = rows[0]
    if request.kind != "run_now":
        if schedule.paused:
            return FireOutcome(request, None, False, "paused")
        if request.scheduled_for <= schedule.cursor:
            existing = conn.execute("SELECT task_id FROM occurrence WHERE schedule_id = ? AND scheduled_for = ?",
                                            (request.schedule_id, sql_ts(request.scheduled_for))).fetchone()
            return FireOutcome(request, existing[0] if existing else None, False, "already" if existing else "settled")
    key = sql_ts(request.scheduled_for)
    inserted = conn.execute(
        "INSERT INTO occurrence (schedule_id, scheduled_for, kind, missed, missed_since, fired_at, fired_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (schedule_id, scheduled_for) DO NOTHING",
        (request.schedule_id, key, request.kind, request.missed, sql_ts(request.missed_since), sql_ts(utcnow()),
         fired_by))
    if inserted.rowcount == 0:
        existing = conn.execute("SELECT task_id FROM occurrence WHERE schedule_id = ? AND scheduled_for = ?",
                                        (request.schedule_id, key)).fetchone()
        return FireOutcome(request, existing[0] if existing else None, False, "already")
    occurrence_id = int(inserted.lastrowid or 0)
    task_id = insert_task(writer, tasks, conn, schedule, request)
    conn.execute("UPDATE occurrence SET task_id = ? WHERE id = ?", (task_id, occurrence_id))
    if request.kind != "run_now":
        conn.execute("UPDATE schedule SET cursor = MAX(cursor, ?) WHERE id = ?", (key, schedule.id))
    return FireOutcome(request, task_id, True, "created")


def insert_task(writer: Writer, tasks: TaskService, conn: Connection, schedule: ScheduleRow,
                request: FireRequest) -> int:
    """The schedule's task, with a "schedule" decision saying which occurrence (and what was missed)."""
    task_id = tasks.insert_in(conn, NewTask(text=schedule.text, title=schedule.title, priority=schedule.priority,
                                            team=schedule.team, sensitive=schedule.sensitive, source="schedule",
                                            budget=schedule.budget or None))
    payload = UnknownPayload(schedule_id=schedule.id, scheduled_for=request.scheduled_for.isoformat(),
                             kind=request.kind, missed=request.missed,
                             missed_since=request.missed_since.isoformat() if request.missed_since else None)
    writer.add_decision(conn, task_id, "schedule", payload, rationale=request.note)
    if request.attachments:
        store_attachments(conn, task_id, request.attachments, now=sql_ts(utcnow()) or "")
    return task_id


def _changed(db: Database, conn: Connection, schedule_id: int, action: str) -> None:
    db.append_event(conn, task_id=None, kind="schedule", status=None,
                    payload=json.dumps({"schedule_id": schedule_id, "action": action}))


Material = Callable[[ScheduleRow], tuple[Attachment, ...]]  # files a schedule's task gets as it fires


def no_material(_row: ScheduleRow) -> tuple[Attachment, ...]:
    return ()
