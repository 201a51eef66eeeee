"""The founder edits a task's plan: see it, replace it (validated), and the planner learns from it.

A plan set by the founder is stored as a ``founder`` decision (the engine runs the newest plan)
and as a ``plan_example`` row: the planner reuses it for the same task text, and its steps teach
the router which team each kind of step belongs to.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agents.ceo import SHAPES, Plan, PlanExample, PlannedStep
from agents.planner import LengthCheck
from app.core.errors import InvalidInput, InvalidTransition, task_not_found
from app.core.status import Status
from app.store.db import Database, sql_ts, utcnow
from app.store.payloads import FounderPayload
from app.store.rows import TaskRow
from app.store.writer import Writer
from app.store.snapshot import load_snapshot

EDITABLE = frozenset({Status.INBOX, Status.NEEDS_DECISION, Status.QUEUED})
MAX_STEPS = 30
MAX_STEP_CHARS = 20_000
_STEP_FIELDS = frozenset({"key", "team", "text", "depends_on", "review"})
_PLAN_FIELDS = frozenset({"shape", "steps", "concurrency", "critics", "threshold", "check", "max_iterations",
                          "confidence", "doubt"})


@dataclass(frozen=True)
class TaskPlan:
    task_id: int
    status: str
    plan: Plan | None
    by_founder: bool


def parse_plan(data: Any, *, teams: Sequence[str]) -> Plan:
    """A plan from JSON data ({"steps": [...]} or a bare list of steps); every problem is named with its fix."""
    if isinstance(data, list):
        data = {"steps": data}
    if not isinstance(data, dict):
        raise InvalidInput("A plan is a JSON object with a `steps` list.",
                           fix='For example: {"steps": [{"key": "s1", "team": "code", "text": "Fix it"}]}.')
    unknown = sorted(set(data) - _PLAN_FIELDS)
    if unknown:
        raise InvalidInput(f"The plan has unknown field(s): {', '.join(unknown)}.",
                           fix=f"Use: {', '.join(sorted(_PLAN_FIELDS))}.")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise InvalidInput("The plan has no steps.", fix="Give at least one step with a team and a text.")
    if len(raw_steps) > MAX_STEPS:
        raise InvalidInput(f"The plan has {len(raw_steps)} steps; the limit is {MAX_STEPS}.", fix="Merge steps.")
    steps = [_step(n, raw, teams) for n, raw in enumerate(raw_steps, start=1)]
    keys = [s.key for s in steps]
    duplicate = next((k for k in keys if keys.count(k) > 1), None)
    if duplicate:
        raise InvalidInput(f"Two steps have the key {duplicate!r}.", fix="Give every step its own key.")
    for step in steps:
        for dep in step.depends_on:
            if dep == step.key:
                raise InvalidInput(f"Step {step.key} depends on itself.", fix="Remove it from its own depends_on.")
            if dep not in keys:
                raise InvalidInput(f"Step {step.key} depends on {dep!r}, which is not a step of this plan.",
                                   fix=f"Use keys of this plan: {', '.join(keys)}.")
    cycle = _cycle(steps)
    if cycle:
        raise InvalidInput(f"The steps wait for each other in a circle: {' -> '.join(cycle)}.",
                           fix="Remove one of these dependencies so that some step can start.")
    shape = str(data.get("shape") or ("single" if len(steps) == 1 else "graph"))
    if shape not in SHAPES:
        raise InvalidInput(f"Unknown plan shape {shape!r}.", fix=f"Use one of: {', '.join(SHAPES)}.")
    if shape == "single" and len(steps) > 1:
        shape = "graph"
    try:
        check = data.get("check")
        return Plan(shape=shape, steps=tuple(steps), concurrency=_count(data, "concurrency", 2 if len(steps) > 1 else 1),
                    critics=_count(data, "critics", 1), threshold=_count(data, "threshold", 1),
                    max_iterations=int(data.get("max_iterations", 0) or 0),
                    check=LengthCheck(**check) if isinstance(check, dict) else None, confidence=1.0)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"The plan's settings are not valid: {exc}.",
                           fix="concurrency, critics and threshold are whole numbers of at least 1.") from None


def _step(n: int, raw: Any, teams: Sequence[str]) -> PlannedStep:
    if not isinstance(raw, dict):
        raise InvalidInput(f"Step {n} is not a JSON object.", fix='Write {"team": "...", "text": "..."}.')
    unknown = sorted(set(raw) - _STEP_FIELDS)
    if unknown:
        raise InvalidInput(f"Step {n} has unknown field(s): {', '.join(unknown)}.",
                           fix=f"Use: {', '.join(sorted(_STEP_FIELDS))}.")
    key = str(raw.get("key") or f"s{n}").strip()
    team = str(raw.get("team") or "").strip().lower()
    if team not in teams:
        raise InvalidInput(f"Step {key} has the unknown team {raw.get('team')!r}.", fix=f"Use one of: {', '.join(teams)}.")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(f"Step {key} has no text.", fix="Say what the team should do in that step.")
    if len(text) > MAX_STEP_CHARS:
        raise InvalidInput(f"Step {key}'s text is {len(text):,} characters; the limit is {MAX_STEP_CHARS:,}.",
                           fix="Shorten it.")
    deps = raw.get("depends_on", [])
    if isinstance(deps, str):
        deps = [deps]
    if not isinstance(deps, list) or not all(isinstance(d, str) for d in deps):
        raise InvalidInput(f"Step {key}'s depends_on is not a list of step keys.", fix='Write e.g. "depends_on": ["s1"].')
    return PlannedStep(key=key, team=team, text=text.strip(), depends_on=tuple(dict.fromkeys(deps)),
                       review=bool(raw.get("review", True)))


def _count(data: dict[str, Any], name: str, default: int) -> int:
    value = int(data.get(name, default) or default)
    if value < 1:
        raise ValueError(f"{name} must be at least 1")
    return value


def _cycle(steps: Sequence[PlannedStep]) -> list[str]:
    deps = {s.key: s.depends_on for s in steps}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(key: str) -> list[str]:
        state[key] = 1
        path.append(key)
        for dep in deps[key]:
            if state.get(dep) == 1:
                return path[path.index(dep):] + [dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        state[key] = 2
        path.pop()
        return []

    for key in deps:
        if key not in state:
            found = visit(key)
            if found:
                return found
    return []


def read_plan_file(path: Path) -> Any:
    """The JSON in ``path`` (``-`` reads standard input)."""
    import sys

    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(f"There is no file {path}.", fix="Check the path (`bureau plan show ID --json` writes one).") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"Cannot read {path}: {exc}.", fix="Give a UTF-8 JSON file.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path} is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).",
                           fix="Start from `bureau plan show ID --json` and edit its steps.") from None


class PlanService:
    """See and replace task plans; the plans the founder set, as examples for the planner."""

    def __init__(self, db: Database, *, teams: Callable[[], Sequence[str]]) -> None:
        self.db = db
        self._teams = teams

    def show(self, task_id: int) -> TaskPlan:
        with self.db.raw_read() as conn:
            snap = load_snapshot(conn, task_id)
        by_founder = next((d.kind for d in reversed(snap.decisions) if d.payload.plan is not None), None) == "founder"
        return TaskPlan(task_id=task_id, status=snap.status, plan=snap.plan, by_founder=by_founder)

    def set_plan(self, task_id: int, data: Any) -> TaskPlan:
        """Replace the task's plan with the founder's; the task then waits for no one (queued)."""
        plan = parse_plan(data.to_json() if isinstance(data, Plan) else data, teams=tuple(self._teams()))
        writer = Writer(self.db)
        with self.db.raw_write() as conn:
            rows = TaskRow.select(conn, "id = ?", (task_id,))
            if not rows:
                raise task_not_found(task_id)
            task = rows[0]
            if Status(task.status) not in EDITABLE:
                raise InvalidTransition(
                    f"Task {task_id} is {Status(task.status).label}; its plan can only be changed before it runs.",
                    fix=f"Plans can be changed while a task is: {', '.join(sorted(st.label for st in EDITABLE))}. "
                        "Cancel it and submit it again to run a different plan.")
            writer.add_decision(conn, task_id, "founder", FounderPayload.with_plan(plan, action="edit_plan"),
                                team=plan.steps[0].team, confidence=1.0,
                                rationale=f"Plan set by the founder: {len(plan.steps)} step(s) for "
                                          f"{', '.join(plan.teams)}.")
            conn.execute("INSERT INTO plan_example (text, plan, task_id, created_at) VALUES (?, ?, ?, ?)",
                         (task.text, json.dumps(plan.to_json()), task_id, sql_ts(utcnow())))
            writer.update_task(conn, task_id, team=plan.steps[0].team, confidence=1.0)
            writer.set_status(conn, task_id, Status.QUEUED)
        return self.show(task_id)

    def examples(self) -> tuple[PlanExample, ...]:
        with self.db.raw_read() as conn:
            rows = conn.execute("SELECT text, plan FROM plan_example ORDER BY id").fetchall()
        out = []
        for text, raw in rows:
            try:
                out.append(PlanExample(text=text, plan=Plan.from_json(json.loads(raw))))
            except (ValueError, KeyError, TypeError):
                continue  # an example from an older format is skipped, not fatal
        return tuple(out)
