"""The engine: claims runnable tasks and moves them through triage, work and review.

Every step is journalled in ``step`` keyed by (task, key) before and after it runs, so a
restarted engine skips finished steps and retries only the one that was in flight.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from datetime import timedelta

from agents.backends.base import BackendError
from agents.ceo import triage, wait_reason
from app.tasks.budgets import overrun
from app.engine.phases import EngineDeps, PhaseContext, StreamCallback
from app.engine.review import ReviewPhase
from app.engine.store import ClaimLost, EngineStore, RouteChoice, engine_name
from app.engine.work import WorkPhase
from app.core.errors import BureauError
from app.store.payloads import Alternative, RoutePayload
from app.store.snapshot import TaskSnapshot
from app.core.status import RUNNABLE, Status

__all__ = ["Engine", "EngineDeps", "StreamCallback"]

log = logging.getLogger(__name__)

MAX_RECOVERIES = 5


class Engine:
    def __init__(self, deps: EngineDeps, *, engine_id: str | None = None, lease_seconds: float = 60.0) -> None:
        self.deps = deps
        self.engine_id = engine_id or engine_name()
        self.lease = timedelta(seconds=lease_seconds)
        self.store = EngineStore(deps.db, engine_id=self.engine_id, lease=self.lease)
        self.stopping = threading.Event()
        self._beat: _Heartbeat | None = None
        context = PhaseContext(deps=deps, store=self.store, stopping=self.stopping)
        self.work = WorkPhase(context)
        self.review = ReviewPhase(context)

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
            if wait is None or self.is_paused() or time.monotonic() + wait > deadline:
                break
            self.stopping.wait(min(max(wait, 0.05), 1.0))
        return claims

    def run_forever(self, *, poll_seconds: float = 0.5) -> None:
        while not self.stopping.is_set():
            if not self.tick():
                self.stopping.wait(poll_seconds)

    def stop(self) -> None:
        self.stopping.set()
        if self._beat is not None:
            self._beat.stop()

    def _heartbeat(self) -> _Heartbeat:
        """One thread per engine renews the lease of the task in hand (started on the first claim)."""
        if self._beat is None:
            self._beat = _Heartbeat(self.store, every=self.lease.total_seconds() / 3)
        return self._beat

    def is_paused(self) -> bool:
        """The company's one pause switch (`bureau pause`, or Pause in the app)."""
        return self.deps.paused()

    def tick(self) -> bool:
        """Claim one task and run its phases while it stays runnable; False when there was nothing to do."""
        if self.is_paused() or self.stopping.is_set():
            return False
        task_id = self.store.claim()
        if task_id is None:
            return False
        heartbeat = self._heartbeat()
        heartbeat.watch(task_id)
        try:
            while not self.stopping.is_set() and self._run_phase(task_id):
                pass
        except ClaimLost as exc:  # this engine stalled past its lease: another one has the task now
            log.warning("%s", exc)
        except (BureauError, BackendError) as exc:  # a known problem: its message names the fix
            self._fail(task_id, str(exc))
        except Exception as exc:  # a bug or an unexpected failure: the task fails, the engine goes on
            log.exception("task %s failed unexpectedly", task_id)
            self._fail(task_id, f"Unexpected error: {exc}. Retry the task; if it fails again, report it.")
        finally:
            heartbeat.watch(None)
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
            over = overrun(task, self.deps.settings().budgets)
            if over is not None:
                self.store.stop_for_budget(task_id, limit=over.limit, allowed=over.allowed, reason=over.message())
                return False
        match status:
            case Status.INBOX:
                self._triage(task)
            case Status.QUEUED | Status.REWORK | Status.RUNNING:
                return self.work.run(task)
            case Status.IN_REVIEW:
                self.review.run(task)
        return True

    def _triage(self, task: TaskSnapshot) -> None:
        started = time.perf_counter()
        examples = self.deps.plan_examples() if self.deps.plan_examples is not None else ()
        result = triage(self.deps.router(), task.text, forced_team=task.requested_team, teams=self.deps.teams,
                        examples=examples)
        ms = (time.perf_counter() - started) * 1000
        route, plan = result.route, result.plan
        confidence = route.confidence if plan.confidence is None or task.requested_team else plan.confidence
        policy = self.deps.settings().autopilot
        reason = None
        if task.requested_team or policy.allows(confidence):
            status = Status.QUEUED
        else:
            status = Status.NEEDS_DECISION
            reason = wait_reason(route, plan, manual=policy.mode == "manual")
        choice = RouteChoice(team=route.team, confidence=route.confidence, rationale=route.rationale,
                             payload=RoutePayload(alternatives=[Alternative(team=a.team, score=a.score)
                                                                for a in route.alternatives], ms=round(ms, 2)))
        self.store.record_triage(
            task.id, route=choice, plan=plan,
            plan_rationale=f"{plan.shape}: {len(plan.steps)} step(s) for " + ", ".join(plan.teams),
            team=route.team if route.team in plan.teams else plan.steps[0].team,
            confidence=confidence, status=status, reason=reason)

    def _fail(self, task_id: int, reason: str) -> None:
        try:
            self.store.set_status(task_id, Status.FAILED, reason=reason)
        except ClaimLost as exc:
            log.warning("%s (it would have failed: %s)", exc, reason)


class _Heartbeat:
    """Renews the lease of the task this engine works on, every ``every`` seconds, on one thread."""

    def __init__(self, store: EngineStore, *, every: float) -> None:
        self._store = store
        self._every = every
        self._task: int | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="lease-heartbeat", daemon=True)
        self._thread.start()

    def watch(self, task_id: int | None) -> None:
        with self._lock:
            self._task = task_id

    def _run(self) -> None:
        while not self._done.wait(self._every):
            with self._lock:
                task_id = self._task
            if task_id is None:
                continue
            try:
                self._store.renew(task_id)
            except (BureauError, sqlite3.Error):
                log.warning("could not renew the lease of task %s; will try again", task_id, exc_info=True)

    def stop(self) -> None:
        self._done.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
