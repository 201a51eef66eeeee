"""Queries for the kanban board: only the columns a card needs, fast on 10,000 tasks.

Read-only. The desktop app runs these on a worker thread and builds its item models
from the plain rows they return (no ORM objects cross threads).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from app.store.db import Database

# Columns of ``task`` a card shows, in the order ``CardRow`` takes them.
# Drafts waiting for the founder's approval, per task: read through ix_outbound_status (only drafts), joined once.
_CARD_SQL = ("SELECT id, title, status, priority, due, COALESCE(team, requested_team), confidence, round, sensitive, "
             "created_at, updated_at, substr(waiting_reason, 1, 400), COALESCE(o.drafts, 0) FROM task "
             "LEFT JOIN (SELECT task_id, count(*) AS drafts FROM outbound WHERE status = 'draft' GROUP BY task_id) o "
             "ON o.task_id = task.id")
_ID_CHUNK = 500  # stays far below SQLite's limit on bound parameters


@dataclass(frozen=True, slots=True)
class CardRow:
    """What one card on the board shows."""

    id: int
    title: str
    status: str
    priority: str = "normal"
    due: date | None = None
    team: str | None = None  # the owning team, or the one the founder asked for before routing
    confidence: float | None = None
    round: int = 0
    sensitive: bool = False
    created_at: datetime = field(default_factory=lambda: datetime(2000, 1, 1, tzinfo=UTC))
    updated_at: datetime = field(default_factory=lambda: datetime(2000, 1, 1, tzinfo=UTC))
    waiting_reason: str | None = None
    plan_teams: tuple[str, ...] = ()  # a plan across several steps: each step's team, in order
    active_teams: tuple[str, ...] = ()  # the teams whose steps run now
    drafts: int = 0  # outbound drafts waiting for the founder's approval


@dataclass(frozen=True)
class BoardSnapshot:
    """Every card, and the newest event id at the moment they were read (one transaction)."""

    cards: list[CardRow]
    last_event_id: int


# The plan in force per task (the CEO's, or the founder's reassignment), when it has several steps.
_PLAN_SQL = ("SELECT d.task_id, group_concat(json_extract(j.value, '$.team'), char(31)) FROM decision d "
             "JOIN (SELECT task_id, MAX(id) AS id FROM decision WHERE kind IN ('plan', 'founder') "
             "AND json_extract(payload, '$.steps') IS NOT NULL {where} GROUP BY task_id) m ON d.id = m.id, "
             "json_each(d.payload, '$.steps') j GROUP BY d.task_id HAVING count(*) > 1")
_ACTIVE_SQL = "SELECT task_id, team FROM step WHERE status = 'running' AND kind = 'work' {where}"


def _plans(conn: sqlite3.Connection, ids: Sequence[int] | None
           ) -> tuple[dict[int, tuple[str, ...]], dict[int, tuple[str, ...]]]:
    where = "" if ids is None else f"AND task_id IN ({', '.join('?' * len(ids))})"
    args = () if ids is None else tuple(ids)
    plans = {int(t): tuple(str(teams).split(chr(31))) for t, teams in
             conn.execute(_PLAN_SQL.format(where=where), args).fetchall()}
    active: dict[int, tuple[str, ...]] = {}
    for t, team in conn.execute(_ACTIVE_SQL.format(where=where), args).fetchall():
        active[int(t)] = (*active.get(int(t), ()), str(team))
    return plans, active


def _with_plans(cards: list[CardRow], plans: dict[int, tuple[str, ...]],
                active: dict[int, tuple[str, ...]]) -> list[CardRow]:
    return [replace(c, plan_teams=plans.get(c.id, ()), active_teams=active.get(c.id, ()))
            if c.id in plans or c.id in active else c for c in cards]


def load_board(db: Database) -> BoardSnapshot:
    with db.raw_read() as conn:
        last = conn.execute("SELECT COALESCE(MAX(id), 0) FROM event").fetchone()[0]
        rows = conn.execute(_CARD_SQL).fetchall()
        plans, active = _plans(conn, None)
    return BoardSnapshot(cards=_with_plans([_card(r) for r in rows], plans, active), last_event_id=int(last or 0))


def load_cards(db: Database, task_ids: Iterable[int]) -> list[CardRow]:
    """The current cards of ``task_ids`` (ids that do not exist are left out)."""
    ids = sorted(set(task_ids))
    cards: list[CardRow] = []
    with db.raw_read() as conn:
        for start in range(0, len(ids), _ID_CHUNK):
            chunk = ids[start:start + _ID_CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = conn.execute(f"{_CARD_SQL} WHERE id IN ({marks})", tuple(chunk)).fetchall()
            plans, active = _plans(conn, chunk)
            cards.extend(_with_plans([_card(r) for r in rows], plans, active))
    return cards


def search_task_ids(db: Database, text: str, *, limit: int = 20_000) -> frozenset[int]:
    """Ids of tasks whose title or full text contains ``text`` (case-insensitive for ASCII)."""
    needle = text.strip()
    if not needle:
        return frozenset()
    pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with db.raw_read() as conn:
        rows = conn.execute(
            "SELECT id FROM task WHERE title LIKE ? ESCAPE '\\' OR text LIKE ? ESCAPE '\\' LIMIT ?",
            (pattern, pattern, limit)).fetchall()
    return frozenset(int(r[0]) for r in rows)


def _card(row: Sequence[object]) -> CardRow:
    (task_id, title, status, priority, due, team, confidence, round_, sensitive,
     created, updated, reason, drafts) = row
    return CardRow(
        id=int(task_id), title=str(title), status=str(status), priority=str(priority),  # type: ignore[call-overload]
        due=_date(due), team=team if team is None else str(team),
        confidence=None if confidence is None else float(confidence),  # type: ignore[arg-type]
        round=int(round_ or 0), sensitive=bool(sensitive),  # type: ignore[call-overload]
        created_at=_datetime(created), updated_at=_datetime(updated),
        waiting_reason=None if reason is None else str(reason), drafts=int(drafts or 0),  # type: ignore[call-overload]
    )


def _date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _datetime(value: object) -> datetime:
    """Aware UTC (the store keeps UTC without an offset)."""
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
