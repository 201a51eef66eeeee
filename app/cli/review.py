"""`bureau review`: the CEO's review of a given output, without creating a task.

    bureau review --team T --task TEXT --output-file F [--note N] [--checks-only] [--json]

Runs the same review as the engine (the checks, then the CEO's model if its calibration lets it
judge). Scripts and benchmarks use it to test the reviewer. Exit code 0 either way; read "verdict".
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import Handler, add_command, out

if TYPE_CHECKING:
    from app.company import Company


def register(sub: Any) -> dict[str, Handler]:
    p = add_command(sub, "review", "Review an output as the CEO would (pass or rework, with notes), without a task.")
    p.add_argument("--team", required=True, help="the team whose work it is (its rubric)")
    p.add_argument("--task", required=True, help="the task text the output answers")
    p.add_argument("--output-file", required=True, type=Path, metavar="F", help="the output to review (UTF-8 text)")
    p.add_argument("--note", help="the founder's rework note the output should follow")
    p.add_argument("--previous-file", type=Path, metavar="F", help="the version the note was written about")
    p.add_argument("--checks-only", action="store_true", help="do not ask the CEO's model, even if it may judge")
    return {"review": cmd_review}


def _read(path: Path, what: str) -> str:
    from app.core.errors import InvalidInput

    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InvalidInput(f"The {what} {path} does not exist.", fix="Give the path of a text file.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"Cannot read the {what} {path}: {exc}.", fix="Give a readable UTF-8 text file.") from exc


def cmd_review(company: Company, args: argparse.Namespace) -> int:
    from app.core.errors import InvalidInput
    from app.engine.review import review_once

    names = company.teams.names()
    if args.team not in names:
        raise InvalidInput(f"There is no team {args.team!r}.", fix=f"Use one of: {', '.join(sorted(names))}.")
    if not args.task.strip():
        raise InvalidInput("The task is empty.", fix="Pass the task text with --task.")
    output = _read(args.output_file, "output file")
    previous = _read(args.previous_file, "previous version") if args.previous_file else None
    review = review_once(home=company.home, settings=company.settings, teams=company.teams,
                         backend_for=company.models.backend_for, team=args.team, task_text=args.task,
                         output=output, note=args.note, previous_output=previous, with_model=not args.checks_only)
    data = {"verdict": review.verdict, "notes": review.notes,
            "checks": [{"name": c.name, "passed": c.passed, "detail": c.detail} for c in review.checks],
            "model_used": review.model, "reviewed_by": review.reviewed_by,
            "kind": review.asked.kind if review.asked else None}
    lines = [f"{review.verdict.upper()} ({review.reviewed_by}; {data['kind']})", review.notes]
    lines += [f"  [{'x' if c.passed else ' '}] {c.name}: {c.detail}" for c in review.checks]
    return out(args, data, "\n".join(lines))
