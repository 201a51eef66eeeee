"""New work on the board: the New task dialog (opens any number of times), example tasks, Import."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from app.gui.board.new_task import NewTaskDialog, NewTaskForm
from app.gui.common.ops import Op, TaskRunner
from app.gui.common.widgets import DialogSlot
from app.gui.schedules.rule_field import RulePreviewer
from app.schedules.service import NewSchedule, ScheduleService, ScheduleView
from app.store.rows import TaskRow as Task
from app.tasks.service import NewTask, TaskService


class IntakeController(QObject):
    submitted = Signal(int)  # the new task's id
    message = Signal(str)

    scheduled = Signal(int)  # a schedule made with "Repeat…": its id

    def __init__(self, tasks: TaskService, runner: TaskRunner, parent_widget: Callable[[], QWidget],
                 team_names: Callable[[], Sequence[str]], parent: QObject | None = None, *,
                 schedules: Callable[[], ScheduleService] | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._schedules = schedules
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
            if self._schedules is None:
                dialog.repeat.setVisible(False)
            else:
                RulePreviewer(dialog.rule_field, self._schedules, self._runner, owner=dialog)
        return dialog

    def _submit(self, dialog: NewTaskDialog) -> None:
        form = dialog.values()
        if form.repeat is not None and self._schedules is not None:
            self._schedule(dialog, form, self._schedules)
            return
        new = _new_task(form)

        def done(task: Task) -> None:
            dialog.accept()
            self._submitted(task)

        Op(self._runner, lambda: self._tasks.submit(new), owner=dialog).success(done).errors_in(dialog) \
            .progress("Adding the task…").run()

    def _schedule(self, dialog: NewTaskDialog, form: NewTaskForm, schedules: Callable[[], ScheduleService]) -> None:
        """A schedule from the dialog (and, if asked, one task now); nothing is saved if the rule is refused."""
        new = NewSchedule(text=form.text, rule=form.repeat or "", title=form.title, team=form.team,
                          priority=form.priority, sensitive=form.sensitive)
        tasks, now = self._tasks, _new_task(form) if form.also_now else None

        def work() -> tuple[ScheduleView, Task | None]:
            view = schedules().add(new)
            return view, tasks.submit(now) if now is not None else None

        def done(result: tuple[ScheduleView, Task | None]) -> None:
            view, task = result
            dialog.accept()
            self.scheduled.emit(view.id)
            if task is not None:
                self.submitted.emit(task.id)
            self.message.emit(f"Schedule {view.id} added: {view.words}; next run {view.local(view.next_run)}."
                              + (f" Task {task.id} added now." if task is not None else ""))

        Op(self._runner, work, owner=dialog).success(done).errors_in(dialog).progress("Adding the schedule…").run()

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
