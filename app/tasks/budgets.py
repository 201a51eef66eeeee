"""Loop and stall breakers: each task's budgets of rework rounds, steps, tokens and wall time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from app.core.settings import Budgets
from app.store.snapshot import TaskSnapshot

Limit = Literal["steps", "tokens", "minutes"]
LIMITS: tuple[Limit, ...] = ("steps", "tokens", "minutes")


@dataclass(frozen=True)
class Usage:
    steps: int  # model calls made, retries included
    tokens: int
    minutes: float


@dataclass(frozen=True)
class Overrun:
    limit: Limit
    used: float
    allowed: float

    def message(self) -> str:
        unit = {"steps": "steps", "tokens": "tokens", "minutes": "minutes"}[self.limit]
        return (f"Stopped: this task used {self.used:,.0f} {unit}; its budget is {self.allowed:,.0f}. "
                "Approve to continue with twice the budget, or accept, rework or cancel it.")


def usage_of(task: TaskSnapshot, *, now: datetime | None = None) -> Usage:
    starts = [s.started_at for s in task.steps if s.started_at]
    minutes = 0.0
    if starts:
        first = datetime.fromisoformat(min(starts)).replace(tzinfo=UTC)
        minutes = ((now or datetime.now(UTC)) - first).total_seconds() / 60
    return Usage(steps=sum(s.attempts for s in task.steps), tokens=sum(s.tokens for s in task.steps), minutes=minutes)


def allowed(task: TaskSnapshot, defaults: Budgets) -> dict[Limit, float]:
    """The task's budgets: its own overrides over the settings' defaults."""
    base: dict[Limit, float] = {"steps": defaults.max_steps, "tokens": defaults.max_tokens,
                                "minutes": defaults.max_minutes}
    for limit in LIMITS:
        if limit in task.budget:
            base[limit] = float(task.budget[limit])
    return base


def overrun(task: TaskSnapshot, defaults: Budgets, *, now: datetime | None = None) -> Overrun | None:
    used = usage_of(task, now=now)
    limits = allowed(task, defaults)
    for limit in LIMITS:
        value = float(getattr(used, limit))
        if value >= limits[limit]:
            return Overrun(limit=limit, used=value, allowed=limits[limit])
    return None
