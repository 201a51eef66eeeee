"""A circuit breaker around a model backend, so a dead server does not burn every queued task.

Closed: requests pass. After ``failures_to_open`` consecutive unreachable/timeout failures it
opens: requests fail at once (transient, so the engine retries later) until ``cooldown`` has
passed; then one probe request is let through (half-open): success closes the circuit, failure
opens it again with a longer cooldown.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from enum import StrEnum

from agents.backends.base import (
    BackendUnavailable,
    CancelCheck,
    ChatMessage,
    ChatOptions,
    ChatResult,
    ModelBackend,
    TokenCallback,
)


class CircuitState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class CircuitOpen(BackendUnavailable):
    """Refused without trying: the backend failed repeatedly and is resting."""


class CircuitBreaker(ModelBackend):
    def __init__(self, inner: ModelBackend, *, failures_to_open: int = 3, cooldown: float = 15.0,
                 max_cooldown: float = 300.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.inner = inner
        self.name = inner.name
        self.capabilities = inner.capabilities
        self.failures_to_open = failures_to_open
        self.base_cooldown = cooldown
        self.max_cooldown = max_cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._cooldown = cooldown
        self._opened_at: float | None = None
        self._probing = False
        self.last_error: str | None = None

    @property
    def state(self) -> CircuitState:
        with self._lock:
            return self._state()

    def _state(self) -> CircuitState:
        if self._opened_at is None:
            return CircuitState.CLOSED
        if self._clock() - self._opened_at >= self._cooldown:
            return CircuitState.HALF_OPEN
        return CircuitState.OPEN

    def retry_in(self) -> float:
        with self._lock:
            if self._opened_at is None:
                return 0.0
            return max(0.0, self._opened_at + self._cooldown - self._clock())

    def chat(self, messages: Sequence[ChatMessage], options: ChatOptions = ChatOptions(), *,
             on_token: TokenCallback | None = None, cancelled: CancelCheck | None = None) -> ChatResult:
        with self._lock:
            state = self._state()
            if state == CircuitState.OPEN or (state == CircuitState.HALF_OPEN and self._probing):
                wait = 0.0 if self._opened_at is None else max(0.0, self._opened_at + self._cooldown - self._clock())
                raise CircuitOpen(
                    f"{self.name} failed {self._failures} times in a row ({self.last_error}); "
                    f"Bureau will try it again in {wait:.0f} s.",
                    fix="Check that its server is running and reachable, or assign another model to this role.")
            probing = state == CircuitState.HALF_OPEN
            self._probing = probing
        try:
            result = self.inner.chat(messages, options, on_token=on_token, cancelled=cancelled)
        except BackendUnavailable as exc:
            self._failed(exc, probing)
            raise
        except BaseException:
            with self._lock:
                self._probing = False  # not a health problem (bad reply, cancel): no verdict on the server
            raise
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._cooldown = self.base_cooldown
            self._probing = False
        return result

    def _failed(self, exc: BackendUnavailable, probing: bool) -> None:
        with self._lock:
            self._failures += 1
            self.last_error = exc.message
            self._probing = False
            if probing:
                self._cooldown = min(self.max_cooldown, self._cooldown * 2)
                self._opened_at = self._clock()
            elif self._failures >= self.failures_to_open:
                self._opened_at = self._clock()

    def close(self) -> None:
        self.inner.close()
