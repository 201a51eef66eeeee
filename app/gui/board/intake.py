"""New work on the board: the New task dialog (opens any number of times), example tasks, Import."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from app.gui.board.new_task import NewTaskDialog, NewTaskForm
from app.gui.common.ops import Op, TaskRunner
from app.gui.common.widgets import DialogSlot
from app.store.rows import TaskRow as Task
from app.tasks.service import NewTask, TaskService


class IntakeController(QObject):
    submitted = Signal(int)  # the new task's id
    message = Signal(str)

    def __init__(self, tasks: TaskService, runner: TaskRunner, parent_widget: Callable[[], QWidget],
                 team_names: Callable[[], Sequence[str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._runner = runner
        self._parent_widget = parent_widget
        self._team_names = team_names
        self._slot = DialogSlot[NewTaskDialog]()
        self._import_slot = DialogSlot[QFileDialog]()

    @property
    def dialog(self) -> NewTaskDialog | None:
        return self._slot.dialog

    def open_new_task(self) -> NewTaskDialog:
        dialog, new = self._slot.open(lambda: NewTaskDialog(self._team_names(), self._parent_widget()))
        if new:
            dialog.submitted.connect(lambda: self._submit(dialog))
        return dialog

    def _submit(self, dialog: NewTaskDialog) -> None:
        new = _new_task(dialog.values())

        def done(task: Task) -> None:
            dialog.accept()
            self._submitted(task)

        Op(self._runner, lambda: self._tasks.submit(new), owner=dialog).success(done).errors_in(dialog) \
            .progress("Adding the task…").run()

    def submit_example(self, text: str) -> None:
        Op(self._runner, lambda: self._tasks.submit(NewTask(text=text, source="desktop"))) \
            .success(self._submitted).progress("Adding the task…").run()

    def _submitted(self, task: Task) -> None:
        assert task.id is not None
        self.message.emit(f"Task {task.id} added: the CEO will route it.")
        self.submitted.emit(task.id)

    @property
    def import_dialog(self) -> QFileDialog | None:
        return self._import_slot.dialog

    def import_tasks(self) -> QFileDialog:
        """Choose a JSON Lines or CSV file (a window-modal file dialog), then import it all or nothing."""
        dialog, new = self._import_slot.open(self._build_import_dialog)
        if new:
            dialog.fileSelected.connect(self.import_file)
        return dialog

    def _build_import_dialog(self) -> QFileDialog:
        d = QFileDialog(self._parent_widget(), "Import tasks", str(Path.home()),
                        "Tasks (*.jsonl *.json *.csv);;All files (*)")
        d.setFileMode(QFileDialog.FileMode.ExistingFile)
        d.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        d.setWindowModality(Qt.WindowModality.WindowModal)
        return d

    def import_file(self, path: str) -> None:
        target = Path(path)
        Op(self._runner, lambda: self._tasks.import_file(target)).progress("Importing tasks…") \
            .success(lambda tasks: self.message.emit(f"Imported {len(tasks)} task(s) from {target.name}.")).run()


def _new_task(form: NewTaskForm) -> NewTask:
    return NewTask(text=form.text, title=form.title, priority=form.priority, due=form.due, team=form.team,
                   sensitive=form.sensitive, source="desktop")
