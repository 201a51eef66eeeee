"""Behaviour of the Schedules window: every read and change goes through ``ScheduleService`` on the runner."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from app.core.errors import BureauError
from app.gui.common.errors import ReadableError
from app.gui.common.ops import TaskRunner
from app.gui.schedules.model import ScheduleRowData, SchedulesModel, rows_from
from app.gui.schedules.rule_field import RulePreviewer
from app.gui.schedules.view import AddScheduleDialog, SchedulesWindow
from app.schedules.service import NewSchedule, ScheduleService
from app.schedules.timing import local_zone_name

REFRESH_MS = 30_000  # next runs move on even when nothing changes


class SchedulesController(QObject):
    loaded = Signal()

    def __init__(self, service: ScheduleService, runner: TaskRunner, teams: Callable[[], Sequence[str]],
                 parent: QObject | None = None, *, window_parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.runner = runner
        self.teams = teams
        self.model = SchedulesModel(self)
        self.window = SchedulesWindow(self.model, window_parent)
        self.add_dialog: AddScheduleDialog | None = None
        w = self.window
        w.add_button.clicked.connect(self.open_add)
        w.pause_button.clicked.connect(lambda: self._act("pause", self.service.pause))
        w.resume_button.clicked.connect(lambda: self._act("resume", self.service.resume))
        w.run_button.clicked.connect(lambda: self._act("run", self.service.run_now))
        w.remove_button.clicked.connect(lambda: self._act("remove", self.service.remove))
        w.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._update_buttons()

    def show(self) -> None:
        self.window.show()
        self.window.raise_()
        self.refresh()
        self._timer.start()

    def refresh(self) -> None:
        service = self.service
        self.runner.run(lambda: rows_from(service.list_schedules()), on_success=self._loaded,
                        on_failure=self._failed, owner=self.window)

    def _loaded(self, rows: list[ScheduleRowData]) -> None:
        selected = self.selected()
        self.model.set_rows(rows)
        if selected is not None and (row := self.model.row_of(selected.id)) is not None:
            self.window.table.selectRow(row)
        self._update_buttons()
        if not rows:
            self.window.say("No schedules yet: add one for the company's routines (the Monday newsletter, "
                            "the monthly investor update).")
        self.loaded.emit()

    def selected(self) -> ScheduleRowData | None:
        rows = self.window.table.selectionModel().selectedRows()
        return self.model.row_data(rows[0].row()) if rows else None

    def _update_buttons(self, *_: Any) -> None:
        row = self.selected()
        w = self.window
        w.pause_button.setEnabled(row is not None and row.state != "paused")
        w.resume_button.setEnabled(row is not None and row.state == "paused")
        w.run_button.setEnabled(row is not None)
        w.remove_button.setEnabled(row is not None)

    def _act(self, action: str, fn: Callable[[int], Any]) -> None:
        row = self.selected()
        if row is None:
            return
        messages = {"pause": f"Schedule {row.id} paused.", "resume": f"Schedule {row.id} resumed.",
                    "remove": f"Schedule {row.id} removed; its tasks stay."}

        def done(result: Any) -> None:
            self.window.say(f"Task {result} created from schedule {row.id}." if action == "run" else messages[action])
            self.refresh()

        self.runner.run(lambda: fn(row.id), on_success=done, on_failure=self._failed, owner=self.window)

    def _failed(self, exc: BaseException) -> None:
        error = ReadableError.of(exc)
        self.window.say(f"{error.message} {error.fix or ''}".strip())

    # -- adding ------------------------------------------------------------------------
    def open_add(self) -> AddScheduleDialog:
        dialog = AddScheduleDialog(self.teams(), local_zone_name(), self.window)
        service = self.service
        previewer = RulePreviewer(dialog.rule_field, lambda: service, self.runner,
                                  tz=lambda: dialog.tz.text().strip() or None, owner=dialog)
        previewer.watch(dialog.tz.textChanged)
        dialog.submitted.connect(lambda: self._add(dialog))
        self.add_dialog = dialog
        dialog.open()
        return dialog

    def _add(self, dialog: AddScheduleDialog) -> None:
        v = dialog.values()
        new = NewSchedule(text=str(v["text"] or ""), rule=str(v["rule"] or ""), team=v["team"], tz=v["tz"],
                          catch_up=str(v["catch_up"]))

        def done(view: Any) -> None:
            dialog.accept()
            self.window.say(f"Schedule {view.id} added: {view.words}; next run {view.local(view.next_run)}.")
            self.refresh()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, BureauError):
                dialog.show_error(exc.message, exc.fix)
            else:
                self.runner.report(exc)

        self.runner.run(lambda: self.service.add(new), on_success=done, on_failure=failed, owner=dialog)

