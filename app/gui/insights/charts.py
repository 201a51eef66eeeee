"""What each Insights chart draws, computed from ``Stats`` (pure data; no Qt)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from app.insights.models import PART_LABELS, Stats

PART_COLORS = {"queue": "#94a3b8", "work": "#0ea5e9", "review": "#a855f7", "founder": "#d97706",
               "stopped": "#dc2626"}
FALLBACK = ("#2563eb", "#16a34a", "#ea580c", "#9333ea", "#0891b2", "#db2777", "#65a30d", "#475569")


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    values: tuple[float, ...]  # one per category


@dataclass(frozen=True)
class BarChart:
    """Bars over ``categories``; several series are stacked."""

    title: str
    unit: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    keys: tuple[object, ...] = ()  # what each category stands for (a day for the throughput)

    def totals(self) -> tuple[float, ...]:
        return tuple(sum(s.values[i] for s in self.series) for i in range(len(self.categories)))


@dataclass(frozen=True)
class LineChart:
    title: str
    unit: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]


@dataclass(frozen=True)
class InsightsCharts:
    headline: str
    throughput: BarChart
    cycle: BarChart
    rework: BarChart
    corrections: LineChart
    tokens: BarChart
    model_time: BarChart


def _color(name: str, colors: Mapping[str, str], i: int) -> str:
    return colors.get(name) or FALLBACK[i % len(FALLBACK)]


def _days(since: date, until: date) -> list[date]:
    return [since + timedelta(days=i) for i in range((until - since).days + 1)]


def build_charts(stats: Stats, team_colors: Mapping[str, str]) -> InsightsCharts:
    q = stats.query
    days = _days(q.since, q.until)
    index = {d: i for i, d in enumerate(days)}
    teams = sorted({x.team for x in stats.throughput})
    counts = {t: [0.0] * len(days) for t in teams}
    for x in stats.throughput:
        counts[x.team][index[x.day]] += x.delivered
    throughput = BarChart("Delivered per day, by team", "tasks", tuple(d.strftime("%d %b") for d in days),
                          tuple(Series(t, _color(t, team_colors, i), tuple(counts[t])) for i, t in enumerate(teams)),
                          keys=tuple(days))
    buckets = stats.cycle.buckets
    cycle = BarChart(
        "Cycle time (request to delivery): tasks, split by where the time went", "tasks",
        tuple(b.label for b in buckets),
        tuple(Series(label, PART_COLORS[label], tuple(
            b.tasks * getattr(b.parts, field) / b.parts.total_s if b.parts.total_s > 0 else 0.0 for b in buckets))
            for field, label in PART_LABELS if any(getattr(b.parts, field) for b in buckets)))
    quality = [tq for tq in stats.quality_by_team if tq.quality.delivered]
    rework = BarChart("Sent back by the CEO, by team", "%", tuple(tq.team for tq in quality),
                      (Series("rework rate", "#f97316",
                              tuple(100.0 * (tq.quality.rework_rate or 0.0) for tq in quality)),))
    points = stats.corrections
    corrections = LineChart("Your corrections of the CEO's routing, by week", "%",
                            tuple(p.week.strftime("%d %b") for p in points),
                            (Series("corrections", "#d97706", tuple(100.0 * (p.rate or 0.0) for p in points)),))
    usage_teams = sorted({u.team for u in stats.usage})
    models = [u.model for u in stats.usage_by("model")]
    per = {(u.team, u.model): u for u in stats.usage}
    tokens = BarChart("Tokens (in + out) by team and model", "k tokens", tuple(usage_teams), tuple(
        Series(m, FALLBACK[i % len(FALLBACK)], tuple(
            ((per[(t, m)].tokens_in + per[(t, m)].tokens_out) / 1000 if (t, m) in per else 0.0) for t in usage_teams))
        for i, m in enumerate(models)))
    by_model = stats.usage_by("model")
    model_time = BarChart("Model time and speed by model", "h",
                          tuple(f"{u.model}\n{u.tokens_per_s or 0:.0f} tok/s" for u in by_model),
                          (Series("model time", "#0ea5e9", tuple(u.model_s / 3600 for u in by_model)),))
    c, cy, qu = stats.counts, stats.cycle, stats.quality
    total = stats.correction_total
    parts = [f"{c.created:,} created", f"{c.delivered:,} delivered", f"{c.accepted:,} accepted"]
    if cy.tasks:
        parts.append(f"median cycle {_short(cy.p50_s)} (p90 {_short(cy.p90_s)})")
    if qu.first_pass_rate is not None:
        parts.append(f"{qu.first_pass_rate:.0%} passed the first review")
    if total.rate is not None:
        parts.append(f"you corrected {total.rate:.0%} of routings")
    headline = " · ".join(parts)
    return InsightsCharts(headline, throughput, cycle, rework, corrections, tokens, model_time)


def _short(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
