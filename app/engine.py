"""The engine: claims runnable tasks and moves them through triage, work and review.

Every step is journalled in ``step`` keyed by (task, key) before and after it runs, so a
restarted engine skips finished steps and retries only the one that was in flight.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, or_
from sqlmodel import col, select

from agents.backend import BackendError, Cancelled, ChatOptions, ModelBackend
from agents.ceo import PlannedStep, triage
from agents.review import Review, review_work
from agents.router import Router
from agents.structured import StructuredOutputError
from agents.team_agent import PriorWork, StepRequest, run_step
from app.artifacts import files_for, write_artifacts
from app.errors import BureauError
from app.journal import (
    add_decision,
    current_plan,
    emit,
    get_task,
    journal_key,
    latest_outputs,
    plan_payload,
    review_key,
    set_status,
    steps_to_work,
)
from app.settings import Settings
from app.status import RUNNABLE, Status
from app.store.db import Database, utcnow
from app.store.tables import Decision, Step, Task
from teams.base import TeamSpec

log = logging.getLogger(__name__)

StreamCallback = Callable[[int, str, str], None]  # task id, journal key, text piece
MAX_RECOVERIES = 5
_PRIORITY_RANK = case({"urgent": 3, "high": 2, "normal": 1, "low": 0}, value=Task.priority, else_=1)


@dataclass(frozen=True, kw_only=True)
class EngineDeps:
    """What the engine needs from the outside, passed in (no globals)."""

    db: Database
    settings: Settings
    teams: Mapping[str, TeamSpec]
    router: Callable[[], Router]
    backend_for: Callable[[str], ModelBackend]  # team name, or "ceo"
    on_stream: StreamCallback | None = None


class Engine:
    def __init__(self, deps: EngineDeps, *, engine_id: str | None = None, lease_seconds: float = 60.0) -> None:
        self.deps = deps
        self.db = deps.db
        self.engine_id = engine_id or f"engine-{uuid.uuid4().hex[:8]}"
        self.lease = timedelta(seconds=lease_seconds)
        self.paused = threading.Event()
        self.stopping = threading.Event()

    # -- loop -----------------------------------------------------------------------
    def run_until_idle(self, *, max_wait: float = 600.0) -> int:
        """Work until nothing runnable is left; returns the number of phases run."""
        phases = 0
        deadline = time.monotonic() + max_wait
        while not self.stopping.is_set():
            if self.tick():
                phases += 1
                deadline = time.monotonic() + max_wait
                continue
            wait = self._seconds_until_next_runnable()
            if wait is None or time.monotonic() + wait > deadline:
                break
            self.stopping.wait(min(max(wait, 0.05), 1.0))
        return phases

    def run_forever(self, *, poll_seconds: float = 0.5) -> None:
        while not self.stopping.is_set():
            if not self.tick():
                self.stopping.wait(poll_seconds)

    def stop(self) -> None:
        self.stopping.set()

    def tick(self) -> bool:
        """Run one phase of one task; False when there was nothing to do."""
        if self.paused.is_set() or self.stopping.is_set():
            return False
        task_id = self._claim()
        if task_id is None:
            return False
        try:
            self._run_phase(task_id)
        except (BureauError, BackendError) as exc:  # a known problem: its message names the fix
            self._fail(task_id, str(exc))
        except Exception as exc:  # a bug or an unexpected failure: the task fails, the engine goes on
            log.exception("task %s failed unexpectedly", task_id)
            self._fail(task_id, f"Unexpected error: {exc}. Retry the task; if it fails again, report it.")
        finally:
            self._release(task_id)
        return True

    # -- claims -----------------------------------------------------------------------
    def _claim(self) -> int | None:
        now = utcnow()
        with self.db.write() as s:
            task = s.exec(
                select(Task)
                .where(col(Task.status).in_([st.value for st in RUNNABLE]),
                       or_(col(Task.lease_until).is_(None), col(Task.lease_until) < now))
                .order_by(_PRIORITY_RANK.desc(), col(Task.id))
                .limit(1)
            ).first()
            if task is None:
                return None
            if task.status == Status.RUNNING and task.claimed_by is not None:
                task.recoveries += 1  # the engine that ran it died
                emit(self.db, s, task, "recovered", previous_engine=task.claimed_by, recoveries=task.recoveries)
            task.claimed_by = self.engine_id
            task.lease_until = now + self.lease
            s.add(task)
            return task.id

    def _release(self, task_id: int, *, not_before: float = 0.0) -> None:
        with self.db.write() as s:
            task = s.get(Task, task_id)
            if task is not None and task.claimed_by == self.engine_id:
                task.claimed_by = None
                task.lease_until = utcnow() + timedelta(seconds=not_before) if not_before else None
                s.add(task)

    def _renew(self, task_id: int) -> None:
        with self.db.write() as s:
            task = s.get(Task, task_id)
            if task is not None and task.claimed_by == self.engine_id:
                task.lease_until = utcnow() + self.lease
                s.add(task)

    def _seconds_until_next_runnable(self) -> float | None:
        with self.db.read() as s:
            task = s.exec(
                select(Task).where(col(Task.status).in_([st.value for st in RUNNABLE]))
                .order_by(col(Task.lease_until)).limit(1)
            ).first()
        if task is None:
            return None
        if task.lease_until is None:
            return 0.0
        return max(0.0, (task.lease_until - utcnow()).total_seconds())

    # -- phases -----------------------------------------------------------------------
    def _run_phase(self, task_id: int) -> None:
        with self.db.read() as s:
            task = get_task(s, task_id)
        status = Status(task.status)
        if task.recoveries > MAX_RECOVERIES:
            self._fail(task_id, f"The engine stopped {task.recoveries} times while running this task; "
                       "it was set aside so that other work can go on. Retry it once the cause is fixed.")
            return
        match status:
            case Status.INBOX:
                self._triage(task)
            case Status.QUEUED | Status.REWORK | Status.RUNNING:
                self._work(task_id)
            case Status.IN_REVIEW:
                self._review(task_id)
            case _:
                return

    def _triage(self, task: Task) -> None:
        started = time.perf_counter()
        result = triage(self.deps.router(), task.text, forced_team=task.requested_team)
        ms = (time.perf_counter() - started) * 1000
        route = result.route
        policy = self.deps.settings.autopilot
        with self.db.write() as s:
            task = get_task(s, task.id)
            if task.status != Status.INBOX:
                return
            add_decision(self.db, s, task, "route", team=route.team, confidence=route.confidence,
                         rationale=route.rationale, payload={
                             "alternatives": [{"team": a.team, "score": a.score} for a in route.alternatives],
                             "ms": round(ms, 2)})
            add_decision(self.db, s, task, "plan", team=result.plan.steps[0].team,
                         rationale=f"{len(result.plan.steps)} step(s): " + ", ".join(result.plan.teams),
                         payload=plan_payload(result.plan))
            task.team = result.plan.steps[0].team
            task.confidence = route.confidence
            if task.requested_team or policy.allows(route.confidence):
                set_status(self.db, s, task, Status.QUEUED)
            else:
                runner_up = route.alternatives[0].team if route.alternatives else "another team"
                why = "autopilot is off" if policy.mode == "manual" else f"the CEO is only {route.confidence:.0%} sure"
                set_status(self.db, s, task, Status.NEEDS_DECISION,
                           reason=f"Waiting for you because {why}: {route.team} or {runner_up}? "
                           "Approve the CEO's choice or reassign the task.")

    def _work(self, task_id: int) -> None:
        with self.db.write() as s:
            task = get_task(s, task_id)
            if task.status != Status.RUNNING:
                set_status(self.db, s, task, Status.RUNNING)
        while not self.stopping.is_set():
            with self.db.read() as s:
                task = get_task(s, task_id)
                if task.status != Status.RUNNING:
                    return  # cancelled or changed by the founder
                plan = current_plan(s, task_id)
                if plan is None:
                    raise BureauError(f"Task {task_id} has no plan.")
                todo = steps_to_work(s, task, plan)
                outputs = latest_outputs(s, task_id, plan, task.round)
            if not todo:
                with self.db.write() as s:
                    task = get_task(s, task_id)
                    if task.status == Status.RUNNING:
                        set_status(self.db, s, task, Status.IN_REVIEW)
                return
            ready = [st for st in todo if all(d in outputs and d not in {t.key for t in todo} for d in st.depends_on)]
            if not ready:
                raise BureauError(f"Task {task_id}'s plan has steps whose dependencies can never finish.")
            prior = tuple(PriorWork(outputs[d].team, outputs[d].output or "") for d in ready[0].depends_on)
            if not self._run_work_step(task, ready[0], prior, outputs.get(ready[0].key)):
                return

    def _run_work_step(self, task: Task, step: PlannedStep, prior: tuple[PriorWork, ...],
                       previous: Step | None) -> bool:
        """Run one step under the journal; False when the task must stop for now."""
        team = self.deps.teams[step.team]
        key = journal_key(step.key, task.round)
        notes = self._round_notes(task.id, task.round, step.key)
        whole = task.text if step.text.strip() != task.text.strip() else None
        request = StepRequest(team=team, role=team.lead, task_text=step.text, whole_task=whole, prior=prior, notes=notes,
                              previous_output=previous.output if previous is not None and notes else None)
        backend = self.deps.backend_for(step.team)
        row = self._journal_start(task.id, key, team=step.team, role=team.lead.name, kind="work",
                                  model=backend.name, payload={"text": step.text, "notes": notes})
        if row is None:
            return True  # already finished: replayed from the journal
        limits = self.deps.settings.model
        # A retry must not repeat the same reply: vary the seed, and allow a longer answer.
        attempt = row.attempts
        max_tokens = min(limits.step_max_tokens * attempt, max(limits.step_max_tokens, limits.n_ctx // 2))
        options = ChatOptions(max_tokens=max_tokens,
                              temperature=limits.temperature if attempt == 1 else max(limits.temperature, 0.5),
                              seed=limits.seed + 100 * task.round + attempt - 1)
        try:
            result = run_step(backend, request, options, on_token=self._stream_to(task.id, key),
                              cancelled=self._cancel_check(task.id))
        except Cancelled:
            self._journal_fail(task.id, key, "Cancelled.")
            return False
        except BackendError as exc:
            return self._step_failed(task.id, key, row.attempts, exc)
        with self.db.write() as s:
            journal = self._journal_row(s, task.id, key)
            journal.status = "done"
            journal.output = result.text
            journal.model = result.model
            journal.tokens_in = result.tokens_in
            journal.tokens_out = result.tokens_out
            journal.finished_at = utcnow()
            journal.error = None
            s.add(journal)
            try:
                write_artifacts(s, self.db.home, task.id, key, files_for(team, key, result.text))
            except OSError as exc:
                raise BureauError(f"Could not save the result of step {key}: {exc.strerror or exc}.",
                                  fix="Free disk space in the data folder, then retry the task.") from exc
            emit(self.db, s, get_task(s, task.id), "step", key=key, state="done", tokens_out=result.tokens_out)
        return True

    def _review(self, task_id: int) -> None:
        with self.db.read() as s:
            task = get_task(s, task_id)
            plan = current_plan(s, task_id)
            assert plan is not None
            outputs = latest_outputs(s, task_id, plan, task.round)
        this_round = [st for st in plan.steps
                      if st.key in outputs and outputs[st.key].key == journal_key(st.key, task.round)]
        verdicts: list[dict[str, object]] = []
        for step in this_round:
            try:
                review = self._review_step(task, step, outputs[step.key].output or "")
            except StructuredOutputError as exc:
                self._to_founder(task_id, f"The CEO could not review the {step.team} team's work: {exc.reason}. "
                                 "Read it and accept it, or request rework with a note.")
                return
            except BackendError as exc:
                self._step_failed(task_id, review_key(step.key, task.round), 1, exc)
                return
            verdicts.append({"step": step.key, "team": step.team, "verdict": review.verdict,
                             "notes": review.notes, "failed_checks": list(review.failed_checks)})
        failing = [v for v in verdicts if v["verdict"] == "rework"]
        max_rounds = self.deps.settings.budgets.max_rework_rounds
        with self.db.write() as s:
            task = get_task(s, task_id)
            if task.status != Status.IN_REVIEW:
                return
            payload: dict[str, object] = {"round": task.round, "verdicts": verdicts}
            summary = "; ".join(f"{v['team']}: {v['verdict']} ({v['notes']})" for v in verdicts)
            if failing and task.round < max_rounds:
                payload |= {"starts_round": task.round + 1, "redo": [v["step"] for v in failing]}
            add_decision(self.db, s, task, "review", team=task.team,
                         rationale=summary, payload=payload)
            if not failing:
                set_status(self.db, s, task, Status.DELIVERED)
            elif task.round < max_rounds:
                task.round += 1
                set_status(self.db, s, task, Status.REWORK, reason=f"Rework round {task.round}: {summary}")
            else:
                set_status(self.db, s, task, Status.NEEDS_DECISION,
                           reason=f"The CEO sent this back {task.round} time(s) and is still not satisfied "
                           f"({summary}). Accept it, request rework with a note, or reassign it.")

    def _review_step(self, task: Task, step: PlannedStep, output: str) -> Review:
        key = review_key(step.key, task.round)
        with self.db.read() as s:
            existing = s.exec(select(Step).where(Step.task_id == task.id, Step.key == key)).first()
        if existing is not None and existing.status == "done" and existing.output:
            data = json.loads(existing.output)
            return Review(verdict=data["verdict"], notes=data["notes"], failed_checks=tuple(data["failed_checks"]))
        backend = self.deps.backend_for("ceo") if self.deps.settings.review_with_model else None
        self._journal_start(task.id, key, team=step.team, role="ceo", kind="review",
                            model=backend.name if backend else "rubric", payload={"step": step.key})
        limits = self.deps.settings.model
        options = ChatOptions(max_tokens=limits.review_max_tokens, temperature=0.0, seed=limits.seed)
        review = review_work(team=self.deps.teams[step.team], task_text=step.text, output=output,
                             backend=backend, options=options)
        with self.db.write() as s:
            journal = self._journal_row(s, task.id, key)
            journal.status = "done"
            journal.output = json.dumps({"verdict": review.verdict, "notes": review.notes,
                                         "failed_checks": list(review.failed_checks)})
            journal.model = review.model or "rubric"
            journal.tokens_in, journal.tokens_out = review.tokens_in, review.tokens_out
            journal.finished_at = utcnow()
            s.add(journal)
        return review

    # -- journal ----------------------------------------------------------------------
    def _journal_row(self, s, task_id: int, key: str) -> Step:  # type: ignore[no-untyped-def]
        row = s.exec(select(Step).where(Step.task_id == task_id, Step.key == key)).first()
        assert row is not None, f"journal row {task_id}/{key} missing"
        return row

    def _journal_start(self, task_id: int, key: str, *, team: str, role: str, kind: str, model: str,
                       payload: dict[str, object]) -> Step | None:
        """Record that the step starts; None when it already finished (replay)."""
        with self.db.write() as s:
            row = s.exec(select(Step).where(Step.task_id == task_id, Step.key == key)).first()
            if row is None:
                row = Step(task_id=task_id, key=key, team=team, role=role, kind=kind,
                           input=json.dumps(payload, default=str))
            elif row.status == "done":
                return None
            row.status = "running"
            row.attempts += 1
            row.model = model
            row.started_at = utcnow()
            s.add(row)
            s.flush()
            emit(self.db, s, get_task(s, task_id), "step", key=key, state="running", attempt=row.attempts)
            return row

    def _journal_fail(self, task_id: int, key: str, error: str) -> None:
        with self.db.write() as s:
            row = self._journal_row(s, task_id, key)
            row.status = "failed"
            row.error = error
            row.finished_at = utcnow()
            s.add(row)

    def _step_failed(self, task_id: int, key: str, attempts: int, exc: BackendError) -> bool:
        """Retry a transient failure later with backoff; otherwise the task fails with the reason."""
        self._journal_fail(task_id, key, str(exc))
        max_attempts = self.deps.settings.budgets.max_step_attempts
        if exc.transient and attempts < max_attempts:
            delay = min(60.0, 2.0 ** attempts) * random.uniform(0.5, 1.0)
            with self.db.write() as s:
                task = get_task(s, task_id)
                set_status(self.db, s, task, Status.QUEUED if task.status == Status.RUNNING else Status(task.status),
                           reason=f"Retrying in {delay:.0f} s (attempt {attempts} of {max_attempts} failed): {exc}")
            self._release(task_id, not_before=delay)
            return False
        self._fail(task_id, f"Step {key} failed after {attempts} attempt(s): {exc}")
        return False

    def _round_notes(self, task_id: int, round_: int, step_key: str) -> str | None:
        if round_ == 0:
            return None
        with self.db.read() as s:
            rows = s.exec(select(Decision).where(Decision.task_id == task_id).order_by(col(Decision.id).desc()))
            for row in rows:
                data = json.loads(row.payload)
                if data.get("starts_round") != round_:
                    continue
                if "note" in data and data["note"]:
                    return str(data["note"])
                for verdict in data.get("verdicts", []):
                    if verdict["step"] == step_key:
                        return str(verdict["notes"])
                return None
        return None

    def _stream_to(self, task_id: int, key: str) -> Callable[[str], None]:
        last_renew = [time.monotonic()]

        def on_token(piece: str) -> None:
            if self.deps.on_stream is not None:
                self.deps.on_stream(task_id, key, piece)
            if time.monotonic() - last_renew[0] > self.lease.total_seconds() / 3:
                last_renew[0] = time.monotonic()
                self._renew(task_id)

        return on_token

    def _cancel_check(self, task_id: int) -> Callable[[], bool]:
        last = [0.0, False]

        def cancelled() -> bool:
            if self.stopping.is_set():
                return True
            now = time.monotonic()
            if now - last[0] >= 0.5:
                last[0] = now
                with self.db.read() as s:
                    task = s.get(Task, task_id)
                    last[1] = task is None or task.status != Status.RUNNING
            return bool(last[1])

        return cancelled

    def _fail(self, task_id: int, reason: str) -> None:
        with self.db.write() as s:
            task = get_task(s, task_id)
            set_status(self.db, s, task, Status.FAILED, reason=reason)

    def _to_founder(self, task_id: int, reason: str) -> None:
        with self.db.write() as s:
            task = get_task(s, task_id)
            set_status(self.db, s, task, Status.NEEDS_DECISION, reason=reason)
