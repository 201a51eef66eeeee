"""`bureau plan show|set`: see and replace a task's plan (the plan as JSON)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import Handler, add_command, out

if TYPE_CHECKING:
    from app.company import Company


def register(sub: Any) -> dict[str, Handler]:
    p = add_command(sub, "plan", "See or replace a task's plan (its steps, teams and dependencies).")
    plan_sub = p.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    show = add_command(plan_sub, "show", "Show a task's plan; with --json, in the form `plan set` reads.")
    show.add_argument("id", type=int)
    put = add_command(plan_sub, "set", "Replace a task's plan with the one in FILE (JSON; - reads stdin). "
                      "Allowed before the task runs; the task is then queued with your plan.")
    put.add_argument("id", type=int)
    put.add_argument("file", type=Path)
    return {"plan": cmd_plan}


def cmd_plan(company: Company, args: argparse.Namespace) -> int:
    from app.tasks.plans import read_plan_file

    if args.plan_command == "set":
        data = read_plan_file(args.file)
        if isinstance(data, dict) and isinstance(data.get("plan"), dict) and "task_id" in data:
            data = data["plan"]  # the output of `plan show --json`, edited
        shown = company.plans.set_plan(args.id, data)
    else:
        shown = company.plans.show(args.id)
    plan = shown.plan
    data_out = {"task_id": shown.task_id, "status": shown.status, "by_founder": shown.by_founder,
                "plan": plan.to_json() if plan is not None else None}
    return out(args, data_out, _text(shown, saved=args.plan_command == "set"))


def _text(shown: Any, *, saved: bool) -> str:
    plan = shown.plan
    head = f"Task {shown.task_id} ({shown.status.replace('_', ' ')})"
    if plan is None:
        return f"{head} has no plan yet; the CEO plans it when the engine runs (or set one with `bureau plan set`)."
    sure = f", {plan.confidence:.0%} sure" if plan.confidence is not None and not shown.by_founder else ""
    who = "your plan" if shown.by_founder else "the CEO's plan"
    lines = [f"{'Saved. ' if saved else ''}{head}: {who}, {plan.shape}, {len(plan.steps)} step(s){sure}"]
    for step in plan.steps:
        after = f" (after {', '.join(step.depends_on)})" if step.depends_on else ""
        lines.append(f"  {step.key} {step.team}: {step.text}{after}")
    return "\n".join(lines)
