"""A parsed rule: what the triggers need, and the rule in plain words. Pure data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from app.core.errors import InvalidInput

RuleKind = Literal["cron", "interval", "once"]

EXAMPLES: tuple[str, ...] = (
    "every monday at 9", "every weekday at 8:30", "on the 1st of every month", "every 2 weeks on friday at 16:00",
    "last friday of the month", "every day at 18:00 except weekends", "every 15 minutes", "tomorrow at 7",
    "in 3 hours", "on 2027-01-15 at 10:00", "cron: 0 9 * * 1-5",
)


@dataclass(frozen=True)
class CronFields:
    """One APScheduler ``CronTrigger``'s fields (APScheduler's weekday names: mon..sun)."""

    minute: str = "0"
    hour: str = "9"
    day: str = "*"
    month: str = "*"
    day_of_week: str = "*"

    def as_kwargs(self) -> dict[str, str]:
        return {"minute": self.minute, "hour": self.hour, "day": self.day, "month": self.month,
                "day_of_week": self.day_of_week}

    @property
    def wall_clock(self) -> bool:
        """Fires at set hours of the day (so a repeated hour at fall-back must not fire twice)."""
        return self.hour != "*"


@dataclass(frozen=True)
class Phase:
    """Every ``every``-th day or week, counted from ``origin`` (a Monday for weeks)."""

    unit: Literal["days", "weeks"]
    every: int
    origin: date


@dataclass(frozen=True)
class RuleSpec:
    """A rule as the scheduler runs it. ``words`` says it back to the founder."""

    kind: RuleKind
    words: str
    crons: tuple[CronFields, ...] = ()
    phase: Phase | None = None
    interval_seconds: int = 0
    start: datetime | None = None  # interval rules: the first fire time
    at: datetime | None = None  # one-off rules: the instant (aware)
    notes: tuple[str, ...] = field(default=())


def rule_error(text: str, why: str | None = None) -> InvalidInput:
    """The error for a rule Bureau cannot read, with examples of rules that work."""
    shown = text.strip()[:120]
    head = f"Bureau cannot read the rule {shown!r}" + (f": {why}" if why else ".")
    return InvalidInput(head if head.endswith(".") else head + ".",
                        fix="Write it like: " + "; ".join(f"'{e}'" for e in EXAMPLES) + ".")
