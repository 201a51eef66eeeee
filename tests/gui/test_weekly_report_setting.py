"""Issue 17 in the app: Settings ▸ Notifications turns the weekly report on and off (one schedule, or none)."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from pytestqt.qtbot import QtBot

from app.company import Company
from app.gui.shell.app_controller import AppController
from app.insights.weekly import weekly_schedules

OpenApp = Callable[..., AppController]


def test_the_weekly_report_setting_adds_and_removes_its_schedule(qtbot: QtBot, company: Company,
                                                                 open_app: OpenApp) -> None:
    app = open_app(company, paused=True)
    for on in (True, True, False):  # the dialog opens again each time; saving "on" twice keeps one schedule
        dialog = app.settings.open("Notifications")
        assert dialog.isVisible() and dialog.weekly_report.isChecked() == company.settings.notifications.weekly_report
        dialog.weekly_report.setChecked(on)
        dialog.ok.click()
        qtbot.waitUntil(lambda d=dialog: not shiboken6.isValid(d) or not d.isVisible(), timeout=10_000)
        assert company.settings.notifications.weekly_report is on
        assert len(weekly_schedules(company.schedules)) == (1 if on else 0)
