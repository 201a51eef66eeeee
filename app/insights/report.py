"""Stats as text: the `bureau stats` summary and the weekly report (the scheduler can deliver it)."""

from __future__ import annotations

from datetime import date

from app.insights.models import Stats, StatsQuery
from app.insights.stats import compute_stats
from app.insights.trace import _dur
from app.store.db import Database


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def render_stats(stats: Stats) -> str:
    q, c, cy, qu = stats.query, stats.counts, stats.cycle, stats.quality
    head = f"{q.since.isoformat()} to {q.until.isoformat()} (UTC days)" + (f", team {q.team}" if q.team else "")
    lines = [head,
             f"Tasks: {c.created} created, {c.delivered} delivered, {c.accepted} accepted, "
             f"{c.failed} failed, {c.cancelled} cancelled"]
    if stats.by_status:
        lines.append("Now (tasks created in the period): " + ", ".join(
            f"{n} {s.replace('_', ' ')}" for s, n in stats.by_status))
    if cy.tasks:
        p = cy.parts
        lines += [f"Cycle time (created → first delivered, {cy.tasks} tasks): median {_dur(cy.p50_s)}, "
                  f"p90 {_dur(cy.p90_s)}, mean {_dur(cy.mean_s)}, longest {_dur(cy.max_s)}",
                  f"  where it goes (mean): queue {_dur(p.queue_s)}, work {_dur(p.work_s)}, "
                  f"review {_dur(p.review_s)}, waiting for you {_dur(p.founder_s)}"
                  + (f", stopped {_dur(p.stopped_s)}" if p.stopped_s else "")
                  + f"; {cy.rework_rounds:.2f} rework rounds per task"]
        lines.append(f"Quality: {_pct(qu.first_pass_rate)} passed the CEO's first review, "
                     f"{_pct(qu.rework_rate)} were sent back by the CEO; you sent back {qu.founder_reworks}")
    total = stats.correction_total
    if total.ceo_decisions or total.corrections:
        lines.append(f"Your corrections: {total.corrections} of {total.ceo_decisions} CEO routing decisions "
                     f"({_pct(total.rate)}); by week: " + ", ".join(
                         f"{p.week.isoformat()} {_pct(p.rate)}" for p in stats.corrections))
    if stats.by_team:
        lines.append("By team:")
        quality = {tq.team: tq.quality for tq in stats.quality_by_team}
        for tc in stats.by_team:
            k = tc.counts
            rate = quality[tc.team].rework_rate if tc.team in quality else None
            lines.append(f"  {tc.team:<12} {k.created:>6} created {k.delivered:>6} delivered {k.accepted:>6} accepted "
                         f"{k.failed:>5} failed {k.cancelled:>5} cancelled   rework {_pct(rate)}")
    models = stats.usage_by("model")
    if models:
        lines.append("Models:")
        for u in models:
            speed = f"{u.tokens_per_s:.1f} tokens/s" if u.tokens_per_s else "-"
            lines.append(f"  {u.model:<24} {u.steps:>7} steps {u.tokens_in:>11,} in {u.tokens_out:>11,} out "
                         f"{_dur(u.model_s):>9}  {speed}")
    return "\n".join(lines)


def weekly_summary(db: Database, *, today: date | None = None) -> str:
    """A short summary of the last seven days, for the founder (printed by `bureau stats --week`)."""
    return summary_text(compute_stats(db, StatsQuery.last_days(7, today=today)))


def summary_text(stats: Stats) -> str:
    """A short summary of ``stats`` in Markdown (a weekly report's body)."""
    c, cy, qu = stats.counts, stats.cycle, stats.quality
    q = stats.query
    lines = [f"# {q.since.isoformat()} to {q.until.isoformat()}", ""]
    if not (c.created or c.delivered or c.accepted):
        return "\n".join(lines + ["A quiet week: no tasks were created or delivered."])
    lines.append(f"- {c.created} tasks came in; {c.delivered} were delivered and you accepted {c.accepted}."
                 + (f" {c.failed} failed and {c.cancelled} were cancelled." if c.failed or c.cancelled else ""))
    busiest = sorted(stats.by_team, key=lambda tc: -tc.counts.delivered)[:3]
    if busiest and busiest[0].counts.delivered:
        lines.append("- Busiest teams: " + ", ".join(f"{tc.team} ({tc.counts.delivered} delivered)"
                                                     for tc in busiest if tc.counts.delivered) + ".")
    if cy.tasks:
        longest = max(("queue", cy.parts.queue_s), ("work", cy.parts.work_s), ("review", cy.parts.review_s),
                      ("waiting for you", cy.parts.founder_s), key=lambda kv: kv[1])
        lines.append(f"- A task took {_dur(cy.p50_s)} from request to delivery (median; p90 {_dur(cy.p90_s)}); "
                     f"most of the time went to {longest[0]}.")
        lines.append(f"- {_pct(qu.first_pass_rate)} passed the CEO's first review; "
                     f"the CEO sent {_pct(qu.rework_rate)} back for rework.")
    total = stats.correction_total
    if total.ceo_decisions:
        lines.append(f"- You corrected {total.corrections} of the CEO's {total.ceo_decisions} routing decisions "
                     f"({_pct(total.rate)}).")
    tokens = sum(u.tokens_in + u.tokens_out for u in stats.usage)
    if tokens:
        model_s = sum(u.model_s for u in stats.usage)
        lines.append(f"- The models read and wrote {tokens:,} tokens in {_dur(model_s)} of model time.")
    return "\n".join(lines)
