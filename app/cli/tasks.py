"""`bureau submit|route|run|tasks|show|approve|...|import|pause|resume`: the tasks themselves."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import Handler, add_command, out
from app.core.status import Priority, Status

if TYPE_CHECKING:
    from app.company import Company


def register(sub: Any) -> dict[str, Handler]:
    p = add_command(sub, "submit", "Create a task; prints its id.")
    p.add_argument("text")
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
    p.add_argument("--file", type=Path, help="JSON Lines with a `text` field, or plain lines")

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
    budget = {key: value for key, value in (("rounds", args.max_rounds), ("steps", args.max_steps),
                                             ("tokens", args.max_tokens), ("minutes", args.max_minutes))
              if value is not None}
    from app.tasks.service import NewTask

    task = company.tasks.submit(NewTask(text=args.text, title=args.title, priority=args.priority, due=args.due,
                                        team=args.team, sensitive=args.sensitive, budget=budget))
    return out(args, {"id": task.id, "status": task.status}, str(task.id))


def cmd_route(company: Company, args: argparse.Namespace) -> int:
    if (args.text is None) == (args.file is None):
        raise _invalid("Give either a TEXT or --file FILE.", fix="For example: bureau route \"Fix the login bug\".")
    texts = [args.text] if args.file is None else list(_route_lines(args.file))
    from app.core.validation import clean_task_text

    router = company.router()
    for text in texts:
        started = time.perf_counter()
        decision = router.route(clean_task_text(text))
        ms = (time.perf_counter() - started) * 1000
        data = {"text": text, "team": decision.team, "confidence": round(decision.confidence, 4),
                "rationale": decision.rationale,
                "alternatives": [{"team": a.team, "score": round(a.score, 4)} for a in decision.alternatives],
                "ms": round(ms, 3)}
        if decision.is_multi_team:
            data["plan"] = [{"team": s.team, "text": s.text} for s in decision.segments]
        line = f"{decision.team}\t{decision.confidence:.2f}\t{decision.rationale}"
        print(json.dumps(data, ensure_ascii=False) if getattr(args, "json", False) else line, flush=False)
    sys.stdout.flush()
    return 0


def _route_lines(path: Path) -> Iterator[str]:
    if not path.is_file():
        raise _invalid(f"There is no file {path}.", fix="Check the path.")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                yield str(json.loads(line)["text"])
            except (json.JSONDecodeError, KeyError, TypeError):
                raise _invalid(f"{path.name} line {number} is not a JSON object with a `text` field.",
                                   fix='Write {"text": "..."} per line, or plain lines.') from None
        else:
            yield line


def cmd_run(company: Company, args: argparse.Namespace) -> int:
    if args.lease < 1:
        raise _invalid("--lease must be at least 1 second.", fix="For example: --lease 10.")
    engine = company.engine(lease_seconds=args.lease)
    _stop_on_sigterm(engine.stop)
    if company.paused:
        print("The company is paused (`bureau resume` resumes); no new work will be taken.", file=sys.stderr)
    if args.until_idle:
        phases = engine.run_until_idle()
        counts = company.tasks.counts()
        return out(args, {"phases": phases, "counts": counts},
                    f"Idle after {phases} phase(s). " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    company.start_schedules(name=engine.engine_id)  # headless: schedules fire here too
    print("Bureau engine running (schedules fire while it runs); Ctrl+C stops it.", file=sys.stderr)
    engine.run_forever()
    return 0


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
        print(f"{t.id:>5}  {t.status:<15} {t.team or '-':<10} {t.priority:<7} {t.title}")
    return 0


def cmd_show(company: Company, args: argparse.Namespace) -> int:
    from app.tasks.present import detail_json, detail_text

    detail = company.tasks.detail(args.id)
    return out(args, detail_json(detail), detail_text(detail, str(company.home)))


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
