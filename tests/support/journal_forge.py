"""Write a journal by hand or in bulk: tasks, status events, steps and decisions with chosen times.

``Journal`` buffers rows and writes them with ``executemany`` in one transaction, through the
same tables and triggers the engine writes to, so the task clock (migration 8) is kept exactly
as it is for real work. ``forge`` fills a store with a plausible company history at scale.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from app.store.db import Database

EPOCH = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday
MODELS = {"content": "smollm2-135m", "support": "smollm2-135m", "code": "qwen2.5-coder-7b",
          "devops": "qwen2.5-coder-7b", "marketing": "llama3.1-8b", "sales": "llama3.1-8b"}
CEO_MODEL = "qwen2.5-3b"
SPEED = {"smollm2-135m": 60.0, "qwen2.5-coder-7b": 12.0, "llama3.1-8b": 10.0, CEO_MODEL: 25.0}
TEAMS = ("content", "code", "devops", "marketing", "sales", "support")
TEAM_WEIGHTS = (30, 22, 10, 16, 10, 12)


def ts(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


class Journal:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.tasks: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.steps: list[tuple[Any, ...]] = []
        self.decisions: list[tuple[Any, ...]] = []
        self._status: dict[int, str] = {}
        self._next_id = 1
        with db.raw_read() as conn:
            self._next_id = int(conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM task").fetchone()[0])

    def task(self, at: datetime, *, team: str | None = None, title: str = "", final: str = "inbox",
             round_: int = 0) -> int:
        task_id = self._next_id
        self._next_id += 1
        when = ts(at)
        self.tasks.append((task_id, title or f"Task {task_id}", title or f"Task {task_id}", final, team, round_,
                           when, when))
        self.events.append((task_id, "created", "inbox", '{"source": "cli"}', when))
        self._status[task_id] = "inbox"
        return task_id

    def status(self, task_id: int, status: str, at: datetime, reason: str | None = None) -> None:
        previous = self._status[task_id]
        self._status[task_id] = status
        self.events.append((task_id, "status", status, json.dumps({"previous": previous, "reason": reason}), ts(at)))

    def decision(self, task_id: int, kind: str, at: datetime, *, team: str | None = None,
                 payload: dict[str, Any] | None = None) -> None:
        when = ts(at)
        self.decisions.append((task_id, kind, team, json.dumps(payload or {}), when))
        self.events.append((task_id, "decision", self._status[task_id],
                            json.dumps({"decision": kind, "team": team}), when))

    def step(self, task_id: int, key: str, start: datetime, end: datetime | None, *, team: str, kind: str = "work",
             model: str = "m", tokens_in: int = 0, tokens_out: int = 0, attempts: int = 1,
             status: str = "done", first_start: datetime | None = None) -> None:
        """One step row (its last attempt from ``start`` to ``end``) and its journal events."""
        self.steps.append((task_id, key, team, "lead" if kind == "work" else "ceo", kind, status, attempts, model,
                           tokens_in, tokens_out, ts(start), ts(end) if end else None, "output"))
        current = self._status[task_id]
        self.events.append((task_id, "step", current, json.dumps({"key": key, "state": "running",
                                                                  "attempt": attempts}), ts(start)))
        if end is not None and status == "done":
            self.events.append((task_id, "step", current, json.dumps({"key": key, "state": "done",
                                                                      "tokens_out": tokens_out}), ts(end)))

    def flush(self) -> None:
        with self.db.raw_write() as conn:
            conn.executemany(  # created in the inbox, as the task service does; the final status comes last
                "INSERT INTO task (id, title, text, status, team, round, created_at, updated_at) "
                "VALUES (?, ?, ?, 'inbox', ?, ?, ?, ?)", [(*t[:3], *t[4:]) for t in self.tasks])
            self.events.sort(key=lambda e: (e[4], e[0]))  # the log is appended in time order
            conn.executemany("INSERT INTO event (task_id, kind, status, payload, created_at) VALUES (?, ?, ?, ?, ?)",
                             self.events)
            conn.executemany(
                "INSERT INTO step (task_id, key, team, role, kind, status, attempts, model, tokens_in, tokens_out, "
                "started_at, finished_at, output) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self.steps)
            conn.executemany("INSERT INTO decision (task_id, kind, team, payload, created_at) VALUES (?, ?, ?, ?, ?)",
                             self.decisions)
            conn.executemany("UPDATE task SET status = ? WHERE id = ?", [(t[3], t[0]) for t in self.tasks])
        self.tasks, self.events, self.steps, self.decisions = [], [], [], []


def forge(db: Database, *, tasks: int, days: int = 28, seed: int = 7, start: datetime = EPOCH,
          chunk: int = 20_000) -> None:
    """A company history: ``tasks`` tasks over ``days`` days, about five steps each (work and reviews)."""
    rng = random.Random(seed)
    journal = Journal(db)
    span = days * 86400.0
    for n in range(tasks):
        _one(journal, rng, start + timedelta(seconds=span * n / tasks + rng.uniform(0, 60)), n / tasks)
        if len(journal.tasks) >= chunk:
            journal.flush()
    journal.flush()


def _one(j: Journal, rng: random.Random, at: datetime, progress: float) -> None:
    team = rng.choices(TEAMS, TEAM_WEIGHTS)[0]
    task_id = j.task(at, team=team)
    t = at + timedelta(seconds=rng.uniform(1, 90))
    j.decision(task_id, "route", t, team=team)
    j.decision(task_id, "plan", t, team=team)
    if rng.random() < 0.15:
        j.status(task_id, "needs_decision", t)
        t += timedelta(seconds=rng.expovariate(1 / 1800))
        if rng.random() < 0.4 - 0.3 * progress:  # the CEO learns: fewer corrections over time
            team = rng.choice([x for x in TEAMS if x != team])
            j.decision(task_id, "founder", t, team=team, payload={"action": "reassign"})
        else:
            j.decision(task_id, "founder", t, team=team, payload={"action": "approve"})
    j.status(task_id, "queued", t)
    model = MODELS[team]
    round_ = 0
    final = "queued"
    while True:
        t += timedelta(seconds=rng.expovariate(1 / 120))
        j.status(task_id, "running", t)
        for i in range(1 if rng.random() < 0.45 else 2):
            tokens = rng.randint(150, 700)
            secs = tokens / SPEED[model] * rng.uniform(0.8, 1.25)
            j.step(task_id, f"s{i}.r{round_}", t, t + timedelta(seconds=secs), team=team, model=model,
                   tokens_in=rng.randint(300, 1500), tokens_out=tokens, attempts=1 + (rng.random() < 0.05))
            t += timedelta(seconds=secs + 0.05)
        if rng.random() < 0.03:
            j.status(task_id, "failed", t, reason="Step failed")
            final = "failed"
            break
        j.status(task_id, "in_review", t)
        for i in range(2 if rng.random() < 0.45 else 3):
            secs = rng.uniform(3, 12)
            j.step(task_id, f"review.s{i}.r{round_}", t, t + timedelta(seconds=secs), team=team, kind="review",
                   model=CEO_MODEL, tokens_in=rng.randint(400, 1200), tokens_out=int(secs * SPEED[CEO_MODEL]))
            t += timedelta(seconds=secs)
        j.decision(task_id, "review", t, team=team)
        if round_ < 2 and rng.random() < (0.3 if team in ("code", "devops") else 0.15):
            round_ += 1
            j.status(task_id, "rework", t)
            continue
        j.status(task_id, "delivered", t)
        final = "delivered"
        t += timedelta(seconds=rng.expovariate(1 / 5400))
        if rng.random() < 0.85:
            j.decision(task_id, "founder", t, payload={"action": "accept"})
            j.status(task_id, "done", t)
            final = "done"
        elif rng.random() < 0.3:
            j.decision(task_id, "founder", t, payload={"action": "cancel"})
            j.status(task_id, "cancelled", t)
            final = "cancelled"
        break
    j.tasks[-1] = (*j.tasks[-1][:3], final, team, round_, *j.tasks[-1][6:])
