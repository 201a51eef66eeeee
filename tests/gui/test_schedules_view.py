"""The Schedules view: its table model, pause/resume, and adding a schedule with the rule said back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from app.company import Company
from app.gui.common.ops import TaskRunner
from app.gui.schedules.controller import SchedulesController
from app.gui.schedules.model import COL_LAST, COL_NEXT, COL_RULE, COL_STATE, COL_TASK, SchedulesModel, rows_from
from app.schedules.service import NewSchedule


def _controller(qtbot: QtBot, company: Company, errors: list[BaseException]) -> SchedulesController:
    runner = TaskRunner(errors.append)
    controller = SchedulesController(company.schedules, runner, lambda: company.tasks.teams)
    qtbot.addWidget(controller.window)
    with qtbot.waitSignal(controller.loaded, timeout=10_000):
        controller.show()
    return controller


def test_the_model_shows_rule_in_words_next_and_last_run(qtbot: QtBot, company: Company) -> None:
    first = company.schedules.add(NewSchedule(text="Draft the Monday newsletter", rule="every monday at 9",
                                              team="content", tz="Europe/Berlin"))
    second = company.schedules.add(NewSchedule(text="Investor update", rule="on the 1st of every month", tz="UTC"))
    task_id = company.schedules.run_now(first.id)
    company.schedules.pause(second.id)
    model = SchedulesModel()
    model.set_rows(rows_from(company.schedules.list_schedules()))
    assert model.rowCount() == 2 and model.columnCount() == 5
    at = lambda row, col: model.data(model.index(row, col))  # noqa: E731
    assert at(0, COL_RULE) == "every Monday at 09:00"
    assert at(0, COL_TASK) == "Draft the Monday newsletter → content"
    assert at(0, COL_NEXT).startswith("Mon ")
    assert at(0, COL_LAST).endswith(f"(task {task_id})")
    assert at(1, COL_STATE) == "paused" and at(1, COL_LAST) == "never"
    assert model.data(model.index(1, COL_RULE), Qt.ItemDataRole.ForegroundRole) == QColor("#6b7280")
    assert model.data(model.index(0, COL_RULE), Qt.ItemDataRole.ToolTipRole) == "every monday at 9 (Europe/Berlin)"


def test_pause_resume_and_add_from_the_window(qtbot: QtBot, company: Company) -> None:
    company.schedules.add(NewSchedule(text="Look at the support inbox", rule="every weekday at 8:30", tz="UTC"))
    errors: list[BaseException] = []
    controller = _controller(qtbot, company, errors)
    window = controller.window
    assert not window.pause_button.isEnabled()
    window.table.selectRow(0)
    assert window.pause_button.isEnabled() and not window.resume_button.isEnabled()
    with qtbot.waitSignal(controller.loaded, timeout=10_000):
        window.pause_button.click()
    assert controller.model.row_data(0).state == "paused"
    assert window.resume_button.isEnabled()
    with qtbot.waitSignal(controller.loaded, timeout=10_000):
        window.resume_button.click()
    assert controller.model.row_data(0).state == "active"

    dialog = controller.open_add()
    dialog.text.setPlainText("Send the renewal reminder")
    dialog.rule.setText("every 0 minutes")
    dialog.ok.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert "never stop" in dialog.error.text()
    assert len(company.schedules.list_schedules()) == 1  # nothing saved
    dialog.tz.setText("UTC")
    dialog.rule.setText("on the 25th")
    qtbot.waitUntil(lambda: "25th of every month" in dialog.preview.text(), timeout=10_000)
    assert "Next:" in dialog.preview.text()
    with qtbot.waitSignal(controller.loaded, timeout=10_000):
        dialog.ok.click()
    assert controller.model.rowCount() == 2
    assert "Schedule 2 added" in window.status.text()
    assert errors == []
