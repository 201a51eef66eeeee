"""The engine: claims runnable tasks and moves them through triage, work and review.

Every step is journalled in ``step`` keyed by (task, key) before and after it runs, so a
restarted engine skips finished steps and retries only the one that was in flight.
"""

from __future__ import annotations

import json
import logging
import random
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from agents.backend import BackendError, Cancelled, ChatOptions, ModelBackend
from agents.ceo import PlannedStep, triage
from agents.review import Review, review_work
from agents.router import Router
from agents.structured import StructuredOutputError
from agents.team_agent import PriorWork, StepRequest, run_step
from app.artifacts import files_for
from app.budgets import overrun
from app.engine_store import EngineStore
from app.errors import BureauError
from app.journal import plan_payload
from app.settings import Settings
from app.snapshot import TaskSnapshot, journal_key, review_key
from app.status import RUNNABLE, Status
from app.store.db import Database
from teams.base import TeamSpec

log = logging.getLogger(__name__)

StreamCallback = Callable[[int, str, str], None]  # task id, journal key, text piece
MAX_RECOVERIES = 5


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
        self.engine_id = engine_id or f"engine-{uuid.uuid4().hex[:8]}"
        self.lease = timedelta(seconds=lease_seconds)
        self.store = EngineStore(deps.db, engine_id=self.engine_id, lease=self.lease)
        self.paused = threading.Event()
        self.stopping = threading.Event()

    # -- loop -----------------------------------------------------------------------
    def run_until_idle(self, *, max_wait: float = 600.0) -> int:
        """Work until nothing runnable is left; returns the number of tasks claimed."""
        claims = 0
        deadline = time.monotonic() + max_wait
        while not self.stopping.is_set():
            if self.tick():
                claims += 1
                deadline = time.monotonic() + max_wait
                continue
            wait = self.store.seconds_until_next_runnable()
            if wait is None or self.paused.is_set() or time.monotonic() + wait > deadline:
                break
            self.stopping.wait(min(max(wait, 0.05), 1.0))
        return claims

    def run_forever(self, *, poll_seconds: float = 0.5) -> None:
        while not self.stopping.is_set():
            if not self.tick():
                self.stopping.wait(poll_seconds)

    def stop(self) -> None:
        self.stopping.set()

    def tick(self) -> bool:
        """Claim one task and run its phases while it stays runnable; False when there was nothing to do."""
        if self.paused.is_set() or self.stopping.is_set():
            return False
        task_id = self.store.claim()
        if task_id is None:
            return False
        heartbeat = _Heartbeat(self.store, task_id, every=self.lease.total_seconds() / 3)
        try:
            while not self.stopping.is_set() and self._run_phase(task_id):
                pass
        except (BureauError, BackendError) as exc:  # a known problem: its message names the fix
            self._fail(task_id, str(exc))
        except Exception as exc:  # a bug or an unexpected failure: the task fails, the engine goes on
            log.exception("task %s failed unexpectedly", task_id)
            self._fail(task_id, f"Unexpected error: {exc}. Retry the task; if it fails again, report it.")
        finally:
            heartbeat.stop()
            self.store.release(task_id)
        return True

    # -- phases -----------------------------------------------------------------------
    def _run_phase(self, task_id: int) -> bool:
        """Run the task's next phase; False once it no longer runs under this engine's claim."""
        task = self.store.snapshot(task_id)
        status = Status(task.status)
        if task.claimed_by != self.engine_id or status not in RUNNABLE:
            return False
        if task.recoveries > MAX_RECOVERIES:
            self._fail(task_id, f"The engine stopped {task.recoveries} times while running this task; "
                       "it was set aside so that other work can go on. Retry it once the cause is fixed.")
            return False
        if status != Status.INBOX:
            over = overrun(task, self.deps.settings.budgets)
            if over is not None:
                self.store.stop_for_budget(task_id, limit=over.limit, allowed=over.allowed, reason=over.message())
                return False
        match status:
            case Status.INBOX:
                self._triage(task)
            case Status.QUEUED | Status.REWORK | Status.RUNNING:
                return self._work(task)
            case Status.IN_REVIEW:
                self._review(task)
        return True

    def _triage(self, task: TaskSnapshot) -> None:
        started = time.perf_counter()
        result = triage(self.deps.router(), task.text, forced_team=task.requested_team)
        ms = (time.perf_counter() - started) * 1000
        route = result.route
        policy = self.deps.settings.autopilot
        reason = None
        if task.requested_team or policy.allows(route.confidence):
            status = Status.QUEUED
        else:
            status = Status.NEEDS_DECISION
            runner_up = route.alternatives[0].team if route.alternatives else "another team"
            why = "autopilot is off" if policy.mode == "manual" else f"the CEO is only {route.confidence:.0%} sure"
            reason = (f"Waiting for you because {why}: {route.team} or {runner_up}? "
                      "Approve the CEO's choice or reassign the task.")
        self.store.record_triage(
            task.id,
            route={"team": route.team, "confidence": route.confidence, "rationale": route.rationale,
                   "payload": {"alternatives": [{"team": a.team, "score": a.score} for a in route.alternatives],
                               "ms": round(ms, 2)}},
            plan={"team": result.plan.steps[0].team, "payload": plan_payload(result.plan),
                  "rationale": f"{len(result.plan.steps)} step(s): " + ", ".join(result.plan.teams)},
            team=result.plan.steps[0].team, confidence=route.confidence, status=status, reason=reason)

    def _work(self, task: TaskSnapshot) -> bool:
        """Run the next ready step of the plan; False when the task must stop for now."""
        plan = task.plan
        if plan is None:
            raise BureauError(f"Task {task.id} has no plan.", fix="Reassign it to a team.")
        todo = task.todo()
        if not todo:
            self.store.set_status(task.id, Status.IN_REVIEW, only_from=(Status.RUNNING, Status.QUEUED, Status.REWORK))
            return True
        outputs = task.outputs()
        pending = {t.key for t in todo}
        ready = [st for st in todo if all(d in outputs and d not in pending for d in st.depends_on)]
        if not ready:
            raise BureauError(f"Task {task.id}'s plan has steps whose dependencies can never finish.",
                              fix="Reassign the task to one team.")
        step = ready[0]
        prior = tuple(PriorWork(outputs[d].team, outputs[d].output or "") for d in step.depends_on)
        last = len(todo) == 1
        return self._run_work_step(task, step, prior, outputs.get(step.key), last=last)

    def _run_work_step(self, task: TaskSnapshot, step: PlannedStep, prior: tuple[PriorWork, ...],
                       previous: object, *, last: bool) -> bool:
        team = self.deps.teams[step.team]
        key = journal_key(step.key, task.round)
        notes = task.notes_for(step.key)
        previous_output = getattr(previous, "output", None)
        whole = task.text if step.text.strip() != task.text.strip() else None
        request = StepRequest(team=team, role=team.lead, task_text=step.text, whole_task=whole, prior=prior,
                              notes=notes, previous_output=previous_output if notes else None)
        backend = self.deps.backend_for(step.team)
        attempt = self.store.start_step(task.id, key, team=step.team, role=team.lead.name, kind="work",
                                        model=backend.name, payload={"text": step.text, "notes": notes},
                                        mark_running=True)
        if attempt is None:
            return True  # already finished: replayed from the journal
        limits = self.deps.settings.model
        # A retry must not repeat the same reply: vary the seed, and allow a longer answer.
        max_tokens = min(limits.step_max_tokens * attempt, max(limits.step_max_tokens, limits.n_ctx // 2))
        options = ChatOptions(max_tokens=max_tokens,
                              temperature=limits.temperature if attempt == 1 else max(limits.temperature, 0.5),
                              seed=limits.seed + 100 * task.round + attempt - 1)
        try:
            result = run_step(backend, request, options, on_token=self._stream_to(task.id, key),
                              cancelled=self._cancel_check(task.id))
        except Cancelled:
            self.store.fail_step(task.id, key, "Cancelled.")
            return False
        except BackendError as exc:
            return self._step_failed(task.id, key, attempt, exc)
        try:
            self.store.finish_step(task.id, key, output=result.text, model=result.model,
                                   tokens_in=result.tokens_in, tokens_out=result.tokens_out,
                                   files=files_for(team, key, result.text),
                                   then=Status.IN_REVIEW if last else None)
        except OSError as exc:
            raise BureauError(f"Could not save the result of step {key}: {exc.strerror or exc}.",
                              fix="Free disk space in the data folder, then retry the task.") from exc
        return True

    def _review(self, task: TaskSnapshot) -> None:
        verdicts: list[dict[str, object]] = []
        for step in task.reviewed_this_round():
            output = task.outputs()[step.key].output or ""
            try:
                review = self._review_step(task, step, output)
            except StructuredOutputError as exc:
                self.store.set_status(task.id, Status.NEEDS_DECISION,
                                      reason=f"The CEO could not review the {step.team} team's work: {exc.reason}. "
                                      "Read it and accept it, or request rework with a note.")
                return
            except BackendError as exc:
                self._step_failed(task.id, review_key(step.key, task.round), 1, exc)
                return
            verdicts.append({"step": step.key, "team": step.team, "verdict": review.verdict,
                             "notes": review.notes, "failed_checks": list(review.failed_checks)})
        failing = [v for v in verdicts if v["verdict"] == "rework"]
        max_rounds = int(task.budget.get("rounds", self.deps.settings.budgets.max_rework_rounds))
        payload: dict[str, object] = {"round": task.round, "verdicts": verdicts}
        summary = "; ".join(f"{v['team']}: {v['verdict']} ({v['notes']})" for v in verdicts)
        new_round = None
        reason = None
        if not failing:
            status = Status.DELIVERED
        elif task.round < max_rounds:
            new_round = task.round + 1
            payload |= {"starts_round": new_round, "redo": [v["step"] for v in failing]}
            status = Status.REWORK
            reason = f"Rework round {new_round}: {summary}"
        else:
            status = Status.NEEDS_DECISION
            reason = (f"The CEO sent this back {task.round} time(s) and is still not satisfied "
                      f"({summary}). Accept it, request rework with a note, or reassign it.")
        self.store.record_review(task.id, decision={"team": task.team, "rationale": summary, "payload": payload},
                                 status=status, reason=reason, new_round=new_round)

    def _review_step(self, task: TaskSnapshot, step: PlannedStep, output: str) -> Review:
        key = review_key(step.key, task.round)
        recorded = task.step(key)
        if recorded is not None and recorded.status == "done" and recorded.output:
            data = json.loads(recorded.output)
            return Review(verdict=data["verdict"], notes=data["notes"], failed_checks=tuple(data["failed_checks"]))
        backend = self.deps.backend_for("ceo") if self.deps.settings.review_with_model else None
        self.store.start_step(task.id, key, team=step.team, role="ceo", kind="review",
                              model=backend.name if backend else "rubric", payload={"step": step.key})
        limits = self.deps.settings.model
        options = ChatOptions(max_tokens=limits.review_max_tokens, temperature=0.0, seed=limits.seed)
        review = review_work(team=self.deps.teams[step.team], task_text=step.text, output=output,
                             backend=backend, options=options)
        self.store.finish_step(task.id, key, output=json.dumps({
            "verdict": review.verdict, "notes": review.notes, "failed_checks": list(review.failed_checks)}),
            model=review.model or "rubric", tokens_in=review.tokens_in, tokens_out=review.tokens_out, files=[])
        return review

    # -- failures, streaming, cancellation ------------------------------------------------
    def _step_failed(self, task_id: int, key: str, attempts: int, exc: BackendError) -> bool:
        """Retry a transient failure later with backoff; otherwise the task fails with the reason."""
        self.store.fail_step(task_id, key, str(exc))
        max_attempts = self.deps.settings.budgets.max_step_attempts
        if exc.transient and attempts < max_attempts:
            delay = min(60.0, 2.0 ** attempts) * random.uniform(0.5, 1.0)
            self.store.set_status(task_id, Status.QUEUED, only_from=(Status.RUNNING,),
                                  reason=f"Retrying in {delay:.0f} s (attempt {attempts} of {max_attempts} failed): {exc}")
            self.store.release(task_id, not_before=delay)
            return False
        self._fail(task_id, f"Step {key} failed after {attempts} attempt(s): {exc}")
        return False

    def _stream_to(self, task_id: int, key: str) -> Callable[[str], None] | None:
        on_stream = self.deps.on_stream
        if on_stream is None:
            return None
        return lambda piece: on_stream(task_id, key, piece)

    def _cancel_check(self, task_id: int) -> Callable[[], bool]:
        last = [time.monotonic(), False]

        def cancelled() -> bool:
            if self.stopping.is_set():
                return True
            now = time.monotonic()
            if now - last[0] >= 0.5:
                last[0] = now
                last[1] = self.store.status(task_id) != Status.RUNNING
            return bool(last[1])

        return cancelled

    def _fail(self, task_id: int, reason: str) -> None:
        self.store.set_status(task_id, Status.FAILED, reason=reason)


class _Heartbeat:
    """Renews a task's lease in the background while this engine works on it."""

    def __init__(self, store: EngineStore, task_id: int, *, every: float) -> None:
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(store, task_id, every),
                                        name=f"lease-{task_id}", daemon=True)
        self._thread.start()

    def _run(self, store: EngineStore, task_id: int, every: float) -> None:
        while not self._done.wait(every):
            try:
                store.renew(task_id)
            except (BureauError, sqlite3.Error):
                log.warning("could not renew the lease of task %s; will try again", task_id, exc_info=True)

    def stop(self) -> None:
        self._done.set()
        self._thread.join(timeout=5)
