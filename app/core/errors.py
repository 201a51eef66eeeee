"""Errors the founder sees. Each message says what went wrong and how to fix it."""

from __future__ import annotations


class BureauError(Exception):
    """An error with a founder-readable message that names the fix."""

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        self.message = message
        self.fix = fix
        super().__init__(f"{message} {fix}" if fix else message)

    def __str__(self) -> str:  # pragma: no cover - trivial
        return f"{self.message} {self.fix}" if self.fix else self.message


class InvalidInput(BureauError):
    """The founder's input cannot be used as given."""


class NotFound(BureauError):
    """An id or name that does not exist."""


class InvalidTransition(BureauError):
    """An action that the task's current status does not allow."""


class StoreError(BureauError):
    """The data folder or database cannot be used."""


def task_not_found(task_id: int) -> NotFound:
    """The one message for an unknown task id."""
    return NotFound(f"There is no task {task_id}.", fix="List the tasks with `bureau tasks`.")
