"""Plain-data views of stored rows, for ``--json`` output and the relay."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.tasks.overview import TaskOverview
    from app.tasks.service import TaskDetail
from app.store.rows import ArtifactRow as Artifact, DecisionRow as Decision, StepRow as Step, TaskRow as Task


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def task_json(task: Task) -> dict[str, Any]:
    return {
        "id": task.id, "title": task.title, "text": task.text, "status": task.status,
        "priority": task.priority, "due": _iso(task.due), "team": task.team,
        "requested_team": task.requested_team, "confidence": task.confidence,
        "sensitive": task.sensitive, "round": task.round, "waiting_reason": task.waiting_reason,
        "created_at": _iso(task.created_at), "updated_at": _iso(task.updated_at),
    }


def decision_json(d: Decision) -> dict[str, Any]:
    return {"id": d.id, "kind": d.kind, "team": d.team, "confidence": d.confidence,
            "rationale": d.rationale, "details": json.loads(d.payload), "created_at": _iso(d.created_at)}


def step_json(s: Step) -> dict[str, Any]:
    return {"key": s.key, "kind": s.kind, "team": s.team, "role": s.role, "status": s.status,
            "attempts": s.attempts, "model": s.model, "tokens_in": s.tokens_in, "tokens_out": s.tokens_out,
            "started_at": _iso(s.started_at), "finished_at": _iso(s.finished_at), "output": s.output,
            "error": s.error}


def artifact_json(a: Artifact) -> dict[str, Any]:
    return {"name": a.name, "path": a.path, "media_type": a.media_type, "size": a.size,
            "sha256": a.sha256, "step": a.step_key}


def detail_json(detail: TaskDetail, view: TaskOverview | None = None) -> dict[str, Any]:
    return {
        **task_json(detail.task),
        **(view.to_json() if view is not None else {}),
        "decisions": [decision_json(d) for d in detail.decisions],
        "steps": [step_json(s) for s in detail.steps],
        "artifacts": [artifact_json(a) for a in detail.artifacts],
        "events": [{"kind": e.kind, "status": e.status, "at": _iso(e.created_at), **json.loads(e.payload)}
                   for e in detail.events],
    }


def detail_text(detail: TaskDetail, home: str, view: TaskOverview | None = None) -> str:
    """What `bureau show` prints for a person."""
    t = detail.task
    head = f"  status: {t.status}   team: {t.team or '-'}   priority: {t.priority}" + (f"   due: {t.due}" if t.due else "")
    lines = [f"Task {t.id}: {t.title}", head]
    extra = []
    if t.requested_team:
        extra.append(f"requested team: {t.requested_team}")
    extra.append("sensitive: yes (never sent to cloud runners)" if t.sensitive else "sensitive: no")
    if view is not None and view.shape:
        from app.tasks.overview import SHAPE_WORDS

        extra.append(f"shape: {view.shape} ({SHAPE_WORDS.get(view.shape, '')}, {view.step_count} step(s))")
    lines.append("  " + "   ".join(extra))
    if t.waiting_reason:
        lines.append(f"  note: {t.waiting_reason}")
    if view is not None:
        lines.append("  budgets: " + ", ".join(_budget(b) for b in view.budgets))
    lines += ["", "Text:", _indent(t.text if len(t.text) < 2000 else t.text[:2000] + " [...]")]
    if view is not None and view.attachments:
        lines += ["", "Attachments:"] + [f"  {a.name} ({a.chars:,} characters)" for a in view.attachments]
    lines += ["", "Decisions:"]
    for d in detail.decisions:
        conf = f" ({d.confidence:.0%})" if d.confidence is not None else ""
        lines.append(f"  [{d.kind}] {d.team or ''}{conf}: {d.rationale}")
    lines += ["", "Steps:"]
    for s in detail.steps:
        lines.append(f"  {s.key:<18} {s.team:<10} {s.role:<16} {s.status:<8} attempts={s.attempts} "
                     f"model={s.model or '-'} tokens={s.tokens_in}/{s.tokens_out}")
        if s.error:
            lines.append(f"      error: {s.error}")
    if view is not None:
        if view.result is not None:
            lines += ["", "Result:", _indent(view.result)]
            missing = [p.label for p in view.parts if p.output is None]
            if missing:
                lines.append(f"  (not done yet: {'; '.join(missing)})")
    else:
        work = [s for s in detail.steps if s.kind == "work" and s.status == "done"]
        if work:
            lines += ["", "Result:", _indent(work[-1].output or "")]
    if view is not None:
        lines += _grounding_lines(view)
    if detail.artifacts:
        lines += ["", "Artifacts:"] + [f"  {home}/{a.path}" for a in detail.artifacts]
    return "\n".join(lines)


def _grounding_lines(view: TaskOverview) -> list[str]:
    """The profile facts and sections the work used, what it cites, and its outbound drafts."""
    g = view.grounding
    lines: list[str] = []
    if g.profile_facts:
        lines += ["", "Company facts used:"] + [f"  {f['label']}: {f['text'][:100]}" for f in g.profile_facts]
    if g.sources or view.citations:
        lines += ["", "Knowledge base:"] + [f"  given: {s['source']} § {s['section']}" for s in g.sources]
        lines += [f"  cited: {c['source']} § {c['section']}" for c in view.citations]
    if g.drafts:
        lines += ["", "Outbound drafts (nothing is sent without your approval):"]
        lines += [f"  {d.id}: {d.status}{' (approved)' if d.approved and d.status != 'sent' else ''} {d.channel} to "
                  f"{', '.join(d.recipients) or '(no recipient)'}: {d.subject[:60]}"
                  + (f" - not sent: {d.error}" if d.status == "failed" and d.error else "") for d in g.drafts]
    return lines


def _budget(b: dict[str, Any]) -> str:
    unit = {"rounds": "rework rounds", "steps": "model calls", "tokens": "tokens", "minutes": "minutes"}[b["name"]]
    used = f"{b['used']:,.1f}" if b["name"] == "minutes" else f"{b['used']:,.0f}"
    return f"{used} of {b['allowed']:,g} {unit}" + (" (this task's own)" if b["own"] else "")


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
