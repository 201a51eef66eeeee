"""`bureau submit|route|run|tasks|show|approve|...|import|pause|resume`: the tasks themselves."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import Handler, add_command, out
from app.core.status import Priority, Status

if TYPE_CHECKING:
    from app.company import Company


def register(sub: Any) -> dict[str, Handler]:
    p = add_command(sub, "submit", "Create a task; prints its id. TEXT `-` reads the text from standard input.")
    p.add_argument("text", nargs="?", help="the task; `-` reads it from standard input")
    p.add_argument("--file", metavar="FILE", help="read the task's text from FILE (UTF-8; `-` is standard input)")
    p.add_argument("--attach", metavar="FILE", action="append", default=[],
                   help="attach a text file: the team sees it with its name (repeatable; up to "
                   "10 files of up to 200,000 characters each)")
    p.add_argument("--title")
    p.add_argument("--priority", choices=[x.value for x in Priority], default="normal")
    p.add_argument("--due", metavar="ISO-DATE")
    p.add_argument("--team", help="skip routing: a built-in team (content, code, devops, marketing, sales, "
                   "support) or a team you added")
    p.add_argument("--sensitive", action="store_true", help="never send this task to cloud runners")
    p.add_argument("--max-rounds", type=int, metavar="N", help="budget: CEO rework rounds")
    p.add_argument("--max-steps", type=int, metavar="N", help="budget: model calls, retries included")
    p.add_argument("--max-tokens", type=int, metavar="N", help="budget: tokens in and out")
    p.add_argument("--max-minutes", type=float, metavar="M", help="budget: wall time from the first step")

    p = add_command(sub, "route", "Show which team the CEO would pick, without creating tasks.")
    p.add_argument("text", nargs="?")
    p.add_argument("--file", metavar="FILE", help="JSON Lines with a `text` field, CSV with a `text` column "
                   "(a .csv file), or plain lines; `-` reads standard input")

    p = add_command(sub, "run", "Run the engine without the desktop app.")
    p.add_argument("--until-idle", action="store_true", help="return when nothing runnable is left")
    p.add_argument("--lease", type=float, default=60.0, metavar="SECONDS",
                   help="how long a claimed task stays ours without renewal; a crashed engine's tasks are "
                   "taken over after it (default 60)")

    p = add_command(sub, "tasks", "List tasks.")
    p.add_argument("--status", choices=[x.value for x in Status])
    p.add_argument("--team")
    p.add_argument("--overdue", action="store_true", help="only open tasks whose due date has passed")

    add_command(sub, "show", "Show a task with its decisions, steps, result and artifacts.").add_argument("id", type=int)

    from app.tasks.transitions import TRANSITIONS

    for action in TRANSITIONS.values():
        p = add_command(sub, action.name, action.cli_help)
        p.add_argument("id", type=int)
        if action.name == "reassign":
            p.add_argument("team")
            p.add_argument("--note")
        elif action.name == "rework":
            p.add_argument("--note", required=True)
    add_command(sub, "pause", "Pause the company: engines take no new work (the step in flight finishes).")
    add_command(sub, "resume", "Resume the company after a pause.")
    add_command(sub, "import", "Create many tasks from a JSON Lines or CSV file.").add_argument("file", type=Path)
    return {
        "submit": cmd_submit, "route": cmd_route, "run": cmd_run, "tasks": cmd_tasks, "show": cmd_show,
        **{name: _action(name) for name in TRANSITIONS},
        "import": cmd_import, "pause": cmd_pause, "resume": cmd_resume,
    }


def cmd_submit(company: Company, args: argparse.Namespace) -> int:
    from app.tasks.attachments import read_attachments
    from app.tasks.service import NewTask

    text = _submitted_text(args)
    budget = {key: value for key, value in (("rounds", args.max_rounds), ("steps", args.max_steps),
                                             ("tokens", args.max_tokens), ("minutes", args.max_minutes))
              if value is not None}
    task = company.tasks.submit(NewTask(text=text, title=args.title, priority=args.priority, due=args.due,
                                        team=args.team, sensitive=args.sensitive, budget=budget,
                                        attachments=read_attachments(args.attach)))
    return out(args, {"id": task.id, "status": task.status}, str(task.id))


def _submitted_text(args: argparse.Namespace) -> str:
    """The task's text: the argument, standard input (`-`), or a file (`--file`)."""
    from app.core.validation import MAX_TASK_CHARS

    if (args.text is None) == (args.file is None):
        raise _invalid("Give the task either as TEXT or with --file FILE.",
                       fix='For example: bureau submit "Write a blog post", or bureau submit --file task.md '
                           "(`-` reads standard input).")
    source = args.file if args.file is not None else ("-" if args.text == "-" else None)
    if source is None:
        return str(args.text)
    if source == "-":
        try:
            return sys.stdin.read(MAX_TASK_CHARS + 1)
        except UnicodeDecodeError:
            raise _invalid("Standard input is not UTF-8 text.", fix="Send the task as UTF-8 text.") from None
    path = Path(source)
    if not path.is_file():
        raise _invalid(f"{path} is a folder." if path.is_dir() else f"There is no file {path}.",
                       fix="Give the path of a text file with the task.")
    if path.stat().st_size > MAX_TASK_CHARS * 4:
        raise _invalid(f"{path.name} is {path.stat().st_size:,} bytes; a task's text may have up to "
                       f"{MAX_TASK_CHARS:,} characters.",
                       fix="Describe the task briefly and attach the long material with --attach FILE.")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise _invalid(f"{path.name} is not UTF-8 text.", fix="Save it as UTF-8 text.") from None


def cmd_route(company: Company, args: argparse.Namespace) -> int:
    if (args.text is None) == (args.file is None):
        raise _invalid("Give either a TEXT or --file FILE.", fix="For example: bureau route \"Fix the login bug\".")
    texts = [args.text] if args.file is None else _route_texts(args.file)
    from app.core.validation import clean_task_text

    from agents.ceo import triage

    router, catalogue, examples = company.router(), company.routing.teams(), company.plans.examples()
    for text in texts:
        started = time.perf_counter()
        planned = triage(router, clean_task_text(text), teams=catalogue, examples=examples)
        ms = (time.perf_counter() - started) * 1000
        decision, plan = planned.route, planned.plan
        data = {"text": text, "team": decision.team, "confidence": round(decision.confidence, 4),
                "rationale": decision.rationale,
                "alternatives": [{"team": a.team, "score": round(a.score, 4)} for a in decision.alternatives],
                "ms": round(ms, 3), "shape": plan.shape,
                "plan_confidence": None if plan.confidence is None else round(plan.confidence, 4),
                "plan": [{"key": s.key, "team": s.team, "text": s.text, "depends_on": list(s.depends_on)}
                         for s in plan.steps]}
        line = f"{decision.team}\t{decision.confidence:.2f}\t{decision.rationale}"
        if len(plan.steps) > 1:
            line += f"\n\t{plan.shape}" + (f" ({plan.confidence:.2f} sure)" if plan.confidence is not None else "")
            line += "".join(f"\n\t  {s.key} {s.team}: {s.text}" + (f" (after {', '.join(s.depends_on)})"
                            if s.depends_on else "") for s in plan.steps)
        print(json.dumps(data, ensure_ascii=False) if getattr(args, "json", False) else line, flush=False)
    sys.stdout.flush()
    return 0


def _route_texts(source: str) -> list[str]:
    """The texts of a file (or standard input): JSON Lines, CSV (a .csv file) or plain lines, read like `import`."""
    from app.tasks.importing import parse_rows, read_source

    name, content = read_source(source)
    rows = parse_rows(name, content, csv_format=source.lower().endswith(".csv"), plain_lines=True)
    texts = []
    for row in rows:
        text = row.fields.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _invalid(f"{name} line {row.line} has no `text`.", fix="Give every line a task's text.")
        texts.append(text)
    return texts


def cmd_run(company: Company, args: argparse.Namespace) -> int:
    """Run the engine. Ended by SIGTERM or Ctrl+C it stops in order, prints its summary and exits 0."""
    if not 1 <= args.lease <= 86_400:
        raise _invalid(f"--lease must be from 1 to 86400 seconds, not {args.lease:g}.", fix="For example: --lease 10.")
    stopped: list[str] = []
    stoppers: list[Callable[[], None]] = []  # the engine's, once made: a SIGTERM while it is being made still stops it

    def stop(reason: str) -> None:
        stopped.append(reason)
        for stop_engine in stoppers:
            stop_engine()

    _stop_on_sigterm(lambda: stop("sigterm"))
    engine = company.engine(lease_seconds=args.lease)
    stoppers.append(engine.stop)
    if stopped:
        engine.stop()
    if company.paused:
        print("The company is paused (`bureau resume` resumes); no new work will be taken.", file=sys.stderr)
    if args.until_idle:
        phases = engine.run_until_idle()
    else:
        company.start_schedules(name=engine.engine_id)  # headless: schedules fire here too
        print("Bureau engine running (schedules fire while it runs); Ctrl+C or SIGTERM stops it.", file=sys.stderr)
        phases = 0
        try:
            engine.run_forever()
        except KeyboardInterrupt:
            stop("interrupt")
    counts = company.tasks.counts()
    how = f" (stopped by {stopped[0]})" if stopped else ""
    return out(args, {"phases": phases, "counts": counts, "stopped": stopped[0] if stopped else None},
               (f"Idle after {phases} phase(s){how}. " if args.until_idle else f"Engine stopped{how}. ")
               + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))


def _stop_on_sigterm(stop: Callable[[], None]) -> None:
    """SIGTERM stops the engine in order: the step in flight is left to be retried, nothing is lost."""
    import signal

    signal.signal(signal.SIGTERM, lambda _signo, _frame: stop())


def cmd_tasks(company: Company, args: argparse.Namespace) -> int:
    from app.tasks.present import task_json

    tasks = company.tasks.list_tasks(status=args.status, team=args.team)
    if args.overdue:
        from datetime import date

        from app.schedules.deadlines import overdue_tasks

        late = {t.id for t in overdue_tasks(company.db, today=date.today())}
        tasks = [t for t in tasks if t.id in late]
    if getattr(args, "json", False):
        return out(args, [task_json(t) for t in tasks], "")
    for t in tasks:
        print(f"{t.id:>5}  {t.status:<15} {t.team or t.requested_team or '-':<10} {t.priority:<7} {t.title}")
    return 0


def cmd_show(company: Company, args: argparse.Namespace) -> int:
    from app.knowledge.present import task_grounding
    from app.store.snapshot import load_snapshot
    from app.tasks.attachments import load_attachments
    from app.tasks.overview import overview
    from app.tasks.present import detail_json, detail_text

    detail = company.tasks.detail(args.id)
    with company.db.raw_read() as conn:
        view = overview(load_snapshot(conn, args.id), company.settings.budgets, load_attachments(conn, args.id),
                        grounding=task_grounding(conn, args.id))
    return out(args, detail_json(detail, view), detail_text(detail, str(company.home), view))


def _action(name: str) -> Handler:
    from app.tasks.transitions import TRANSITIONS

    action = TRANSITIONS[name]

    def run(company: Company, args: argparse.Namespace) -> int:
        task = company.tasks.act(name, args.id, team=getattr(args, "team", None), note=getattr(args, "note", None))
        return out(args, {"id": task.id, "status": task.status}, f"Task {task.id} {action.past}: now {task.status}.")

    return run


def cmd_pause(company: Company, args: argparse.Namespace) -> int:
    company.pause()
    return out(args, {"paused": True}, "Paused: no new work is taken. `bureau resume` resumes.")


def cmd_resume(company: Company, args: argparse.Namespace) -> int:
    company.resume()
    return out(args, {"paused": False}, "Resumed.")


def cmd_import(company: Company, args: argparse.Namespace) -> int:
    tasks = company.tasks.import_file(args.file)
    return out(args, {"ids": [t.id for t in tasks], "count": len(tasks)}, f"Imported {len(tasks)} task(s).")




def _invalid(message: str, *, fix: str) -> Exception:
    from app.core.errors import InvalidInput

    return InvalidInput(message, fix=fix)
