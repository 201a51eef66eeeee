"""`bureau schedule add|list|show|pause|resume|remove|run-now|next`: recurring and scheduled work."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app.cli.common import Handler, add_command, out

if TYPE_CHECKING:
    from app.company import Company
    from app.schedules.service import ScheduleView

_PRIORITIES = ("low", "normal", "high", "urgent")


def register(sub: Any) -> dict[str, Handler]:
    top = add_command(sub, "schedule", "Recurring and scheduled work: tasks created by a rule "
                      "('every monday at 9', 'cron: 0 9 * * 1-5').")
    family = top.add_subparsers(dest="schedule_command", metavar="ACTION", required=True)
    p = add_command(family, "add", "Save a schedule: the task TEXT is created each time RULE fires.")
    p.add_argument("text")
    p.add_argument("--rule", required=True, help="when, in words ('every weekday at 8:30') or 'cron: 0 9 * * 1-5'")
    p.add_argument("--team", help="skip routing: the team that gets each task")
    p.add_argument("--tz", help="time zone of the rule (IANA name, e.g. Europe/Berlin; default: this computer's)")
    p.add_argument("--catch-up", choices=("once", "skip"), default="once",
                   help="after sleep or downtime: one task for what was missed (default), or skip it")
    p.add_argument("--title")
    p.add_argument("--priority", choices=_PRIORITIES, default="normal")
    p.add_argument("--sensitive", action="store_true", help="never send these tasks to cloud runners")
    p.add_argument("--paused", action="store_true", help="save it paused")
    add_command(family, "list", "List the schedules with their next and last runs.")
    for name, help_ in (("show", "Show a schedule, its next occurrences and what it created."),
                        ("pause", "Pause a schedule (its occurrences are skipped until it is resumed)."),
                        ("resume", "Resume a paused schedule from now on."),
                        ("remove", "Remove a schedule (the tasks it created stay)."),
                        ("run-now", "Create the schedule's task now, once, besides its own times.")):
        add_command(family, name, help_).add_argument("id", type=int)
    p = add_command(family, "next", "Show when a rule would fire, without saving anything.")
    p.add_argument("rule")
    p.add_argument("--from", dest="start", metavar="ISO-DATETIME", help="count from this instant (default: now)")
    p.add_argument("--tz", help="time zone of the rule (default: this computer's)")
    p.add_argument("--count", type=int, default=5, metavar="N")
    return {"schedule": cmd_schedule}


def cmd_schedule(company: Company, args: argparse.Namespace) -> int:
    action = args.schedule_command
    service = company.schedules
    if action == "next":
        preview = service.preview(args.rule, tz=args.tz, start=_instant(args.start), count=args.count)
        zone = preview.to_json()
        lines = [f"{preview.words} ({preview.tz})"] + [f"  {t}" for t in zone["next"]]
        return out(args, zone, "\n".join(lines))
    if action == "add":
        from app.schedules.service import NewSchedule

        view = service.add(NewSchedule(text=args.text, rule=args.rule, team=args.team, tz=args.tz,
                                       catch_up=args.catch_up, title=args.title, priority=args.priority,
                                       sensitive=args.sensitive, paused=args.paused))
        view = service.get(view.id, upcoming=3)
        return out(args, view.to_json(), f"Schedule {view.id}: {view.words} ({view.row.tz}).\n"
                   + "\n".join(f"  next: {view.local(t)}" for t in view.upcoming))
    if action == "list":
        views = service.list_schedules()
        if getattr(args, "json", False):
            return out(args, [v.to_json() for v in views], "")
        for v in views:
            last = f"{v.local(v.last.scheduled_for)} (task {v.last.task_id})" if v.last else "-"
            print(f"{v.id:>4}  {v.state:<8} next {v.local(v.next_run) or '-':<20} last {last:<28} "
                  f"{v.words} — {v.row.title or v.row.text.splitlines()[0][:50]}")
        if not views:
            print("No schedules yet. Add one: bureau schedule add \"Draft the newsletter\" --rule \"every monday at 9\"")
        return 0
    if action == "show":
        return _show(args, service.get(args.id, upcoming=5, history=20))
    if action == "pause":
        v = service.pause(args.id)
        return out(args, {"id": v.id, "state": v.state}, f"Schedule {v.id} paused.")
    if action == "resume":
        v = service.resume(args.id)
        return out(args, {"id": v.id, "state": v.state, "next_run": v.to_json()["next_run"]},
                   f"Schedule {v.id} resumed; next run {v.local(v.next_run) or 'none'}.")
    if action == "remove":
        service.remove(args.id)
        return out(args, {"id": args.id, "removed": True}, f"Schedule {args.id} removed; its tasks stay.")
    task_id = service.run_now(args.id)  # run-now
    return out(args, {"id": args.id, "task": task_id}, f"Task {task_id} created from schedule {args.id}.")


def _show(args: argparse.Namespace, view: ScheduleView) -> int:
    r = view.row
    lines = [f"Schedule {r.id} ({view.state}): {view.words}", f"  rule: {r.rule}  time zone: {r.tz}  "
             f"catch-up: {r.catch_up}", f"  task: {r.title or ''} {r.text}"[:400],
             f"  team: {r.team or 'the CEO routes it'}  priority: {r.priority}"]
    lines += [f"  next: {view.local(t)}" for t in view.upcoming]
    lines += [f"  ran:  {view.local(o.scheduled_for)} -> task {o.task_id} ({o.kind}"
              + (f", {o.missed} missed" if o.missed else "") + ")" for o in view.history]
    return out(args, view.to_json(), "\n".join(lines))


def _instant(text: str | None):  # type: ignore[no-untyped-def]
    if text is None:
        return None
    from datetime import datetime

    from app.core.errors import InvalidInput

    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"--from {text!r} is not a date and time.",
                           fix="Write it in ISO 8601, e.g. 2027-01-15T09:00 or 2027-01-15T09:00+01:00.") from None
