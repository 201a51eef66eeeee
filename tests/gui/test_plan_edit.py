"""Issue 14: the founder edits a task's plan in the task panel, and the founder's steps are what run."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.company import Company
from app.core.settings import AutopilotPolicy
from app.core.status import Status
from app.gui.detail.plan_dialog import DEPENDS, KEY, TEXT
from app.gui.shell.app_controller import AppController
from app.tasks.service import NewTask
from tests.gui.conftest import status_of

OpenApp = Callable[..., AppController]
WAIT = 20_000


def test_editing_a_plan_in_the_task_panel_changes_the_steps_that_run(qtbot: QtBot, scripted_company: Company,
                                                                     open_app: OpenApp) -> None:
    company = scripted_company
    company.update_settings(autopilot=AutopilotPolicy(mode="manual"))
    task = company.tasks.submit(NewTask(text="Write the release notes for 2.4 and deploy it to production"))
    app = open_app(company)
    qtbot.waitUntil(lambda: status_of(app, task.id) == Status.NEEDS_DECISION, timeout=WAIT)
    company.pause()  # the founder edits; nothing runs meanwhile
    before = company.plans.show(task.id).plan
    assert before is not None and len(before.steps) == 2
    assert app.board.select_task(task.id)
    panel = app.window.detail
    qtbot.waitUntil(lambda: app.detail.data is not None and app.detail.data.task_id == task.id, timeout=WAIT)
    assert app.plan_editor.action.isEnabled() and not panel.edit_plan.isHidden()
    assert app.plan_editor.action in app.window.task_menu.actions()

    panel.edit_plan.click()  # from the Overview
    qtbot.waitUntil(lambda: app.plan_editor.dialog is not None and app.plan_editor.dialog.isVisible(), timeout=WAIT)
    dialog = app.plan_editor.dialog
    assert dialog.keys() == [s.key for s in before.steps]
    # a mistake first: the service's error shows inline and the dialog stays open
    dialog.set_cell(1, DEPENDS, "nope")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=WAIT)
    assert "nope" in dialog.error.text() and "Use keys of this plan" in dialog.error.text()
    assert dialog.isVisible() and dialog.ok.isEnabled()
    # the founder's plan: notes, then a code step, then devops after both
    dialog.set_cell(0, KEY, "notes")
    dialog.set_cell(0, TEXT, "Write the release notes for 2.4")
    dialog.set_cell(1, KEY, "ship")
    dialog.set_team(1, "devops")
    dialog.set_cell(1, TEXT, "Deploy 2.4 to production")
    dialog.set_cell(1, DEPENDS, "notes, check")
    row = dialog.add_step()
    dialog.set_cell(row, KEY, "check")
    dialog.set_team(row, "code")
    dialog.set_cell(row, TEXT, "Run the 2.4 smoke tests")
    dialog.set_cell(row, DEPENDS, "")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=WAIT)

    plan = company.plans.show(task.id)
    assert plan.by_founder and [(s.key, s.team) for s in plan.plan.steps] == [
        ("notes", "content"), ("ship", "devops"), ("check", "code")]
    assert plan.plan.steps[1].depends_on == ("notes", "check")
    company.resume()
    qtbot.waitUntil(lambda: status_of(app, task.id) in (Status.DELIVERED, Status.DONE), timeout=60_000)
    work = [s for s in company.tasks.detail(task.id).steps if s.kind == "work"]
    assert sorted({s.key.split(".")[0].split("#")[0] for s in work}) == ["check", "notes", "ship"]
    assert {s.team for s in work} == {"content", "devops", "code"}
    ship = next(s for s in work if s.key.startswith("ship"))
    check = next(s for s in work if s.key.startswith("check"))
    assert ship.started_at >= check.finished_at  # it waited for the step the founder made it depend on
    assert not app.plan_editor.action.isEnabled()  # a delivered plan is history


def test_the_plan_dialog_opens_closes_and_opens_again(qtbot: QtBot, scripted_company: Company,
                                                      open_app: OpenApp) -> None:
    company = scripted_company
    task = company.tasks.submit(NewTask(text="Write a blog post about desks", team="content"))
    app = open_app(company, paused=True)
    assert app.board.select_task(task.id)
    for _ in range(2):
        app.plan_editor.action.trigger()
        qtbot.waitUntil(lambda: app.plan_editor.dialog is not None and app.plan_editor.dialog.isVisible(),
                        timeout=WAIT)
        dialog = app.plan_editor.dialog
        assert dialog.keys() == ["s1"] and dialog.team_at(0) == "content"  # the task itself as one step
        assert not dialog.remove_button.isEnabled()  # a plan keeps at least one step
        dialog.add_step()
        assert dialog.keys() == ["s1", "s2"] and dialog.plan_data()["steps"][1]["depends_on"] == ["s1"]
        dialog.remove_selected()
        assert dialog.keys() == ["s1"]
        dialog.reject()
        qtbot.waitUntil(lambda d=dialog: not shiboken6.isValid(d) or not d.isVisible(), timeout=5000)
    assert status_of(app, task.id) == Status.INBOX  # cancelling changed nothing
