"""The founder's actions on a task, in one table: from which statuses each is allowed, and its words.

The task service enforces it; the GUI enables its actions from it; the CLI builds its
subcommands and messages from it; the detail panel words the founder's decisions with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.core.status import TERMINAL, Status

ActionName = Literal["approve", "reassign", "rework", "accept", "cancel", "retry"]


@dataclass(frozen=True, kw_only=True)
class Transition:
    name: ActionName
    allowed: frozenset[Status]  # statuses the action starts from
    past: str  # "Task 3 {past}": approved, sent back for rework, ...
    label: str  # the menu and toolbar text, with its mnemonic
    shortcut: str
    tip: str  # one line for the founder
    cli_help: str
    needs_work: bool = False  # from needs-decision, only when finished work exists
    destructive: bool = False  # the GUI offers an undo

    def allows(self, status: str | Status) -> bool:
        return Status(status) in self.allowed


_ALL = frozenset(Status)

TRANSITIONS: dict[str, Transition] = {t.name: t for t in (
    Transition(name="approve", allowed=frozenset({Status.NEEDS_DECISION}), past="approved", label="&Approve",
               shortcut="Ctrl+Return", tip="Let the CEO's decision proceed",
               cli_help="Approve the CEO's decision on a waiting task."),
    Transition(name="reassign", allowed=_ALL - TERMINAL - {Status.RUNNING}, past="reassigned", label="Re&assign…",
               shortcut="Ctrl+R", tip="Give the task to another team, with a note",
               cli_help="Give a task to another team (teaches the router)."),
    Transition(name="rework", allowed=frozenset({Status.DELIVERED, Status.NEEDS_DECISION, Status.DONE}),
               past="sent back for rework", label="Re&work…", shortcut="Ctrl+Shift+R",
               tip="Send the work back with a note", cli_help="Send delivered work back with a note.",
               needs_work=True),
    Transition(name="accept", allowed=frozenset({Status.DELIVERED, Status.NEEDS_DECISION}), past="accepted",
               label="A&ccept", shortcut="Ctrl+D", tip="Accept the delivered work: done",
               cli_help="Accept a delivered task (done).", needs_work=True),
    Transition(name="cancel", allowed=_ALL - TERMINAL, past="cancelled", label="Ca&ncel", shortcut="Ctrl+Delete",
               tip="Cancel the task: the teams stop working on it", cli_help="Cancel a task.", destructive=True),
    Transition(name="retry", allowed=frozenset({Status.FAILED, Status.CANCELLED}), past="retried", label="Re&try",
               shortcut="Ctrl+T", tip="Run a failed or cancelled task again; finished steps are kept",
               cli_help="Run a failed or cancelled task again; finished steps are kept."),
)}


def transition(name: str) -> Transition:
    try:
        return TRANSITIONS[name]
    except KeyError:
        raise ValueError(f"unknown action {name!r}; the actions are {', '.join(TRANSITIONS)}") from None


def action_for_drop(source: Status, target: Status) -> str | None:
    """The action a card dropped from ``source`` onto ``target`` means, or None when nothing clear."""
    if target == Status.DONE and TRANSITIONS["accept"].allows(source):
        return "accept"
    if target == Status.QUEUED and source == Status.NEEDS_DECISION:
        return "approve"
    if target in (Status.INBOX, Status.QUEUED) and TRANSITIONS["retry"].allows(source):
        return "retry"
    if target == Status.REWORK and TRANSITIONS["rework"].allows(source):
        return "rework"
    if target == Status.CANCELLED and TRANSITIONS["cancel"].allows(source):
        return "cancel"
    return None
