"""The founder's actions on a task: the same ``TaskService`` calls the CLI makes.

Each action is a ``QAction`` built from the one table ``app.tasks.transitions.TRANSITIONS``
(toolbar, Task menu, context menu, detail panel, shortcut); dropping a card on another
column maps to one of them where the meaning is clear. A destructive action (the table's
``destructive``) runs at once and can be undone: ``undoable`` carries the undo to the toast
and to Edit ▸ Undo (Ctrl+Z).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from app.core.status import Status
from app.gui.common.form_dialog import FormDialog
from app.gui.common.ops import Op, TaskRunner
from app.gui.common.widgets import DialogSlot
from app.gui.detail.dialogs import ReassignDialog, ReworkDialog
from app.store.rows import TaskRow as Task
from app.tasks.queries import CardRow
from app.tasks.service import TaskService
from app.tasks.transitions import TRANSITIONS, action_for_drop
from app.tasks.undo import undo_cancel

ORDER: tuple[str, ...] = tuple(TRANSITIONS)
UNDO: dict[str, Callable[[TaskService, int], Task]] = {
    "cancel": lambda tasks, task_id: undo_cancel(tasks.db, tasks.writer, task_id)}
TOOLBAR_TEXT = {"approve": "Approve", "reassign": "Reassign", "rework": "Rework", "accept": "Accept",
                "cancel": "Cancel", "retry": "Retry"}  # short words the narrow toolbar keeps whole


@dataclass(frozen=True)
class UndoEntry:
    task_id: int
    action: str
    text: str  # "Cancelled #12"


class TaskActions(QObject):
    """Enables the actions for the selected card and runs them in the background."""

    message = Signal(str)  # a short outcome for the status bar
    undoable = Signal(object)  # UndoEntry, after a destructive action succeeded
    undone = Signal(int)  # task id
    card_set = Signal(object)  # CardRow | None: the card the actions now act on (other task actions follow it)

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
        self._runner_up: dict[int, str] = {}  # task id -> the CEO's runner-up team
        self._slot = DialogSlot[FormDialog]()
        self.last_undo: UndoEntry | None = None
        self.actions: dict[str, QAction] = {}
        for name, spec in TRANSITIONS.items():
            action = QAction(spec.label, self)
            action.setIconText(TOOLBAR_TEXT.get(name, spec.label.replace("&", "")))
            action.setShortcut(QKeySequence(spec.shortcut))
            action.setStatusTip(spec.tip)
            keys = QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{spec.tip} ({keys})" + (" — can be undone with Ctrl+Z" if spec.destructive else ""))
            action.triggered.connect(lambda _checked=False, n=name: self.trigger(n))
            self.actions[name] = action
        self.set_card(None)

    @property
    def ordered(self) -> Sequence[QAction]:
        return [self.actions[name] for name in ORDER]

    @property
    def dialog(self) -> FormDialog | None:
        return self._slot.dialog

    @property
    def card(self) -> CardRow | None:
        return self._card

    def set_card(self, card: CardRow | None) -> None:
        self._card = card
        for name, action in self.actions.items():
            action.setEnabled(card is not None and TRANSITIONS[name].allows(card.status) and self._work_ok(name, card))
        self.card_set.emit(card)

    def note_work(self, task_id: int, has_work: bool, runner_up: str | None = None) -> None:
        """What the detail panel learnt: accept and rework need finished work; reassign offers the runner-up."""
        self._has_work = (task_id, has_work)
        if runner_up:
            self._runner_up[task_id] = runner_up
        if self._card is not None and self._card.id == task_id:
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
                method: Callable[[int], Task] = getattr(self._tasks, name)
                self._run(name, card, lambda: method(card.id))

    def drop(self, task_id: int, target: Status) -> None:
        card = self._card_of(task_id)
        if card is None:
            return
        name = action_for_drop(Status(card.status), target)
        if name is None:
            self.message.emit(f"Moving a card from {Status(card.status).label} to {target.label} means nothing "
                              "to Bureau; use the task's actions instead.")
            return
        self.trigger(name, task_id)

    # -- undo --------------------------------------------------------------------------
    def undo(self) -> None:
        entry = self.last_undo
        if entry is None:
            self.message.emit("Nothing to undo.")
            return
        self.last_undo = None
        tasks, undo = self._tasks, UNDO[entry.action]

        def done(task: Task) -> None:
            self.message.emit(f"Undone: #{entry.task_id} is {Status(task.status).label} again.")
            self.undone.emit(entry.task_id)

        Op(self._runner, lambda: undo(tasks, entry.task_id)).success(done).progress(f"Undoing on #{entry.task_id}…").run()

    # -- dialogs -----------------------------------------------------------------------
    def _ask_reassign(self, card: CardRow) -> None:
        suggested = self._runner_up.get(card.id)
        dialog, new = self._slot.open(lambda: ReassignDialog(card.title, card.team, self._team_names(),
                                                              self._dialog_parent(), suggested=suggested))
        if new and isinstance(dialog, ReassignDialog):
            dialog.submitted.connect(lambda: self._run(
                "reassign", card, lambda: self._tasks.reassign(card.id, dialog.chosen_team(), note=dialog.note_text()),
                dialog))

    def _ask_rework(self, card: CardRow) -> None:
        dialog, new = self._slot.open(lambda: ReworkDialog(card.title, self._dialog_parent()))
        if new and isinstance(dialog, ReworkDialog):
            dialog.submitted.connect(lambda: self._run(
                "rework", card, lambda: self._tasks.rework(card.id, note=dialog.note_text()), dialog))

    # -- service calls -----------------------------------------------------------------
    def _run(self, name: str, card: CardRow, call: Callable[[], Task], dialog: FormDialog | None = None) -> None:
        spec = TRANSITIONS[name]

        def done(task: Task) -> None:
            if dialog is not None:
                dialog.accept()
            if spec.destructive and name in UNDO and task.id is not None:
                self.last_undo = UndoEntry(task.id, name, f"{spec.past.capitalize()} #{task.id}")
                self.undoable.emit(self.last_undo)
            else:
                self.message.emit(f"Task {task.id} {spec.past}: now {Status(task.status).label}.")

        op = Op(self._runner, call, owner=dialog).success(done).progress(f"{name.capitalize()} task {card.id}…")
        if dialog is not None:
            op.errors_in(dialog)
        op.run()
