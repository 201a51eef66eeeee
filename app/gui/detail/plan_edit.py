"""Behaviour of "Edit plan…": enabled while a task's plan may change, load the plan, save the founder's."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from app.core.status import Status
from app.gui.common.ops import Op, TaskRunner
from app.gui.common.widgets import DialogSlot
from app.gui.detail.plan_dialog import EditPlanDialog, steps_of
from app.tasks.plans import EDITABLE, PlanService, TaskPlan
from app.tasks.queries import CardRow


class PlanEditor(QObject):
    """The "Edit plan…" action (Task menu, task panel) and its dialog, through the op helper."""

    message = Signal(str)
    saved = Signal(int)  # task id

    def __init__(self, plans: PlanService, text_of: Callable[[int], str], runner: TaskRunner,
                 dialog_parent: Callable[[], QWidget], team_names: Callable[[], Sequence[str]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._plans = plans
        self._text_of = text_of  # the task's whole text (a card has its title only); runs in the background
        self._runner = runner
        self._dialog_parent = dialog_parent
        self._team_names = team_names
        self._card: CardRow | None = None
        self._slot = DialogSlot[EditPlanDialog]()
        self.action = QAction("Edit &plan…", self)
        self.action.setIconText("Edit plan")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        tip = "Change the task's steps before it runs: teams, texts, what waits for what"
        self.action.setStatusTip(tip)
        self.action.setToolTip(tip)
        self.action.triggered.connect(lambda _checked=False: self.open())
        self.set_card(None)

    @property
    def dialog(self) -> EditPlanDialog | None:
        return self._slot.dialog

    def set_card(self, card: CardRow | None) -> None:
        self._card = card
        self.action.setEnabled(card is not None and Status(card.status) in EDITABLE)

    def open(self) -> None:
        card = self._card
        if card is None or not self.action.isEnabled():
            return
        plans, text_of = self._plans, self._text_of
        Op(self._runner, lambda: (plans.show(card.id), text_of(card.id))) \
            .success(lambda loaded: self._show(card, *loaded)).progress(f"Reading the plan of #{card.id}…").run()

    def _show(self, card: CardRow, shown: TaskPlan, text: str) -> None:
        if Status(shown.status) not in EDITABLE:
            self.message.emit(f"Task {card.id} is {Status(shown.status).label} now; its plan can no longer change.")
            return
        steps = steps_of(shown.plan, text=text, team=card.team)
        dialog, new = self._slot.open(lambda: EditPlanDialog(card.id, card.title, steps, self._team_names(),
                                                             self._dialog_parent()))
        if new:
            dialog.submitted.connect(lambda: self._save(dialog))

    def _save(self, dialog: EditPlanDialog) -> None:
        plans, task_id, data = self._plans, dialog.task_id, dialog.plan_data()

        def done(shown: TaskPlan) -> None:
            dialog.accept()
            count = len(shown.plan.steps) if shown.plan is not None else 0
            self.message.emit(f"Task {task_id} runs your plan: {count} step(s), now {Status(shown.status).label}.")
            self.saved.emit(task_id)

        Op(self._runner, lambda: plans.set_plan(task_id, data), owner=dialog).success(done).errors_in(dialog) \
            .progress(f"Saving the plan of #{task_id}…").run()
