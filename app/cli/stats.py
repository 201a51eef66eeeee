"""`bureau stats` and `bureau trace`: what the company did, and one task's timeline."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from app.cli.common import Handler, add_command, out

if TYPE_CHECKING:
    from app.company import Company

DEFAULT_DAYS = 30


def register(sub: Any) -> dict[str, Handler]:
    p = add_command(sub, "stats", "What the company did in a period: tasks, cycle time, quality, corrections, "
                    "tokens and model time.")
    p.add_argument("--since", metavar="YYYY-MM-DD", help=f"first day (UTC; default: {DEFAULT_DAYS} days ago)")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="last day, inclusive (default: today)")
    p.add_argument("--team", help="only this team's tasks and steps")
    p.add_argument("--week", action="store_true", help="a short summary of the last seven days")
    add_command(sub, "trace", "A task's timeline: each step and review with model time, waits and retries."
                ).add_argument("id", type=int)
    return {"stats": cmd_stats, "trace": cmd_trace}


def _day(value: str | None, name: str) -> date | None:
    from app.core.errors import InvalidInput

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"--{name} {value!r} is not a date.", fix="Write it as YYYY-MM-DD, e.g. 2025-03-01.") from None


def cmd_stats(company: Company, args: argparse.Namespace) -> int:
    from app.core.errors import InvalidInput
    from app.core.validation import check_team
    from app.insights.models import StatsQuery
    from app.insights.report import render_stats, summary_text
    from app.insights.stats import compute_stats

    team = check_team(args.team, company.tasks.teams)
    today = datetime.now(UTC).date()
    if args.week:
        if args.since or args.until or team:
            raise InvalidInput("--week takes no --since, --until or --team.", fix="Use `bureau stats --week` alone.")
        stats = compute_stats(company.db, StatsQuery.last_days(7, today=today))
        text = summary_text(stats)
        return out(args, stats.to_json() | {"summary": text}, text)
    until = _day(args.until, "until") or today
    since = _day(args.since, "since") or until - timedelta(days=DEFAULT_DAYS - 1)
    if since > until:
        raise InvalidInput(f"--since {since} is after --until {until}.", fix="Swap them.")
    stats = compute_stats(company.db, StatsQuery(since=since, until=until, team=team))
    return out(args, stats.to_json(), render_stats(stats))


def cmd_trace(company: Company, args: argparse.Namespace) -> int:
    from app.insights.trace import render_trace, task_trace

    trace = task_trace(company.db, args.id)
    return out(args, trace.to_json(), render_trace(trace))
