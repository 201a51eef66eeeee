"""SQLModel tables. The schema itself is owned by the numbered migrations."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel


class Task(SQLModel, table=True):
    __tablename__ = "task"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    text: str
    status: str = "inbox"
    priority: str = "normal"
    due: date | None = None
    team: str | None = None  # the owning team once routed (first team of a plan)
    requested_team: str | None = None  # the founder chose the team at intake
    confidence: float | None = None
    sensitive: bool = False
    round: int = 0  # rework round
    waiting_reason: str | None = None  # why it waits for the founder, or why it failed
    source: str = "cli"
    created_at: datetime
    updated_at: datetime
    claimed_by: str | None = None
    lease_until: datetime | None = None
    recoveries: int = 0
    budget: str = "{}"  # JSON: per-task overrides of the budgets in settings


class Decision(SQLModel, table=True):
    __tablename__ = "decision"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    kind: str  # route | plan | review | founder
    team: str | None = None
    confidence: float | None = None
    rationale: str = ""
    payload: str = "{}"  # JSON of the typed decision (alternatives, steps, verdict)
    created_at: datetime


class Step(SQLModel, table=True):
    """The step journal: one row per (task, key), written before and after the step runs."""

    __tablename__ = "step"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    key: str
    team: str
    role: str
    kind: str = "work"  # work | review
    status: str = "pending"  # pending | running | done | failed
    attempts: int = 0
    model: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    output: str | None = None
    error: str | None = None
    input: str = "{}"  # JSON of what the step was asked


class Artifact(SQLModel, table=True):
    __tablename__ = "artifact"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    step_key: str
    name: str
    path: str  # relative to the data folder
    media_type: str
    size: int
    sha256: str
    idem_key: str  # unique: a retried step never writes the same artifact twice
    created_at: datetime


class Event(SQLModel, table=True):
    """Append-only log of what happened; observers read it by increasing id."""

    __tablename__ = "event"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int | None = None
    kind: str
    status: str | None = None
    payload: str = "{}"
    created_at: datetime


class RoutingCorrection(SQLModel, table=True):
    """A founder's routing correction or example; the router learns from it."""

    __tablename__ = "routing_example"

    id: int | None = Field(default=None, primary_key=True)
    text: str
    team: str
    source: str = "correction"  # correction | founder
    task_id: int | None = None
    created_at: datetime


class TeamProfileRow(SQLModel, table=True):
    """A founder-added team, or the founder's extra routing keywords for a built-in team."""

    __tablename__ = "team_profile"

    name: str = Field(primary_key=True)
    description: str | None = None
    keywords: str = "[]"  # JSON list of phrases
    builtin: bool = False
    created_at: datetime
