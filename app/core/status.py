"""Task statuses and priorities."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    INBOX = "inbox"
    NEEDS_DECISION = "needs_decision"
    QUEUED = "queued"
    RUNNING = "running"
    IN_REVIEW = "in_review"
    REWORK = "rework"
    DELIVERED = "delivered"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


TERMINAL = frozenset({Status.DONE, Status.FAILED, Status.CANCELLED})
WAITING_FOR_FOUNDER = frozenset({Status.NEEDS_DECISION, Status.DELIVERED})
# Statuses the engine picks up (RUNNING only once its lease expired: a crashed engine's task).
RUNNABLE = frozenset({Status.INBOX, Status.QUEUED, Status.REWORK, Status.IN_REVIEW, Status.RUNNING})


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return {"low": 0, "normal": 1, "high": 2, "urgent": 3}[self.value]
