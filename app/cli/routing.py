"""`bureau routing ...` and `bureau teams ...`: what the router learns from, seen and changed.

    bureau routing list [--json]            examples and corrections the router learns from
    bureau routing add TEAM TEXT            a routing example of your own
    bureau routing remove ID
    bureau routing export FILE              JSON Lines (text, team, source)
    bureau teams list [--json]
    bureau teams add NAME --description D [--keyword K ...]
    bureau teams keywords TEAM K [K ...]    routing keywords for any team
    bureau teams remove NAME                a team you added (no open tasks)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import Handler

if TYPE_CHECKING:
    from app.company import Company


def register(sub: Any) -> dict[str, Handler]:
    def add(parent: Any, name: str, help_: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, help=help_, description=help_)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        return p

    routing = sub.add_parser("routing", help="The examples and corrections the CEO's router learns from.",
                             description="The examples and corrections the CEO's router learns from.")
    actions = routing.add_subparsers(dest="routing_action", metavar="ACTION", required=True)
    add(actions, "list", "List examples and corrections.")
    p = add(actions, "add", "Add a routing example: this kind of task belongs to TEAM.")
    p.add_argument("team")
    p.add_argument("text")
    add(actions, "remove", "Remove an example or correction by id.").add_argument("id", type=int)
    add(actions, "export", "Export examples and corrections as JSON Lines.").add_argument("file", type=Path)

    teams = sub.add_parser("teams", help="The teams: list them, add your own, add routing keywords.",
                           description="The teams: list them, add your own, add routing keywords.")
    actions = teams.add_subparsers(dest="teams_action", metavar="ACTION", required=True)
    add(actions, "list", "List the teams with their charters and your keywords.")
    p = add(actions, "add", "Add a team of your own; the router sends it tasks that match its charter.")
    p.add_argument("name")
    p.add_argument("--description", required=True, help="the team's charter: what it owns")
    p.add_argument("--keyword", action="append", default=[], help="a routing keyword or phrase (repeatable)")
    p = add(actions, "keywords", "Add routing keywords or phrases to a team.")
    p.add_argument("team")
    p.add_argument("keywords", nargs="+")
    add(actions, "remove", "Remove a team you added (refused while it has open tasks); its routing examples "
        "are removed with it, finished tasks keep its name.").add_argument("name")
    return {"routing": cmd_routing, "teams": cmd_teams}


def cmd_routing(company: Company, args: argparse.Namespace) -> int:
    service = company.routing
    match args.routing_action:
        case "list":
            rows = service.examples()
            if getattr(args, "json", False):
                print(json.dumps([{"id": r.id, "team": r.team, "source": r.source, "text": r.text,
                                   "task_id": r.task_id} for r in rows], ensure_ascii=False))
            else:
                for r in rows:
                    print(f"{r.id:>4}  {r.source:<10} {r.team:<10} {r.text[:90]}")
                if not rows:
                    print("No examples yet: reassigning a task, or `bureau routing add`, creates one.")
        case "add":
            row = service.add_example(args.text, args.team)
            _say(args, {"id": row.id, "team": row.team}, f"Example {row.id} added for {row.team}.")
        case "remove":
            service.remove_example(args.id)
            _say(args, {"removed": args.id}, f"Example {args.id} removed.")
        case "export":
            count = service.export(args.file)
            _say(args, {"count": count, "file": str(args.file)}, f"Exported {count} example(s) to {args.file}.")
    return 0


def cmd_teams(company: Company, args: argparse.Namespace) -> int:
    service = company.routing
    match args.teams_action:
        case "list":
            infos = service.team_infos()
            if getattr(args, "json", False):
                print(json.dumps([{"name": i.name, "description": i.description, "keywords": list(i.keywords),
                                   "builtin": i.builtin} for i in infos], ensure_ascii=False))
            else:
                for i in infos:
                    extra = f"  [your keywords: {', '.join(i.keywords)}]" if i.keywords else ""
                    print(f"{i.name:<12} {'built-in' if i.builtin else 'yours':<9} {i.description[:80]}{extra}")
        case "add":
            info = service.add_team(args.name, description=args.description, keywords=tuple(args.keyword))
            _say(args, {"name": info.name}, f"Team {info.name} added.")
        case "keywords":
            info = service.add_keywords(args.team, tuple(args.keywords))
            _say(args, {"name": info.name, "keywords": list(info.keywords)},
                 f"{info.name} keywords: {', '.join(info.keywords)}")
        case "remove":
            gone = service.remove_team(args.name)
            text = f"Team {gone.name} removed"
            text += (f", with its {gone.examples_removed} routing example(s)." if gone.examples_removed
                     else "; it had no routing examples.")
            if gone.finished_tasks:
                text += f" Its {gone.finished_tasks} finished task(s) keep the team's name as history."
            _say(args, {"removed": gone.name, "examples_removed": gone.examples_removed,
                        "finished_tasks": gone.finished_tasks}, text)
    return 0


def _say(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    print(json.dumps(data) if getattr(args, "json", False) else text)
