"""Issue 15 in the app: "Repeat…" in the New task dialog makes a schedule (the rule said back as it is typed);
overdue tasks count in the needs-you signal (window title, tray)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import shiboken6
from pytestqt.qtbot import QtBot

from app.company import Company
from app.core.status import Status
from app.gui.shell.app_controller import AppController
from app.gui.shell.founder import window_title
from app.tasks.service import NewTask

OpenApp = Callable[..., AppController]
WAIT = 10_000


def gone(dialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def test_repeat_in_the_new_task_dialog_makes_a_schedule(qtbot: QtBot, company: Company, open_app: OpenApp) -> None:
    app = open_app(company, paused=True)
    for attempt in range(2):  # the dialog opens, closes and opens again with Repeat in it
        app.window.new_task_action.trigger()
        dialog = app.intake.dialog
        assert dialog is not None and dialog.isVisible() and dialog.repeat_box.isHidden()
        if attempt == 0:
            dialog.repeat.setChecked(True)
            assert not dialog.repeat_box.isHidden() and "schedule" in dialog.ok.text().lower()
            dialog.reject()
            qtbot.waitUntil(lambda d=dialog: gone(d), timeout=5000)
    dialog.text.setPlainText("Draft the Monday newsletter")
    dialog.repeat.setChecked(True)
    dialog.rule.setText("every 0 minutes")
    qtbot.waitUntil(lambda: "never stop" in dialog.rule_preview.text(), timeout=WAIT)  # said as it is typed
    dialog.ok.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=WAIT)
    assert "never stop" in dialog.error.text() and dialog.isVisible()
    assert company.schedules.list_schedules() == [] and company.tasks.list_tasks() == []  # nothing saved
    dialog.rule.setText("every monday at 9")
    qtbot.waitUntil(lambda: "every Monday at 09:00" in dialog.rule_preview.text(), timeout=WAIT)
    assert "Next: Mon " in dialog.rule_preview.text()
    dialog.team.setCurrentIndex(dialog.team.findData("content"))
    dialog.ok.click()
    qtbot.waitUntil(lambda: gone(dialog), timeout=WAIT)
    (schedule,) = company.schedules.list_schedules()
    assert schedule.words == "every Monday at 09:00" and schedule.row.text == "Draft the Monday newsletter"
    assert schedule.row.team == "content"
    assert company.tasks.list_tasks() == []  # a schedule instead of a one-off task
    assert "Schedule" in app.window.statusBar().currentMessage()

    # as well as: one task now, and the routine
    app.window.new_task_action.trigger()
    dialog = app.intake.dialog
    dialog.text.setPlainText("Look at the support inbox")
    dialog.repeat.setChecked(True)
    dialog.rule.setText("every weekday at 8:30")
    dialog.also_now.setChecked(True)
    dialog.ok.click()
    qtbot.waitUntil(lambda: gone(dialog), timeout=WAIT)
    assert len(company.schedules.list_schedules()) == 2
    assert [t.text for t in company.tasks.list_tasks()] == ["Look at the support inbox"]


def test_overdue_tasks_count_in_the_needs_you_signal(qtbot: QtBot, company: Company, open_app: OpenApp) -> None:
    assert window_title(0) == "Bureau" and window_title(2) == "Bureau (2 need you)"
    assert window_title(1, 2) == "Bureau (1 needs you · 2 overdue)" and window_title(0, 1) == "Bureau (1 overdue)"
    late = company.tasks.submit(NewTask(text="Send the invoice", due=date.today() - timedelta(days=2)))
    company.tasks.submit(NewTask(text="Plan the offsite", due=date.today() + timedelta(days=9)))
    app = open_app(company, paused=True)
    qtbot.waitUntil(lambda: app.window.windowTitle() == "Bureau (1 overdue)", timeout=WAIT)
    company.tasks.cancel(late.id)  # a closed task is no longer overdue
    qtbot.waitUntil(lambda: app.board_model.card(late.id).status == Status.CANCELLED, timeout=WAIT)
    qtbot.waitUntil(lambda: app.window.windowTitle() == "Bureau", timeout=WAIT)
