"""The founder's actions on a task: the same ``TaskService`` calls the CLI makes.

Each action is a ``QAction`` (toolbar, Task menu, context menu, detail panel, shortcut);
dropping a card on another column maps to one of them where the meaning is clear.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from app.tasks.queries import CardRow
from app.core.errors import BureauError
from app.gui.shell.dialogs import ReassignDialog, ReworkDialog
from app.gui.common.errors import ReadableError
from app.gui.common.ops import TaskRunner
from app.tasks.service import TaskService
from app.core.status import Status
from app.tasks.transitions import TRANSITIONS, action_for_drop
from app.store.rows import TaskRow as Task

ORDER: tuple[str, ...] = tuple(TRANSITIONS)


class TaskActions(QObject):
    """Enables the actions for the selected card and runs them through the task runner."""

    message = Signal(str)  # a short outcome for the status bar

    def __init__(self, tasks: TaskService, runner: TaskRunner, dialog_parent: Callable[[], QWidget],
                 card_of: Callable[[int], CardRow | None], team_names: Callable[[], Sequence[str]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._team_names = team_names
        self._tasks = tasks
        self._runner = runner
        self._dialog_parent = dialog_parent
        self._card_of = card_of
        self._card: CardRow | None = None
        self._has_work: tuple[int, bool] | None = None  # (task id, whether finished work exists)
        self.dialog: ReassignDialog | ReworkDialog | None = None  # the open one, if any
        self.actions: dict[str, QAction] = {}
        for name, spec in TRANSITIONS.items():
            text, keys, tip = spec.label, spec.shortcut, spec.tip
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.setStatusTip(tip)
            action.setToolTip(f"{tip} ({QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)})")
            action.triggered.connect(lambda _checked=False, n=name: self.trigger(n))
            self.actions[name] = action
        self.set_card(None)

    @property
    def ordered(self) -> Sequence[QAction]:
        return [self.actions[name] for name in ORDER]

    def set_card(self, card: CardRow | None) -> None:
        self._card = card
        for name, action in self.actions.items():
            action.setEnabled(card is not None and TRANSITIONS[name].allows(card.status) and self._work_ok(name, card))

    def note_work(self, task_id: int, has_work: bool) -> None:
        """What the detail panel learnt: accept and rework need finished work on a waiting task."""
        self._has_work = (task_id, has_work)
        self.set_card(self._card)

    def _work_ok(self, name: str, card: CardRow) -> bool:
        if not TRANSITIONS[name].needs_work or card.status != Status.NEEDS_DECISION:
            return True
        return self._has_work == (card.id, True)

    def trigger(self, name: str, task_id: int | None = None) -> None:
        card = self._card if task_id is None else self._card_of(task_id)
        if card is None:
            return
        match name:
            case "reassign":
                self._ask_reassign(card)
            case "rework":
                self._ask_rework(card)
            case _:
                self._run(name, card, self._call(name, card.id))

    def drop(self, task_id: int, target: Status) -> None:
        card = self._card_of(task_id)
        if card is None:
            return
        name = action_for_drop(_status(card), target)
        if name is None:
            self.message.emit(f"Moving a card from {Status(card.status).label} to {target.label} means nothing "
                              "to Bureau; use the task's actions instead.")
            return
        self.trigger(name, task_id)

    # -- dialogs -----------------------------------------------------------------------
    def _ask_reassign(self, card: CardRow) -> None:
        dialog = ReassignDialog(card.title, card.team, self._team_names(), self._dialog_parent())
        dialog.submitted.connect(lambda: self._run(
            "reassign", card, lambda: self._tasks.reassign(card.id, dialog.chosen_team(), note=dialog.note_text()),
            dialog))
        self._open(dialog)

    def _ask_rework(self, card: CardRow) -> None:
        dialog = ReworkDialog(card.title, self._dialog_parent())
        dialog.submitted.connect(lambda: self._run(
            "rework", card, lambda: self._tasks.rework(card.id, note=dialog.note_text()), dialog))
        self._open(dialog)

    def _open(self, dialog: ReassignDialog | ReworkDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # -- service calls -----------------------------------------------------------------
    def _call(self, name: str, task_id: int) -> Callable[[], Task]:
        method: Callable[[int], Task] = getattr(self._tasks, name)
        return lambda: method(task_id)

    def _run(self, name: str, card: CardRow, call: Callable[[], Task],
             dialog: ReassignDialog | ReworkDialog | None = None) -> None:
        def done(task: Task) -> None:
            self.message.emit(f"Task {task.id} {TRANSITIONS[name].past}: now {Status(task.status).label}.")
            if dialog is not None:
                dialog.accept()

        def failed(exc: BaseException) -> None:
            if dialog is not None and isinstance(exc, BureauError):
                error = ReadableError.of(exc)
                dialog.show_error(error.message, error.fix)
            else:
                self._runner.report(exc)

        self._runner.run(call, on_success=done, on_failure=failed, owner=dialog,
                         label=f"{name.capitalize()} task {card.id}…")


def _status(card: CardRow) -> Status:
    return Status(card.status)
