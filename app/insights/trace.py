"""A task's trace: each attempt of each step and review as a span, and the stretches it waited.

Read from the task's own journal (its events and step rows); a task has tens of events, so
this walks them in Python. Times are seconds after the task was created.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from app.core.errors import task_not_found
from app.insights.models import Trace, TraceSpan
from app.store.db import Database

# Statuses in which the task waits, and what it waits for.
WAITS = {"inbox": "waiting for the CEO", "queued": "in the queue", "rework": "in the queue for rework",
         "needs_decision": "waiting for you", "delivered": "waiting for your review"}
# A status change to one of these ends an attempt that has not finished.
INTERRUPTS = frozenset({"queued", "failed", "cancelled", "needs_decision", "inbox"})


def _at(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def task_trace(db: Database, task_id: int) -> Trace:
    with db.raw_read() as conn:
        task = conn.execute("SELECT title, status, created_at FROM task WHERE id = ?", (task_id,)).fetchone()
        if task is None:
            raise task_not_found(task_id)
        events = conn.execute("SELECT kind, status, payload, created_at FROM event WHERE task_id = ? "
                              "AND kind IN ('status', 'step') ORDER BY id", (task_id,)).fetchall()
        steps = {str(r[0]): r[1:] for r in conn.execute(
            "SELECT key, kind, team, model, tokens_in, tokens_out, status FROM step WHERE task_id = ?", (task_id,))}
    created = _at(task[2])

    def secs(text: str) -> float:
        return max(0.0, (_at(text) - created).total_seconds())

    spans: list[TraceSpan] = []
    open_: dict[str, TraceSpan] = {}
    wait: tuple[str, float] | None = ("inbox", 0.0)
    last = 0.0

    def close(key: str, end: float, status: str) -> None:
        span = open_.pop(key)
        row = steps.get(key)
        done = status == "done" and row is not None
        spans.append(TraceSpan(
            kind=span.kind, key=key, team=span.team, label=span.label, start_s=span.start_s, end_s=end,
            attempt=span.attempt, status=status, model=span.model,
            tokens_in=int(row[3]) if done and row else 0, tokens_out=int(row[4]) if done and row else 0))

    for kind, status, payload_text, at_text in events:
        at = secs(at_text)
        last = max(last, at)
        payload = json.loads(payload_text or "{}")
        if kind == "step":
            key = str(payload.get("key", ""))
            if payload.get("state") == "running":
                if key in open_:
                    close(key, at, "failed")
                row = steps.get(key)
                step_kind, team, model = (str(row[0]), str(row[1]), str(row[2] or "")) if row else ("work", "", "")
                label = f"{team}: {key}" if step_kind == "work" else f"review of {team}: {key}"
                open_[key] = TraceSpan(kind=step_kind, key=key, team=team, label=label, start_s=at, end_s=None,
                                       attempt=int(payload.get("attempt", 1)), status="running", model=model)
            elif payload.get("state") == "done" and key in open_:
                close(key, at, "done")
            continue
        # a status change: ends a wait, maybe starts one, and ends attempts it interrupts
        if wait is not None:
            spans.append(TraceSpan(kind="wait", key="", team="", label=WAITS[wait[0]], start_s=wait[1], end_s=at,
                                   status=wait[0]))
        wait = (status, at) if status in WAITS else None
        if status in INTERRUPTS:
            for key in list(open_):
                close(key, at, "failed")
    for key, span in list(open_.items()):
        spans.append(span)
        del open_[key]
    if wait is not None:
        spans.append(TraceSpan(kind="wait", key="", team="", label=WAITS[wait[0]], start_s=wait[1], end_s=None,
                               status=wait[0]))
    spans.sort(key=lambda s: (s.start_s, s.kind == "wait"))
    work = [s for s in spans if s.kind != "wait" and s.end_s is not None]
    waits = [s for s in spans if s.kind == "wait"]
    return Trace(
        task_id=task_id, title=str(task[0]), status=str(task[1]), created_at=created, spans=tuple(spans),
        model_s=sum(s.seconds or 0.0 for s in work),
        waiting_s=sum((s.end_s if s.end_s is not None else last) - s.start_s for s in waits),
        retries=sum(1 for s in spans if s.kind != "wait" and s.attempt > 1), total_s=last)


def render_trace(trace: Trace) -> str:
    """The trace as text lines for the terminal."""
    lines = [f"Task {trace.task_id}: {trace.title} ({trace.status.replace('_', ' ')})",
             f"  {_dur(trace.total_s)} in all: {_dur(trace.model_s)} of model work, {_dur(trace.waiting_s)} waiting, "
             f"{trace.retries} retr{'y' if trace.retries == 1 else 'ies'}"]
    for s in trace.spans:
        end = "      now" if s.end_s is None else f"{s.end_s:9.1f}"
        extra = ""
        if s.kind != "wait":
            extra = f"  {s.model}" + (f"  attempt {s.attempt}" if s.attempt > 1 else "") + f"  {s.status}"
            if s.tokens_out:
                extra += f"  {s.tokens_in}→{s.tokens_out} tokens"
        lines.append(f"  {s.start_s:9.1f} → {end} s  {_dur(s.seconds) if s.seconds is not None else '':>8}  "
                     f"{s.label}{extra}")
    return "\n".join(lines)


def _dur(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 90:
        return f"{seconds:.1f} s"
    if seconds < 5400:
        return f"{seconds / 60:.1f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"
