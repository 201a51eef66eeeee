"""Typed results of the insights room: stats for a period, a task's trace."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any



@dataclass(frozen=True, kw_only=True)
class StatsQuery:
    """A period of whole UTC days, ``since`` to ``until`` inclusive, optionally one team."""

    since: date
    until: date
    team: str | None = None

    @classmethod
    def last_days(cls, days: int, *, today: date | None = None, team: str | None = None) -> StatsQuery:
        end = today or datetime.now(UTC).date()
        return cls(since=end - timedelta(days=days - 1), until=end, team=team)

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    @property
    def bounds(self) -> tuple[str, str]:
        """The period as text bounds for the stored timestamps: ``lo <= ts < hi``."""
        return self.since.isoformat(), (self.until + timedelta(days=1)).isoformat()


@dataclass(frozen=True)
class Counts:
    created: int = 0
    delivered: int = 0  # delivered for the first time in the period
    accepted: int = 0
    failed: int = 0
    cancelled: int = 0


@dataclass(frozen=True)
class TeamCounts:
    team: str
    counts: Counts


@dataclass(frozen=True)
class DayCount:
    day: date
    team: str
    delivered: int


@dataclass(frozen=True)
class CycleParts:
    """Where a task's time went from creation to its first delivery (seconds; means per task)."""

    queue_s: float = 0.0  # waiting for an engine: inbox, queued, waiting for a rework round
    work_s: float = 0.0  # running: the teams' model calls and the bookkeeping around them
    review_s: float = 0.0  # the CEO's review
    founder_s: float = 0.0  # waiting for the founder's decision
    stopped_s: float = 0.0  # failed or cancelled before a retry

    @property
    def total_s(self) -> float:
        return self.queue_s + self.work_s + self.review_s + self.founder_s + self.stopped_s


PART_LABELS: tuple[tuple[str, str], ...] = (
    ("queue_s", "queue"), ("work_s", "work"), ("review_s", "review"), ("founder_s", "founder"),
    ("stopped_s", "stopped"),
)


@dataclass(frozen=True)
class CycleBucket:
    label: str
    upper_s: float | None  # None: the open last bucket
    tasks: int
    parts: CycleParts  # mean parts of the tasks in this bucket


@dataclass(frozen=True)
class CycleStats:
    """Cycle time (created -> first delivered) of the tasks first delivered in the period."""

    tasks: int = 0
    mean_s: float | None = None
    p50_s: float | None = None
    p90_s: float | None = None
    max_s: float | None = None
    parts: CycleParts = field(default_factory=CycleParts)
    rework_rounds: float = 0.0  # mean CEO rework rounds per task
    buckets: tuple[CycleBucket, ...] = ()


@dataclass(frozen=True)
class Quality:
    """Of the tasks first delivered in the period: how often the work passed at once."""

    delivered: int = 0
    first_pass: int = 0  # passed the CEO's first review and was not sent back by the founder
    reworked: int = 0  # the CEO sent it back at least once
    rework_rounds: int = 0  # the CEO's rework rounds, summed
    founder_reworks: int = 0  # tasks the founder sent back after delivery

    @property
    def first_pass_rate(self) -> float | None:
        return self.first_pass / self.delivered if self.delivered else None

    @property
    def rework_rate(self) -> float | None:
        return self.reworked / self.delivered if self.delivered else None


@dataclass(frozen=True)
class TeamQuality:
    team: str
    quality: Quality


@dataclass(frozen=True)
class CorrectionPoint:
    """The founder's corrections (reassignments, plan edits) against the CEO's routing decisions."""

    week: date  # the Monday of the week (UTC)
    ceo_decisions: int
    corrections: int

    @property
    def rate(self) -> float | None:
        return self.corrections / self.ceo_decisions if self.ceo_decisions else None


@dataclass(frozen=True)
class Usage:
    """Model use by the steps that finished in the period."""

    team: str
    model: str
    steps: int
    attempts: int
    tokens_in: int
    tokens_out: int
    model_s: float

    @property
    def tokens_per_s(self) -> float | None:
        return self.tokens_out / self.model_s if self.model_s > 0 else None


@dataclass(frozen=True)
class Stats:
    query: StatsQuery
    counts: Counts
    by_team: tuple[TeamCounts, ...]
    by_status: tuple[tuple[str, int], ...]  # current status of the tasks created in the period
    throughput: tuple[DayCount, ...]  # first deliveries per day and team
    cycle: CycleStats
    quality: Quality
    quality_by_team: tuple[TeamQuality, ...]
    corrections: tuple[CorrectionPoint, ...]
    usage: tuple[Usage, ...]  # per (team, model)
    ms: float = 0.0  # how long the queries took

    @property
    def correction_total(self) -> CorrectionPoint:
        return CorrectionPoint(self.query.since, sum(p.ceo_decisions for p in self.corrections),
                               sum(p.corrections for p in self.corrections))

    def usage_by(self, dimension: str) -> tuple[Usage, ...]:
        """Usage summed per ``"team"`` or per ``"model"``, largest token count first."""
        groups: dict[str, list[Usage]] = {}
        for u in self.usage:
            groups.setdefault(getattr(u, dimension), []).append(u)
        rows = [Usage(team=k if dimension == "team" else "*", model=k if dimension == "model" else "*",
                      steps=sum(u.steps for u in g), attempts=sum(u.attempts for u in g),
                      tokens_in=sum(u.tokens_in for u in g), tokens_out=sum(u.tokens_out for u in g),
                      model_s=sum(u.model_s for u in g)) for k, g in groups.items()]
        return tuple(sorted(rows, key=lambda u: (-(u.tokens_in + u.tokens_out), u.team, u.model)))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["cycle"]["parts"]["total_s"] = self.cycle.parts.total_s
        data["quality"] |= {"first_pass_rate": self.quality.first_pass_rate, "rework_rate": self.quality.rework_rate}
        for row, q in zip(data["quality_by_team"], self.quality_by_team, strict=True):
            row["quality"] |= {"first_pass_rate": q.quality.first_pass_rate, "rework_rate": q.quality.rework_rate}
        for row, p in zip(data["corrections"], self.corrections, strict=True):
            row["rate"] = p.rate
        data["correction_rate"] = self.correction_total.rate
        for row, u in zip(data["usage"], self.usage, strict=True):
            row["tokens_per_s"] = u.tokens_per_s
        data["by_model"] = [asdict(u) | {"tokens_per_s": u.tokens_per_s} for u in self.usage_by("model")]
        data["by_team_usage"] = [asdict(u) | {"tokens_per_s": u.tokens_per_s} for u in self.usage_by("team")]
        data["by_status"] = dict(self.by_status)
        return data


# -- traces ------------------------------------------------------------------------------

@dataclass(frozen=True)
class TraceSpan:
    """One attempt of a step or review, or a stretch the task waited, on the task's timeline."""

    kind: str  # work | review | wait
    key: str  # the journal key ("" for a wait)
    team: str
    label: str
    start_s: float  # seconds after the task was created
    end_s: float | None  # None: still open
    attempt: int = 1
    status: str = ""  # done | failed | running; for a wait, the status waited in
    model: str = ""
    tokens_in: int = 0
    tokens_out: int = 0

    @property
    def seconds(self) -> float | None:
        return None if self.end_s is None else self.end_s - self.start_s


@dataclass(frozen=True)
class Trace:
    task_id: int
    title: str
    status: str
    created_at: datetime
    spans: tuple[TraceSpan, ...]
    model_s: float  # the steps' and reviews' own time, every attempt
    waiting_s: float  # in queue or waiting for the founder
    retries: int  # attempts beyond the first
    total_s: float  # created to the last recorded change

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for row, span in zip(data["spans"], self.spans, strict=True):
            row["seconds"] = span.seconds
        return data
