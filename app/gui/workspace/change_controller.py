"""Behaviour of the Change tab: load a task's delivery, apply it to the founder's branch, export a ``.patch``.

Every call runs on the op helper (``app/gui/common/ops.py``); ``DeliveryService`` does the git work.
Applying asks once, naming the branch; a refusal (the branch moved in a conflicting way, a
checked-out branch with changes in the way) is said in the tab's status line with its fix, and
success accepts the task as ``bureau apply`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.core.errors import NotFound
from app.gui.common.ops import Op, TaskRunner
from app.gui.common.theme import is_dark
from app.gui.common.widgets import DialogSlot
from app.gui.detail.preview import Preview, render_text
from app.gui.workspace.change_view import ChangeTab
from app.workspace.delivery import Applied, Delivery

ShowTab = Callable[[bool], None]  # the panel shows the tab only for a task with a delivery


class ChangeController(QObject):
    loaded = Signal(object)  # the Delivery shown, or None
    applied = Signal(object)  # Applied
    exported = Signal(object)  # the Path written

    def __init__(self, deliveries: Any, tasks: Any, runner: TaskRunner, tab: ChangeTab, *,
                 show_tab: ShowTab | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.deliveries = deliveries
        self.tasks = tasks
        self.runner = runner
        self.tab = tab
        self.show_tab = show_tab
        self.task_id: int | None = None
        self.confirm_slot = DialogSlot[QMessageBox]()
        tab.apply_button.clicked.connect(self.ask_apply)
        tab.export_button.clicked.connect(self.ask_export)

    def load(self, task_id: int | None) -> None:
        if task_id != self.task_id:
            self.tab.status.say("")
            self.tab.show_delivery(None)
        self.task_id = task_id
        if task_id is None:
            self._show(None, None)
            return
        deliveries, dark = self.deliveries, is_dark(self.tab.palette())

        def fetch() -> tuple[Delivery | None, Preview | None]:
            try:
                delivery = deliveries.delivery(task_id)
            except NotFound:  # not a task that worked in a repository
                return None, None
            return delivery, render_text("change.diff", delivery.diff, dark=dark) if delivery.diff else None

        Op(self.runner, fetch, owner=self.tab) \
            .success(lambda got: self._show(*got) if task_id == self.task_id else None) \
            .errors_in(self.tab.status).run()

    def _show(self, delivery: Delivery | None, preview: Preview | None) -> None:
        if delivery is None or delivery != self.tab.delivery:
            self.tab.show_delivery(delivery, preview)
        if self.show_tab is not None:
            self.show_tab(delivery is not None)
        self.loaded.emit(delivery)

    # -- apply -------------------------------------------------------------------------
    def ask_apply(self) -> QMessageBox | None:
        """Ask once, naming the branch; Apply runs it. Returns the question (tests answer it)."""
        d = self.tab.delivery
        if d is None:
            return None
        branch = d.base_branch or "your branch"

        def build() -> QMessageBox:
            box = QMessageBox(QMessageBox.Icon.Question, "Apply the change",
                              f"Apply task {d.task_id}'s change to {branch} in {d.newest.repo_name}?",
                              QMessageBox.StandardButton.Cancel, self.tab.window())
            box.setInformativeText(f"It is committed on {d.newest.branch} and brought onto {branch} (a fast-forward, "
                                   f"or a merge when {branch} moved). Your uncommitted changes are kept; a "
                                   f"conflict is refused and changes nothing. The task is then accepted.")
            ok = box.addButton(f"Apply to {branch}", QMessageBox.ButtonRole.AcceptRole)
            box.setDefaultButton(ok)
            ok.clicked.connect(self.apply)
            return box

        box, _new = self.confirm_slot.open(build)
        return box

    def apply(self, branch: str | None = None) -> None:
        d = self.tab.delivery
        if d is None:
            return
        task_id, deliveries, tasks = d.task_id, self.deliveries, self.tasks

        def work() -> tuple[Applied, str]:
            applied = deliveries.apply(task_id, branch=branch)
            status = tasks.get(task_id).status
            if status == "delivered":
                status = tasks.accept(task_id).status
            return applied, status

        def done(result: tuple[Applied, str]) -> None:
            applied, status = result
            how = "fast-forward" if applied.fast_forward else f"merge commit {applied.tip[:10]}"
            self.tab.status.say(f"Applied to {applied.branch} as commit {applied.commit[:10]} ({how}); it is also on "
                                f"{applied.task_branch}. Task {task_id} is {status}.")
            self.applied.emit(applied)
            self.load(self.task_id)

        Op(self.runner, work, owner=self.tab).success(done).errors_in(self.tab) \
            .progress(f"Applying task {task_id}…").run()

    # -- export ------------------------------------------------------------------------
    def ask_export(self) -> None:
        d = self.tab.delivery
        if d is None:
            return
        name, _filter = QFileDialog.getSaveFileName(self.tab.window(), "Export the change as a patch",
                                                    str(Path.home() / f"task-{d.task_id}.patch"),
                                                    "Patch files (*.patch *.diff);;All files (*)")
        if name:
            self.export_patch(Path(name))

    def export_patch(self, target: Path) -> None:
        d = self.tab.delivery
        if d is None:
            return
        task_id, deliveries = d.task_id, self.deliveries

        def done(path: Path) -> None:
            self.tab.status.say(f"Patch written to {path} (`git am` or `git apply` it).")
            self.exported.emit(path)

        Op(self.runner, lambda: deliveries.export_patch(task_id, target), owner=self.tab).success(done) \
            .errors_in(self.tab).run()
