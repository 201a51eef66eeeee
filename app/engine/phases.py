"""What the work and review phases share: dependencies, step failures, cancellation."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from agents.backends.base import BackendError, ModelBackend
from agents.ceo import PlanExample
from agents.routing.router import Router
from app.engine.store import EngineStore
from app.core.settings import Settings
from app.core.status import Status
from app.store.db import Database
from teams.base import TeamSpec

log = logging.getLogger(__name__)

StreamCallback = Callable[[int, str, str], None]  # task id, journal key, text piece


class GroundingHooks(Protocol):
    """The founder's material around a step (``app.knowledge.ground.Grounder``): facts before it, a check of
    its figures and citations in review, outbound drafts after it."""

    def prepare(self, *, task_id: int, team: TeamSpec, step_text: str, task_text: str) -> Any: ...

    def problems(self, *, task_id: int, journal_key: str, output: str, task_text: str) -> list[str]: ...

    def after_work(self, *, task_id: int, step_key: str, team: TeamSpec, step_text: str, task_text: str,
                   title: str, output: str) -> None: ...


@dataclass(frozen=True, kw_only=True)
class EngineDeps:
    """What the engine needs from the outside, passed in (no globals)."""

    db: Database
    settings: Callable[[], Settings]  # the settings in effect now (replaced whole when the founder saves)
    teams: Mapping[str, TeamSpec]  # the team catalogue: built-in teams and the founder's
    router: Callable[[], Router]
    backend_for: Callable[[str], ModelBackend]  # team name, or "ceo"
    paused: Callable[[], bool]  # the company's one pause switch
    on_stream: StreamCallback | None = None
    plan_examples: Callable[[], Sequence[PlanExample]] | None = None  # plans the founder set
    offload: Callable[[int, str, ModelBackend], ModelBackend] | None = None  # (task, team, local): the relay's choice
    grounding: GroundingHooks | None = None  # profile facts, knowledge base, outbound drafts


@dataclass(frozen=True)
class PhaseContext:
    deps: EngineDeps
    store: EngineStore
    stopping: threading.Event
    # Tasks with several steps in flight: a transient failure's retry waits until the siblings finish,
    # so that their results are recorded under this engine's claim instead of being discarded.
    _in_flight: set[int] = field(default_factory=set)
    _held_retries: dict[int, tuple[float, str]] = field(default_factory=dict)

    @contextmanager
    def siblings_in_flight(self, task_id: int) -> Iterator[None]:
        """While several steps of ``task_id`` run at once, a retry is held back until they all finished."""
        self._in_flight.add(task_id)
        try:
            yield
        except BaseException:
            self._held_retries.pop(task_id, None)
            raise
        else:
            held = self._held_retries.pop(task_id, None)
            if held is not None:
                self._retry_later(task_id, *held)
        finally:
            self._in_flight.discard(task_id)

    def fail(self, task_id: int, reason: str) -> None:
        self.store.set_status(task_id, Status.FAILED, reason=reason)

    def step_failed(self, task_id: int, key: str, attempts: int, exc: BackendError, *,
                    tokens_in: int = 0, tokens_out: int = 0) -> bool:
        """Retry a transient failure later with backoff and jitter; otherwise the task fails with the reason."""
        self.store.fail_step(task_id, key, str(exc), tokens_in=tokens_in, tokens_out=tokens_out)
        max_attempts = self.deps.settings().budgets.max_step_attempts
        if exc.transient and attempts < max_attempts:
            delay = min(60.0, 2.0 ** attempts) * random.uniform(0.5, 1.0)
            reason = f"Retrying in {delay:.0f} s (attempt {attempts} of {max_attempts} failed): {exc}"
            if task_id in self._in_flight:
                self._held_retries.setdefault(task_id, (delay, reason))
            else:
                self._retry_later(task_id, delay, reason)
            return False
        self.fail(task_id, f"Step {key} failed after {attempts} attempt(s): {exc}")
        return False

    def _retry_later(self, task_id: int, delay: float, reason: str) -> None:
        self.store.set_status(task_id, Status.QUEUED, only_from=(Status.RUNNING, Status.IN_REVIEW), reason=reason)
        self.store.release(task_id, not_before=delay)

    def stream_to(self, task_id: int, key: str) -> Callable[[str], None] | None:
        on_stream = self.deps.on_stream
        if on_stream is None:
            return None
        return lambda piece: on_stream(task_id, key, piece)

    def cancel_check(self, task_id: int, *, allowed: frozenset[str] = frozenset({Status.RUNNING.value})
                     ) -> Callable[[], bool]:
        """True once the task was cancelled or changed by the founder, or the engine stops (checked every 0.5 s)."""
        last = [time.monotonic(), False]

        def cancelled() -> bool:
            if self.stopping.is_set():
                return True
            now = time.monotonic()
            if now - last[0] >= 0.5:
                last[0] = now
                last[1] = self.store.status(task_id) not in allowed
            return bool(last[1])

        return cancelled
