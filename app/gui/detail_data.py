"""What the task detail panel shows, computed from a ``TaskDetail`` (plain data, no Qt)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.services import TaskDetail
from app.store.tables import Decision, Event

MAX_RUNNERS_UP = 3
_FOUNDER_VERDICTS = {"approve": "approved", "reassign": "reassigned", "rework": "rework requested",
                     "accept": "accepted", "cancel": "cancelled", "retry": "retried"}


@dataclass(frozen=True)
class Alternative:
    team: str
    score: float


@dataclass(frozen=True)
class RouteView:
    team: str | None
    confidence: float | None
    rationale: str
    alternatives: tuple[Alternative, ...]
    plan: str  # "1 step(s): content"


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


@dataclass(frozen=True)
class ReviewView:
    round: int
    by: str  # "CEO" or "You"
    team: str
    verdict: str
    notes: str


@dataclass(frozen=True)
class ArtifactView:
    name: str
    path: Path  # absolute
    size: int
    media_type: str
    step_key: str


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


def detail_data(detail: TaskDetail, home: Path) -> DetailData:
    t = detail.task
    assert t.id is not None
    work = [s for s in detail.steps if s.kind == "work" and s.status == "done" and s.output]
    running = [s.key for s in detail.steps if s.status == "running"]
    return DetailData(
        task_id=t.id, title=t.title, text=t.text, status=t.status, team=t.team, priority=t.priority,
        due=t.due, confidence=t.confidence, round=t.round, sensitive=t.sensitive,
        waiting_reason=t.waiting_reason, route=_route(detail.decisions),
        steps=tuple(StepView(key=s.key, team=s.team, kind=s.kind, status=s.status, attempts=s.attempts,
                             tokens=f"{s.tokens_in}/{s.tokens_out}", model=s.model or "",
                             output=s.output or "", error=s.error or "") for s in detail.steps),
        reviews=tuple(r for d in detail.decisions for r in _reviews(d)),
        artifacts=tuple(ArtifactView(name=a.name, path=home / a.path, size=a.size, media_type=a.media_type,
                                     step_key=a.step_key) for a in detail.artifacts),
        events=tuple(_event(e) for e in detail.events),
        result=(work[-1].output or "") if work else "",
        running_step=running[-1] if running else None,
    )


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
    return RouteView(team=route.team, confidence=route.confidence, rationale=route.rationale,
                     alternatives=alternatives, plan=plan.rationale if plan is not None else "")


def _reviews(d: Decision) -> list[ReviewView]:
    data = _payload(d.payload)
    if d.kind == "review":
        round_ = int(data.get("round", 0))
        return [ReviewView(round=round_, by="CEO", team=str(v.get("team", d.team or "")),
                           verdict=str(v.get("verdict", "")), notes=_notes(v))
                for v in data.get("verdicts", []) if isinstance(v, dict)]
    if d.kind == "founder":
        action = str(data.get("action", ""))
        note = data.get("note") or ""
        round_ = int(data.get("starts_round", 0) or 0)
        return [ReviewView(round=round_, by="You", team=d.team or "",
                           verdict=_FOUNDER_VERDICTS.get(action, action), notes=str(note))]
    return []


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
