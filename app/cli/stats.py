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
    t = add_command(sub, "trace", "A task's timeline: each step and review with model time, waits and retries.")
    t.add_argument("id", type=int)
    t.add_argument("--otlp", action="store_true", help="also send it to the OpenTelemetry collector in the settings")
    c = add_command(sub, "traces", "Where finished tasks' traces go (an OpenTelemetry collector, OTLP/HTTP); "
                    "off unless an endpoint is set.")
    where = c.add_mutually_exclusive_group()
    where.add_argument("--endpoint", metavar="URL", help="e.g. http://localhost:4318 (Jaeger, Grafana Alloy, otelcol)")
    where.add_argument("--off", action="store_true", help="stop exporting (clears the endpoint)")
    headers = c.add_mutually_exclusive_group()
    headers.add_argument("--headers-stdin", action="store_true",
                         help="read headers (`Authorization=Bearer TOKEN,Name=value`) from standard input into "
                              "the OS keyring and send them")
    headers.add_argument("--no-headers", action="store_true", help="send no headers (and forget the stored ones)")
    return {"stats": cmd_stats, "trace": cmd_trace, "traces": cmd_traces}


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
    text = render_trace(trace)
    data = trace.to_json()
    if args.otlp:
        from app.insights.otlp import OtlpError, OtlpSender, export_task

        traces = company.settings.traces
        if not traces.enabled:
            raise OtlpError("No OpenTelemetry collector is configured, so nothing was sent.",
                            fix="Set one with `bureau traces --endpoint http://localhost:4318` "
                                "(`traces.otlp_endpoint` in the settings).")
        sender = OtlpSender(lambda: company.settings)
        try:
            sent = export_task(company.db, sender, args.id, round_=0, raise_errors=True)
        finally:
            sender.close()
        data["otlp"] = {"endpoint": traces.traces_url, "spans": sent}
        text += f"\nSent {sent} span(s) to {traces.traces_url}."
    return out(args, data, text)


def cmd_traces(company: Company, args: argparse.Namespace) -> int:
    import sys

    from app.core.secrets import Secrets
    from app.insights.otlp import HEADERS_KEY, parse_headers

    changes: dict[str, Any] = {}
    if args.endpoint is not None or args.off:
        changes["otlp_endpoint"] = None if args.off else args.endpoint
    if args.headers_stdin:
        value = sys.stdin.read().strip()
        parse_headers(value)  # a malformed value is refused before anything is stored
        Secrets().set(HEADERS_KEY, value)
        changes["headers_keyring"] = True
    elif args.no_headers:
        Secrets().delete(HEADERS_KEY)
        changes["headers_keyring"] = False
    if changes:
        _update_traces(company, changes)
    traces = company.settings.traces
    text = (f"Traces go to {traces.traces_url}" + (" with headers from the OS keyring." if traces.headers_keyring
                                                   else ".")
            if traces.enabled else "Traces are not exported (no endpoint; `bureau traces --endpoint URL` sets one).")
    return out(args, {"otlp_endpoint": traces.otlp_endpoint, "traces_url": traces.traces_url,
                      "headers_keyring": traces.headers_keyring}, text)


def _update_traces(company: Company, changes: dict[str, Any]) -> None:
    from pydantic import ValidationError

    from app.core.errors import InvalidInput
    from app.core.jsonfile import first_error

    try:
        company.update_settings(traces=changes)
    except ValidationError as exc:
        raise InvalidInput(f"Traces not changed: {first_error(exc)}.",
                           fix="Give an http:// or https:// URL, e.g. --endpoint http://localhost:4318.") from None
