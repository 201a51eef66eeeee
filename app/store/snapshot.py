"""A task as the engine needs it, read in one go, with the pure logic over its journal.

Reads use plain SQL (the engine's hot path); decisions about what to run next are pure
functions of the snapshot, so replaying the same journal gives the same decisions.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from functools import cached_property
from typing import Any


from agents.ceo import Plan, PlannedStep
from app.core.errors import task_not_found
from app.store.payloads import DecisionPayload, FounderPayload, ReviewPayload, load_payload


@dataclass(frozen=True)
class StepRecord:
    key: str
    kind: str
    team: str
    status: str
    attempts: int
    output: str | None
    tokens: int = 0
    started_at: str | None = None

    @property
    def base_and_round(self) -> tuple[str, int] | None:
        base, _, rnd = self.key.rpartition(".r")
        return (base, int(rnd)) if rnd.isdigit() else None


@dataclass(frozen=True)
class DecisionRecord:
    id: int
    kind: str
    payload: DecisionPayload


@dataclass(frozen=True)
class TaskSnapshot:
    id: int
    status: str
    text: str
    team: str | None
    requested_team: str | None
    round: int
    recoveries: int
    claimed_by: str | None
    budget: dict[str, Any]
    steps: tuple[StepRecord, ...]
    decisions: tuple[DecisionRecord, ...]

    @cached_property
    def plan(self) -> Plan | None:
        """The newest plan: the CEO's, or the founder's (a reassignment)."""
        for d in reversed(self.decisions):
            plan = d.payload.plan
            if plan is not None:
                return plan
        return None

    def step(self, key: str) -> StepRecord | None:
        for s in self.steps:
            if s.key == key:
                return s
        return None

    def outputs(self, up_to_round: int | None = None) -> dict[str, StepRecord]:
        """For each plan step, its newest finished work at or before ``up_to_round``."""
        plan = self.plan
        limit = self.round if up_to_round is None else up_to_round
        keys = {s.key for s in plan.steps} if plan else set()
        best: dict[str, tuple[int, StepRecord]] = {}
        for row in self.steps:
            parsed = row.base_and_round
            if row.kind != "work" or row.status != "done" or parsed is None:
                continue
            base, rnd = parsed
            if base in keys and rnd <= limit and (base not in best or rnd > best[base][0]):
                best[base] = (rnd, row)
        return {key: row for key, (_, row) in best.items()}

    def round_start(self, round_: int) -> DecisionRecord | None:
        """The decision (review or founder) that started rework round ``round_``."""
        for d in reversed(self.decisions):
            if d.payload.starts_round == round_:
                return d
        return None

    def todo(self) -> list[PlannedStep]:
        """Plan steps that still need work in the current round, in plan order."""
        plan = self.plan
        if plan is None:
            return []
        outputs = self.outputs()
        start = self.round_start(self.round) if self.round > 0 else None
        redo = set(start.payload.redo) if start is not None else None
        todo: list[PlannedStep] = []
        for step in plan.steps:
            current = outputs.get(step.key)
            if current is not None and current.key == journal_key(step.key, self.round):
                continue
            if current is None or self.round == 0 or redo is None or step.key in redo:
                todo.append(step)
        return todo

    def reviewed_this_round(self) -> list[PlannedStep]:
        plan = self.plan
        outputs = self.outputs()
        return [s for s in (plan.steps if plan else ())
                if s.key in outputs and outputs[s.key].key == journal_key(s.key, self.round)]

    def notes_for(self, step_key: str) -> str | None:
        """The review or founder notes that sent ``step_key`` back in the current round."""
        start = self.round_start(self.round) if self.round > 0 else None
        if start is None:
            return None
        payload = start.payload
        if isinstance(payload, FounderPayload) and payload.note:
            return payload.note
        if isinstance(payload, ReviewPayload):
            return payload.notes_for(step_key)
        return None

    @property
    def has_delivered_work(self) -> bool:
        plan = self.plan
        return plan is not None and len(self.outputs()) == len(plan.steps)


def journal_key(step_key: str, round_: int) -> str:
    return f"{step_key}.r{round_}"


def review_key(step_key: str, round_: int) -> str:
    return f"review.{step_key}.r{round_}"


def load_snapshot(conn: sqlite3.Connection, task_id: int) -> TaskSnapshot:
    row = conn.execute(
        "SELECT id, status, text, team, requested_team, round, recoveries, claimed_by, budget FROM task WHERE id = ?",
        (task_id,)).fetchone()
    if row is None:
        raise task_not_found(task_id)
    steps = tuple(StepRecord(*r) for r in conn.execute(
        "SELECT key, kind, team, status, attempts, output, tokens_in + tokens_out, started_at FROM step "
        "WHERE task_id = ? ORDER BY id", (task_id,)))
    decisions = tuple(DecisionRecord(r[0], r[1], load_payload(r[1], r[2])) for r in conn.execute(
        "SELECT id, kind, payload FROM decision WHERE task_id = ? ORDER BY id", (task_id,)))
    return TaskSnapshot(*row[:-1], budget=json.loads(row[-1] or "{}"), steps=steps, decisions=decisions)
