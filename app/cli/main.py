"""The `bureau` command. Errors go to stderr with a non-zero exit; `--json` is machine-readable."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from app.cli.llm import add_models_parser, cmd_models
from app.cli.routing import add_routing_parsers, cmd_routing, cmd_teams
from app.core.errors import BureauError, InvalidInput
from app.tasks.present import detail_json, detail_text, task_json
from app.company import Company
from app.tasks.service import NewTask
from app.core.status import Priority, Status
from app.core.validation import clean_task_text
from teams import TEAM_NAMES

EXIT_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bureau", description="A small AI company on your own laptop. "
                                     "With no command, opens the desktop app.")
    parser.add_argument("--home", metavar="DIR", help="data folder (default: BUREAU_HOME or the per-user folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        return p

    p = add("submit", "Create a task; prints its id.")
    p.add_argument("text")
    p.add_argument("--title")
    p.add_argument("--priority", choices=[x.value for x in Priority], default="normal")
    p.add_argument("--due", metavar="ISO-DATE")
    p.add_argument("--team", help=f"skip routing: one of {', '.join(TEAM_NAMES)} or a team you added")
    p.add_argument("--sensitive", action="store_true", help="never send this task to cloud runners")
    p.add_argument("--max-rounds", type=int, metavar="N", help="budget: CEO rework rounds")
    p.add_argument("--max-steps", type=int, metavar="N", help="budget: model calls, retries included")
    p.add_argument("--max-tokens", type=int, metavar="N", help="budget: tokens in and out")
    p.add_argument("--max-minutes", type=float, metavar="M", help="budget: wall time from the first step")

    p = add("route", "Show which team the CEO would pick, without creating tasks.")
    p.add_argument("text", nargs="?")
    p.add_argument("--file", type=Path, help="JSON Lines with a `text` field, or plain lines")

    p = add("run", "Run the engine without the desktop app.")
    p.add_argument("--until-idle", action="store_true", help="return when nothing runnable is left")
    p.add_argument("--lease", type=float, default=60.0, metavar="SECONDS",
                   help="how long a claimed task stays ours without renewal; a crashed engine's tasks are "
                   "taken over after it (default 60)")

    p = add("tasks", "List tasks.")
    p.add_argument("--status", choices=[x.value for x in Status])
    p.add_argument("--team")

    p = add("show", "Show a task with its decisions, steps, result and artifacts.")
    p.add_argument("id", type=int)

    add("approve", "Approve the CEO's decision on a waiting task.").add_argument("id", type=int)
    p = add("reassign", "Give a task to another team (teaches the router).")
    p.add_argument("id", type=int)
    p.add_argument("team")
    p.add_argument("--note")
    p = add("rework", "Send delivered work back with a note.")
    p.add_argument("id", type=int)
    p.add_argument("--note", required=True)
    add("accept", "Accept a delivered task (done).").add_argument("id", type=int)
    add("cancel", "Cancel a task.").add_argument("id", type=int)
    add("retry", "Run a failed or cancelled task again; finished steps are kept.").add_argument("id", type=int)
    add("pause", "Pause the company: engines take no new work (the step in flight finishes).")
    add("resume", "Resume the company after a pause.")
    p = add("import", "Create many tasks from a JSON Lines or CSV file.")
    p.add_argument("file", type=Path)
    add_models_parser(sub)
    add_routing_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    if args.command is None:
        from app.gui.shell.main import run_gui  # Qt is imported only here

        return run_gui(home=args.home)
    try:
        company = Company.open(args.home)
    except BureauError as exc:
        return _fail(exc)
    try:
        return COMMANDS[args.command](company, args)
    except BureauError as exc:
        return _fail(exc)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    finally:
        company.close()


def _fail(exc: BureauError) -> int:
    print(f"bureau: error: {exc}", file=sys.stderr)
    return EXIT_ERROR


def _out(args: argparse.Namespace, data: Any, text: str) -> int:
    print(json.dumps(data, ensure_ascii=False) if args.json else text)
    return 0


def cmd_submit(company: Company, args: argparse.Namespace) -> int:
    budget = {key: value for key, value in (("rounds", args.max_rounds), ("steps", args.max_steps),
                                             ("tokens", args.max_tokens), ("minutes", args.max_minutes))
              if value is not None}
    task = company.tasks.submit(NewTask(text=args.text, title=args.title, priority=args.priority, due=args.due,
                                        team=args.team, sensitive=args.sensitive, budget=budget))
    return _out(args, {"id": task.id, "status": task.status}, str(task.id))


def cmd_route(company: Company, args: argparse.Namespace) -> int:
    if (args.text is None) == (args.file is None):
        raise InvalidInput("Give either a TEXT or --file FILE.", fix="For example: bureau route \"Fix the login bug\".")
    texts = [args.text] if args.file is None else list(_route_lines(args.file))
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
        print(json.dumps(data, ensure_ascii=False) if args.json else line, flush=False)
    sys.stdout.flush()
    return 0


def _route_lines(path: Path) -> Iterator[str]:
    if not path.is_file():
        raise InvalidInput(f"There is no file {path}.", fix="Check the path.")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                yield str(json.loads(line)["text"])
            except (json.JSONDecodeError, KeyError, TypeError):
                raise InvalidInput(f"{path.name} line {number} is not a JSON object with a `text` field.",
                                   fix='Write {"text": "..."} per line, or plain lines.') from None
        else:
            yield line


def cmd_run(company: Company, args: argparse.Namespace) -> int:
    if args.lease < 1:
        raise InvalidInput("--lease must be at least 1 second.", fix="For example: --lease 10.")
    engine = company.engine(lease_seconds=args.lease)
    _stop_on_sigterm(engine.stop)
    if company.paused:
        print("The company is paused (`bureau resume` resumes); no new work will be taken.", file=sys.stderr)
    if args.until_idle:
        phases = engine.run_until_idle()
        counts = company.tasks.counts()
        return _out(args, {"phases": phases, "counts": counts},
                    f"Idle after {phases} phase(s). " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    print("Bureau engine running; Ctrl+C stops it.", file=sys.stderr)
    engine.run_forever()
    return 0


def _stop_on_sigterm(stop: Callable[[], None]) -> None:
    """SIGTERM stops the engine in order: the step in flight is left to be retried, nothing is lost."""
    import signal

    signal.signal(signal.SIGTERM, lambda _signo, _frame: stop())


def cmd_tasks(company: Company, args: argparse.Namespace) -> int:
    tasks = company.tasks.list_tasks(status=args.status, team=args.team)
    if args.json:
        return _out(args, [task_json(t) for t in tasks], "")
    for t in tasks:
        print(f"{t.id:>5}  {t.status:<15} {t.team or '-':<10} {t.priority:<7} {t.title}")
    return 0


def cmd_show(company: Company, args: argparse.Namespace) -> int:
    detail = company.tasks.detail(args.id)
    return _out(args, detail_json(detail), detail_text(detail, str(company.home)))


def _action(fn: Callable[[Company, argparse.Namespace], Any], verb: str) -> Callable[[Company, argparse.Namespace], int]:
    def run(company: Company, args: argparse.Namespace) -> int:
        task = fn(company, args)
        return _out(args, {"id": task.id, "status": task.status}, f"Task {task.id} {verb}: now {task.status}.")

    return run


def cmd_import(company: Company, args: argparse.Namespace) -> int:
    tasks = company.tasks.import_file(args.file)
    return _out(args, {"ids": [t.id for t in tasks], "count": len(tasks)}, f"Imported {len(tasks)} task(s).")


COMMANDS: dict[str, Callable[[Company, argparse.Namespace], int]] = {
    "submit": cmd_submit,
    "route": cmd_route,
    "run": cmd_run,
    "tasks": cmd_tasks,
    "show": cmd_show,
    "approve": _action(lambda c, a: c.tasks.approve(a.id), "approved"),
    "reassign": _action(lambda c, a: c.tasks.reassign(a.id, a.team, note=a.note), "reassigned"),
    "rework": _action(lambda c, a: c.tasks.rework(a.id, note=a.note), "sent back"),
    "accept": _action(lambda c, a: c.tasks.accept(a.id), "accepted"),
    "cancel": _action(lambda c, a: c.tasks.cancel(a.id), "cancelled"),
    "retry": _action(lambda c, a: c.tasks.retry(a.id), "retried"),
    "import": cmd_import,
    "pause": lambda c, a: (c.pause(), _out(a, {"paused": True}, "Paused: no new work is taken. `bureau resume` resumes."))[1],
    "resume": lambda c, a: (c.resume(), _out(a, {"paused": False}, "Resumed."))[1],
    "models": cmd_models,
    "routing": cmd_routing,
    "teams": cmd_teams,
}

if __name__ == "__main__":
    sys.exit(main())
