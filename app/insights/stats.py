"""Stats from the journal in SQL aggregates: counts, cycle time and its parts, quality, corrections, usage.

Triggers of migration 8 keep, as the journal is written, a clock per task (``task_clock``: the
time it spent in each status, its first delivery, its rework rounds) and daily rollups per team
(``stat_day``, ``stat_cycle``) and per team and model (``stat_usage``). A period's stats are
aggregates over a few rows per day; only the cycle-time percentiles read one index entry per
delivered task. Days are UTC days.
"""

from __future__ import annotations

import math
import sqlite3
import time
from datetime import date
from typing import Any

from app.insights.models import (
    Counts,
    CorrectionPoint,
    CycleBucket,
    CycleParts,
    CycleStats,
    DayCount,
    Quality,
    Stats,
    StatsQuery,
    TeamCounts,
    TeamQuality,
    Usage,
)
from app.store.db import Database
from app.store.migrations import CYCLE_BUCKET_EDGES

# Labels of the cycle-time buckets (their upper bounds are CYCLE_BUCKET_EDGES; the last is open).
BUCKET_LABELS: tuple[str, ...] = ("< 1 min", "1-5 min", "5-15 min", "15-60 min", "1-4 h", "4-24 h", "1-3 d", "> 3 d")
BUCKETS: tuple[tuple[float | None, str], ...] = tuple(zip((*CYCLE_BUCKET_EDGES, None), BUCKET_LABELS, strict=True))
_PARTS = ("queue_s", "work_s", "review_s", "founder_s", "stopped_s")
_PERIOD = "day >= :lo AND day < :hi AND (:team IS NULL OR team = :team)"


def compute_stats(db: Database, query: StatsQuery) -> Stats:
    """Every figure for ``query`` in one read snapshot."""
    started = time.perf_counter()
    lo, hi = query.bounds
    p: dict[str, Any] = {"lo": lo, "hi": hi, "team": query.team}
    with db.raw_read() as conn:
        days = conn.execute(
            "SELECT team, SUM(created), SUM(delivered), SUM(accepted), SUM(failed), SUM(cancelled), "
            "SUM(first_pass), SUM(reworked), SUM(ceo_reworks), SUM(founder_reworks) "
            f"FROM stat_day WHERE {_PERIOD} GROUP BY team ORDER BY team", p).fetchall()
        by_team = tuple(TeamCounts(str(r[0]), Counts(*map(int, r[1:6]))) for r in days if any(r[1:6]))
        quality_by_team = tuple(TeamQuality(str(r[0]), Quality(int(r[2]), *map(int, r[6:10]))) for r in days if r[2])
        by_status = tuple((str(s), int(n)) for s, n in conn.execute(
            f"SELECT status, SUM(tasks) AS n FROM stat_status WHERE {_PERIOD} GROUP BY status HAVING n > 0 "
            "ORDER BY n DESC, status", p))
        throughput = tuple(DayCount(date.fromisoformat(d), str(team), int(n)) for d, team, n in conn.execute(
            f"SELECT day, team, delivered FROM stat_day WHERE {_PERIOD} AND delivered > 0 ORDER BY day, team", p))
        cycle = _cycle(conn, p)
        corrections = tuple(CorrectionPoint(date.fromisoformat(wk), int(ceo), int(fix)) for wk, ceo, fix in conn.execute(
            "SELECT date(day, 'weekday 0', '-6 days') AS wk, SUM(ceo_decisions), SUM(corrections) "
            f"FROM stat_day WHERE {_PERIOD} GROUP BY wk HAVING SUM(ceo_decisions) + SUM(corrections) > 0 "
            "ORDER BY wk", p))
        usage = tuple(Usage(str(team), str(model), *map(int, ints), float(secs))
                      for team, model, *ints, secs in conn.execute(
            "SELECT team, model, SUM(steps), SUM(attempts), SUM(tokens_in), SUM(tokens_out), SUM(model_s) "
            f"FROM stat_usage WHERE {_PERIOD} GROUP BY team, model ORDER BY team, model", p))
    counts = Counts(*(sum(getattr(tc.counts, f) for tc in by_team)
                      for f in ("created", "delivered", "accepted", "failed", "cancelled")))
    quality = Quality(*(sum(getattr(tq.quality, f) for tq in quality_by_team)
                        for f in ("delivered", "first_pass", "reworked", "rework_rounds", "founder_reworks")))
    return Stats(query=query, counts=counts, by_team=by_team, by_status=by_status, throughput=throughput,
                 cycle=cycle, quality=quality, quality_by_team=quality_by_team, corrections=corrections,
                 usage=usage, ms=(time.perf_counter() - started) * 1000)


def _cycle(conn: sqlite3.Connection, p: dict[str, Any]) -> CycleStats:
    n, total, rounds, *parts = conn.execute(
        f"SELECT SUM(delivered), SUM(cycle_s), SUM(ceo_reworks), {', '.join(f'SUM({x})' for x in _PARTS)} "
        f"FROM stat_day WHERE {_PERIOD}", p).fetchone()
    if not n:
        return CycleStats()
    n = int(n)
    # Walk the cycle-time index in order (no sort): the k-th entry delivered in the period.
    where = ("FROM task_clock INDEXED BY ix_clock_cycle WHERE cycle_s IS NOT NULL AND delivered_at >= :lo "
             "AND delivered_at < :hi AND (:team IS NULL OR team = :team)")
    high = conn.execute(f"SELECT cycle_s {where} ORDER BY cycle_s DESC LIMIT 1", p).fetchone()

    def percentile(q: float) -> float:  # nearest rank: the ceil(q * n)-th smallest
        row = conn.execute(f"SELECT cycle_s {where} ORDER BY cycle_s LIMIT 1 OFFSET :k",
                           p | {"k": max(0, min(n, math.ceil(q * n)) - 1)}).fetchone()
        return float(row[0]) if row else 0.0

    buckets = {int(b): CycleBucket(BUCKETS[int(b)][1], BUCKETS[int(b)][0], int(k), CycleParts(*(x / k for x in ps)))
               for b, k, *ps in conn.execute(
                   f"SELECT bucket, SUM(tasks), {', '.join(f'SUM({x})' for x in _PARTS)} FROM stat_cycle "
                   f"WHERE {_PERIOD} GROUP BY bucket HAVING SUM(tasks) > 0", p)}
    return CycleStats(
        tasks=n, mean_s=float(total) / n, p50_s=percentile(0.5), p90_s=percentile(0.9), max_s=float(high[0]) if high else 0.0,
        parts=CycleParts(*(float(x) / n for x in parts)), rework_rounds=float(rounds) / n,
        buckets=tuple(buckets.get(i, CycleBucket(label, upper, 0, CycleParts()))
                      for i, (upper, label) in enumerate(BUCKETS)))


def delivered_task_ids(db: Database, *, day: date, team: str | None = None, limit: int = 5000) -> list[int]:
    """The tasks first delivered on ``day`` (UTC), optionally of one team: what a throughput bar stands for."""
    lo, hi = StatsQuery(since=day, until=day).bounds
    with db.raw_read() as conn:
        rows = conn.execute(
            "SELECT task_id FROM task_clock WHERE delivered_at >= ? AND delivered_at < ? "
            "AND (? IS NULL OR team = ?) ORDER BY task_id LIMIT ?", (lo, hi, team, team, limit))
        return [int(r[0]) for r in rows]
