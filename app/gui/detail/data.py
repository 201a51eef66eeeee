"""What the task detail panel shows, computed from a ``TaskDetail`` (plain data, no Qt)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.tasks.service import TaskDetail
from app.store.rows import DecisionRow as Decision, EventRow as Event
from app.tasks.transitions import TRANSITIONS

MAX_RUNNERS_UP = 3
_NEEDS = re.compile(r"needs (\d+)")


@dataclass(frozen=True)
class Alternative:
    team: str
    score: float


@dataclass(frozen=True)
class PlanView:
    shape: str  # single | graph | fanout | mapreduce | pipeline | verify | loop
    summary: str  # "fan-out, 3 steps, 2 at a time"
    steps: tuple[str, ...]  # "s2 devops: Deploy it (after s1)"


@dataclass(frozen=True)
class RouteView:
    team: str | None
    confidence: float | None
    rationale: str
    alternatives: tuple[Alternative, ...]
    plan: PlanView | None
    reassigned_from: str | None = None  # the founder's reassignment is the current decision (from this team)

    @property
    def runner_up(self) -> str | None:
        return next((a.team for a in self.alternatives if a.team != self.team), None)


@dataclass(frozen=True)
class PlanStep:
    key: str  # "s1"
    team: str
    state: str  # pending | running | done | failed


@dataclass(frozen=True)
class StepView:
    key: str
    team: str
    kind: str
    status: str
    attempts: int
    tokens: str  # "in/out"
    model: str
    output: str
    error: str
    received: tuple[str, ...] = ()  # "s1 code: 1,234 chars, files: a.py": the work this step was given


@dataclass(frozen=True)
class ReviewView:
    round: int
    by: str  # "CEO", "Check", "critic 2" or "You"
    team: str
    verdict: str
    notes: str  # with several critics the CEO's row starts "2 of 3 critics passed it (2 needed)."


@dataclass(frozen=True)
class ArtifactView:
    name: str
    path: Path  # absolute
    size: int
    media_type: str
    step_key: str


@dataclass(frozen=True)
class AttachmentView:
    """A text file the founder gave with the task (kept in the database, not on disk)."""

    name: str
    content: str

    @property
    def size(self) -> int:  # bytes, as UTF-8
        return len(self.content.encode())


@dataclass(frozen=True)
class EventView:
    at: datetime
    kind: str
    status: str
    text: str


@dataclass(frozen=True)
class DetailData:
    task_id: int
    title: str
    text: str
    status: str
    team: str | None
    priority: str
    due: date | None
    confidence: float | None
    round: int
    sensitive: bool
    waiting_reason: str | None
    route: RouteView | None
    steps: tuple[StepView, ...]
    reviews: tuple[ReviewView, ...]
    artifacts: tuple[ArtifactView, ...]
    events: tuple[EventView, ...]
    result: str  # the newest finished work, or ""
    running_step: str | None  # journal key of the step running now
    plan_steps: tuple[PlanStep, ...] = ()  # the current plan, one entry per step, with its state
    attachments: tuple[AttachmentView, ...] = ()  # the founder's files given with the task


def detail_data(detail: TaskDetail, home: Path) -> DetailData:
    t = detail.task
    assert t.id is not None
    work = [s for s in detail.steps if s.kind == "work" and s.status == "done" and s.output]
    running = [s.key for s in detail.steps if s.status == "running"]
    route = _route(detail.decisions)
    return DetailData(
        task_id=t.id, title=t.title, text=t.text, status=t.status, team=t.team, priority=t.priority,
        due=t.due, confidence=route.confidence if route is not None else t.confidence, round=t.round, sensitive=t.sensitive,
        waiting_reason=t.waiting_reason, route=route,
        steps=tuple(StepView(key=s.key, team=s.team, kind=s.kind, status=s.status, attempts=s.attempts,
                             tokens=f"{s.tokens_in}/{s.tokens_out}", model=s.model or "",
                             output=s.output or "", error=s.error or "", received=_received(s.input))
                    for s in detail.steps),
        reviews=tuple(r for d in detail.decisions for r in _reviews(d)),
        artifacts=tuple(ArtifactView(name=a.name, path=home / a.path, size=a.size, media_type=a.media_type,
                                     step_key=a.step_key) for a in detail.artifacts),
        events=tuple(_event(e) for e in detail.events),
        result=(work[-1].output or "") if work else "",
        running_step=running[-1] if running else None,
        plan_steps=_plan_steps(detail, t.round),
        attachments=tuple(AttachmentView(name=a.name, content=a.content) for a in detail.attachments),
    )


def _plan_steps(detail: TaskDetail, round_: int) -> tuple[PlanStep, ...]:
    """The current plan's steps (the founder's reassignment replaces the CEO's plan) with their states."""
    plan = next((d for d in reversed(detail.decisions) if d.kind == "plan"
                 or (d.kind == "founder" and "steps" in _payload(d.payload))), None)
    if plan is None:
        return ()
    states = {s.key: s.status for s in detail.steps if s.kind == "work"}
    out = []
    for step in _payload(plan.payload).get("steps", []):
        if not isinstance(step, dict):
            continue
        key = str(step.get("key", "?"))
        state = states.get(f"{key}.r{round_}") or next(
            (st for k, st in reversed(states.items()) if k.startswith(key + ".")), "pending")
        out.append(PlanStep(key=key, team=str(step.get("team", "?")), state=state))
    return tuple(out)


def _received(raw: str) -> tuple[str, ...]:
    """What a step was handed from the steps it waited for (from its journalled input)."""
    lines = []
    for item in _payload(raw).get("received", []) or []:
        if isinstance(item, dict):
            files = [str(f) for f in item.get("files", []) or []]
            line = f"{item.get('key', '?')} {item.get('team', '?')}: {int(item.get('chars', 0) or 0):,} chars"
            lines.append(line + (f", files: {', '.join(files)}" if files else ""))
    return tuple(lines)


def _payload(raw: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _route(decisions: tuple[Decision, ...]) -> RouteView | None:
    route = next((d for d in reversed(decisions) if d.kind == "route"), None)
    if route is None:
        return None
    plan = next((d for d in reversed(decisions) if d.kind == "plan"), None)
    alternatives = tuple(sorted(
        (Alternative(team=str(a.get("team", "?")), score=float(a.get("score", 0.0)))
         for a in _payload(route.payload).get("alternatives", []) if isinstance(a, dict)),
        key=lambda a: -a.score))[:MAX_RUNNERS_UP]
    founder = next((d for d in reversed(decisions) if d.kind == "founder"
                    and _payload(d.payload).get("action") == "reassign"), None)
    if founder is not None and founder.id is not None and route.id is not None and founder.id > route.id:
        # the founder's reassignment is the decision in force: its team, no CEO confidence
        return RouteView(team=founder.team, confidence=None, rationale=founder.rationale, alternatives=alternatives,
                         plan=plan_view(_payload(founder.payload), "one step"),
                         reassigned_from=str(_payload(founder.payload).get("from_team") or "no team"))
    return RouteView(team=route.team, confidence=route.confidence, rationale=route.rationale, alternatives=alternatives,
                     plan=plan_view(_payload(plan.payload), plan.rationale) if plan is not None else None)


def plan_view(payload: dict[str, Any], fallback: str = "") -> PlanView:
    """The plan said in a line: its shape, size, concurrency, critics, check; and its steps."""
    steps = [s for s in payload.get("steps", []) if isinstance(s, dict)]
    shape = str(payload.get("shape") or "")
    if not shape or not steps:
        return PlanView(shape=shape or "single", summary=fallback, steps=())
    return PlanView(shape=shape, summary=_plan_summary(shape, payload, steps),
                    steps=tuple(_step_line(s) for s in steps))


def _plan_summary(shape: str, payload: dict[str, Any], steps: list[dict[str, Any]]) -> str:
    n = len(steps)
    teams = list(dict.fromkeys(str(s.get("team", "?")) for s in steps))
    concurrency = int(payload.get("concurrency", 1) or 1)
    critics, threshold = int(payload.get("critics", 1) or 1), int(payload.get("threshold", 1) or 1)
    at_a_time = f", {concurrency} at a time" if concurrency > 1 and n > 1 else ""
    match shape:
        case "single":
            text = f"one step for {teams[0]}"
        case "graph":
            waiting = sum(1 for s in steps if s.get("depends_on"))
            text = f"{_count(n, 'step')} for {', '.join(teams)}"
            if waiting:
                text += f" ({waiting} wait{'s' if waiting == 1 else ''} for another's work)"
            text += at_a_time
        case "fanout":
            text = f"fan-out, {_count(n, 'step')}{at_a_time}"
        case "mapreduce":
            text = f"map-reduce, {_count(n - 1, 'part')} then one step combines them{at_a_time}"
        case "pipeline":
            items = max(1, sum(1 for s in steps if not s.get("depends_on")))
            stage_teams = [str(s.get("team", "?")) for s in steps[: max(1, n // items)]]
            text = (f"pipeline, {_count(items, 'item')} through {_count(len(stage_teams), 'stage')} "
                    f"({' → '.join(stage_teams)}){at_a_time}")
        case "verify":
            text = f"verify: {_count(critics, 'critic')}, {threshold} must pass"
        case "loop":
            iterations = int(payload.get("max_iterations", 0) or 0)
            text = f"loop until {_check_text(payload.get('check'))}, up to {_count(iterations, 'iteration')}"
        case _:
            text = f"{shape}, {_count(n, 'step')}{at_a_time}"
    if critics > 1 and shape != "verify":
        text += f"; {_count(critics, 'critic')}, {threshold} must pass"
    reviewed = sum(1 for s in steps if s.get("review", True))
    if reviewed < n:
        text += f"; the CEO reviews {reviewed} of {n}"
    return text


def _check_text(check: Any) -> str:
    if isinstance(check, dict):
        if check.get("max_words") is not None:
            return f"at most {check['max_words']} words"
        if check.get("max_chars") is not None:
            return f"at most {check['max_chars']} characters"
    return "the CEO is satisfied"


def _step_line(step: dict[str, Any]) -> str:
    deps = [str(d) for d in step.get("depends_on", []) or []]
    line = f"{step.get('key', '?')} {step.get('team', '?')}: {step.get('text', '')}"
    if deps:
        line += f" (after {', '.join(deps)})"
    if not step.get("review", True):
        line += " (not reviewed)"
    return line


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _reviews(d: Decision) -> list[ReviewView]:
    data = _payload(d.payload)
    if d.kind == "review":
        round_ = int(data.get("round", 0))
        return [r for v in data.get("verdicts", []) if isinstance(v, dict)
                for r in _verdict_rows(round_, str(v.get("team", d.team or "")), v)]
    if d.kind == "founder":
        action = str(data.get("action", ""))
        note = data.get("note") or ""
        round_ = int(data.get("starts_round", 0) or 0)
        verdict = TRANSITIONS[action].past if action in TRANSITIONS else action.replace("undo_cancel", "cancel undone")
        return [ReviewView(round=round_, by="You", team=d.team or "", verdict=verdict, notes=str(note))]
    return []


def _verdict_rows(round_: int, team: str, v: dict[str, Any]) -> list[ReviewView]:
    """The CEO's verdict on one step; with several critics, their tally and then each critic's verdict."""
    notes = _notes(v)
    critics = [c for c in v.get("critics", []) if isinstance(c, dict)]
    if critics:
        passes = sum(1 for c in critics if c.get("verdict") == "pass")
        needs = _NEEDS.search(str(v.get("passes", "")))
        notes = f"{passes} of {len(critics)} critics passed it" + (f" ({needs.group(1)} needed)" if needs else "") + \
            (f". {notes}" if notes else ".")
    rows = [ReviewView(round=round_, by="Check" if v.get("check") else "CEO", team=team,
                       verdict=str(v.get("verdict", "")), notes=notes)]
    rows += [ReviewView(round=round_, by=f"critic {n}", team=team, verdict=str(c.get("verdict", "")),
                        notes=str(c.get("notes", ""))) for n, c in enumerate(critics, start=1)]
    return rows


def _notes(verdict: dict[str, Any]) -> str:
    notes = str(verdict.get("notes", ""))
    failed = [str(c) for c in verdict.get("failed_checks", []) if c]
    return notes + (f" (failed: {', '.join(failed)})" if failed else "")


def _event(e: Event) -> EventView:
    data = _payload(e.payload)
    status = e.status or ""
    match e.kind:
        case "created":
            text = f"Created (from {data.get('source', '?')})"
        case "status":
            previous = str(data.get("previous") or "").replace("_", " ")
            text = f"{previous} → {status.replace('_', ' ')}"
            if data.get("reason"):
                text += f": {data['reason']}"
        case "decision":
            who = {"route": "CEO routed", "plan": "CEO planned", "review": "CEO reviewed",
                   "founder": "You decided"}.get(str(data.get("decision")), str(data.get("decision")))
            text = who + (f" ({data['team']})" if data.get("team") else "")
        case "step":
            text = f"Step {data.get('key', '?')} {data.get('state', '')}"
            if data.get("attempt", 1) not in (None, 1):
                text += f" (attempt {data['attempt']})"
            if data.get("tokens_out"):
                text += f", {data['tokens_out']} tokens"
        case "recovered":
            text = "Resumed after the engine stopped"
        case _:
            text = e.kind
    return EventView(at=e.created_at, kind=e.kind, status=status, text=text)
