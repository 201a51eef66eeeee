"""Typed rows of the store's tables, read with plain SQL (no ORM objects cross threads or modules).

Each row class names its columns once (``COLUMNS``) and builds itself from a result tuple
(``of``). Times are aware UTC datetimes; the store keeps them as UTC text without an offset.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Self


def as_datetime(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def as_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class _Row:
    TABLE: ClassVar[str]
    _DATETIMES: ClassVar[frozenset[str]] = frozenset()
    _DATES: ClassVar[frozenset[str]] = frozenset()
    _BOOLS: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def columns(cls) -> str:
        return ", ".join(f.name for f in fields(cls))  # type: ignore[arg-type]

    @classmethod
    def of(cls, row: Sequence[Any]) -> Self:
        values: dict[str, Any] = {}
        for f, value in zip(fields(cls), row, strict=True):  # type: ignore[arg-type]
            if f.name in cls._DATETIMES:
                value = as_datetime(value)
            elif f.name in cls._DATES:
                value = as_date(value)
            elif f.name in cls._BOOLS:
                value = bool(value)
            values[f.name] = value
        return cls(**values)

    @classmethod
    def select(cls, conn: sqlite3.Connection, where: str = "", params: Sequence[Any] = (),
               order: str = "id") -> list[Self]:
        sql = f"SELECT {cls.columns()} FROM {cls.TABLE}" + (f" WHERE {where}" if where else "")
        return [cls.of(r) for r in conn.execute(sql + (f" ORDER BY {order}" if order else ""), tuple(params))]


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskRow(_Row):
    TABLE: ClassVar[str] = "task"
    _DATETIMES: ClassVar[frozenset[str]] = frozenset({"created_at", "updated_at", "lease_until"})
    _DATES: ClassVar[frozenset[str]] = frozenset({"due"})
    _BOOLS: ClassVar[frozenset[str]] = frozenset({"sensitive"})

    id: int
    title: str
    text: str
    status: str
    priority: str
    due: date | None
    team: str | None  # the owning team once routed (first team of a plan)
    requested_team: str | None  # the founder chose the team at intake
    confidence: float | None
    sensitive: bool
    round: int  # rework round
    waiting_reason: str | None  # why it waits for the founder, or why it failed
    source: str
    created_at: datetime
    updated_at: datetime
    claimed_by: str | None
    lease_until: datetime | None
    recoveries: int
    budget: str  # JSON: per-task overrides of the budgets in settings


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionRow(_Row):
    TABLE: ClassVar[str] = "decision"
    _DATETIMES: ClassVar[frozenset[str]] = frozenset({"created_at"})

    id: int
    task_id: int
    kind: str  # route | plan | review | founder
    team: str | None
    confidence: float | None
    rationale: str
    payload: str  # JSON of the typed payload (app.store.payloads)
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class StepRow(_Row):
    """The step journal: one row per (task, key), written before and after the step runs."""

    TABLE: ClassVar[str] = "step"
    _DATETIMES: ClassVar[frozenset[str]] = frozenset({"started_at", "finished_at"})

    id: int
    task_id: int
    key: str
    team: str
    role: str
    kind: str  # work | review
    status: str  # pending | running | done | failed
    attempts: int
    model: str | None
    tokens_in: int
    tokens_out: int
    started_at: datetime | None
    finished_at: datetime | None
    output: str | None
    error: str | None
    input: str  # JSON of what the step was asked


@dataclass(frozen=True, slots=True, kw_only=True)
class ArtifactRow(_Row):
    TABLE: ClassVar[str] = "artifact"
    _DATETIMES: ClassVar[frozenset[str]] = frozenset({"created_at"})

    id: int
    task_id: int
    step_key: str
    name: str
    path: str  # relative to the data folder
    media_type: str
    size: int
    sha256: str
    idem_key: str  # unique: a retried step never writes the same artifact twice
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRow(_Row):
    """The append-only log of what happened; observers read it by increasing id."""

    TABLE: ClassVar[str] = "event"
    _DATETIMES: ClassVar[frozenset[str]] = frozenset({"created_at"})

    id: int
    task_id: int | None
    kind: str
    status: str | None
    payload: str
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class RoutingExampleRow(_Row):
    """A founder's routing example, or a correction (a reassignment); the router learns from both."""

    TABLE: ClassVar[str] = "routing_example"
    _DATETIMES: ClassVar[frozenset[str]] = frozenset({"created_at"})

    id: int
    text: str
    team: str
    source: str  # correction | founder
    task_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamProfileRow(_Row):
    """A founder-added team, or the founder's extra routing keywords for a built-in team."""

    TABLE: ClassVar[str] = "team_profile"
    _DATETIMES: ClassVar[frozenset[str]] = frozenset({"created_at"})
    _BOOLS: ClassVar[frozenset[str]] = frozenset({"builtin"})

    name: str
    description: str | None
    keywords: str  # JSON list of phrases
    builtin: bool
    created_at: datetime
