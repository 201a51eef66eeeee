"""A founder's day on the board (issue 10): dialogs that reopen, selection after reorders, undo,
the layout at 1024×640, one pause for app and CLI, settings swapped in only after they were saved."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QDialog, QToolButton
from pytestqt.qtbot import QtBot

from app.company import Company
from app.core.settings import AutopilotPolicy, Settings
from app.core.status import Status
from app.gui.board.views import COLUMN_WIDTH, EMPTY_COLUMN_WIDTH
from app.gui.common.theme import apply_theme, is_dark
from app.gui.shell.app_controller import AppController
from app.tasks.service import NewTask
from tests.gui.conftest import status_of

OpenApp = Callable[..., AppController]
WAIT = 20_000


def wait_status(qtbot: QtBot, app: AppController, task_id: int, *statuses: Status) -> None:
    qtbot.waitUntil(lambda: status_of(app, task_id) in statuses, timeout=WAIT)


def gone(dialog: QDialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def test_every_dialog_opens_closes_and_opens_again(qtbot: QtBot, scripted_company: Company, open_app: OpenApp) -> None:
    company = scripted_company
    task = company.tasks.submit(NewTask(text="Write a blog post about desks", team="content"))
    app = open_app(company, paused=True)
    w = app.window
    # New task: submit one, cancel one, then the shortcut still opens it (the deleteLater bug)
    for text in ("First task from the dialog", "Second task from the dialog"):
        w.new_task_action.trigger()
        dialog = app.intake.dialog
        assert dialog is not None and dialog.isVisible()
        dialog.text.setPlainText(text)
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda d=dialog: gone(d), timeout=WAIT)
    w.new_task_action.trigger()
    app.intake.dialog.reject()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    qtbot.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert app.intake.dialog is not None and app.intake.dialog.isVisible()
    app.intake.dialog.reject()
    assert sorted(t.title for t in company.tasks.list_tasks())[:2] == ["First task from the dialog",
                                                                       "Second task from the dialog"]
    # Reassign and rework on the selected task; settings; help; import; the Models window
    assert app.board.select_task(task.id)
    openers: list[tuple[str, Callable[[], QDialog | None]]] = [
        ("reassign", lambda: (app.actions.trigger("reassign"), app.actions.dialog)[1]),
        ("rework", lambda: (app.actions._ask_rework(app.board_model.card(task.id)), app.actions.dialog)[1]),
        ("settings", lambda: app.settings.open()),
        ("help", lambda: app.open_help()),
        ("import", lambda: app.intake.import_tasks()),
        ("models", lambda: app.features["models"]()),
    ]
    for name, open_ in openers:
        first = open_()
        assert first is not None and first.isVisible(), name
        first.close() if name == "models" else first.reject()
        qtbot.waitUntil(lambda d=first: gone(d), timeout=5000)
        again = open_()
        assert again is not None and again.isVisible(), name
        again.close() if name == "models" else again.reject()


def test_selection_follows_the_click_after_the_board_reorders(qtbot: QtBot, scripted_company: Company,
                                                              open_app: OpenApp) -> None:
    company = scripted_company
    company.update_settings(autopilot=AutopilotPolicy(mode="manual"))
    ids = [company.tasks.submit(NewTask(text=f"Write post number {i}")).id for i in range(3)]
    app = open_app(company)
    for task_id in ids:
        wait_status(qtbot, app, task_id, Status.NEEDS_DECISION)
    company.pause()  # nothing runs while the founder clicks around
    column = app.window.board.columns[Status.NEEDS_DECISION].list
    first = column.model().index(0, 0).data(Qt.ItemDataRole.UserRole + 1)
    qtbot.mouseClick(column.viewport(), Qt.MouseButton.LeftButton, pos=column.visualRect(column.model().index(0, 0)).center())
    assert app.board.selected_id == first
    app.actions.actions["approve"].trigger()  # the card leaves; the next one takes its place under the pointer
    wait_status(qtbot, app, first, Status.INBOX, Status.QUEUED)
    second = column.model().index(0, 0).data(Qt.ItemDataRole.UserRole + 1)
    assert second != first
    # only one card looks selected: the column the approved card left has no current row any more
    assert not column.selectionModel().hasSelection()
    qtbot.mouseClick(column.viewport(), Qt.MouseButton.LeftButton, pos=column.visualRect(column.model().index(0, 0)).center())
    assert app.board.selected_id == second
    assert app.actions.card is not None and app.actions.card.id == second
    qtbot.waitUntil(lambda: app.detail.data is not None and app.detail.data.task_id == second, timeout=5000)
    assert app.window.detail.title.text().startswith(f"#{second} ")


def test_cancel_can_be_undone_with_ctrl_z_and_the_toast(qtbot: QtBot, scripted_company: Company,
                                                       open_app: OpenApp) -> None:
    company = scripted_company
    task = company.tasks.submit(NewTask(text="Write a blog post about desks"))
    app = open_app(company)
    wait_status(qtbot, app, task.id, Status.DELIVERED)
    w = app.window
    assert app.board.select_task(task.id)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    qtbot.keyClick(w, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    wait_status(qtbot, app, task.id, Status.CANCELLED)
    qtbot.waitUntil(lambda: w.toast.isVisible(), timeout=5000)
    assert w.toast.label.text().startswith(f"Cancelled #{task.id}") and w.toast.button.text() == "Undo"
    assert w.undo_action.isEnabled()
    qtbot.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_status(qtbot, app, task.id, Status.DELIVERED)  # back where it was, work kept
    qtbot.waitUntil(lambda: not w.toast.isVisible() and not w.undo_action.isEnabled(), timeout=5000)
    assert company.tasks.detail(task.id).artifacts
    # the toast's button does the same
    app.actions.actions["cancel"].trigger()
    wait_status(qtbot, app, task.id, Status.CANCELLED)
    qtbot.waitUntil(lambda: w.toast.isVisible(), timeout=5000)
    qtbot.mouseClick(w.toast.button, Qt.MouseButton.LeftButton)
    wait_status(qtbot, app, task.id, Status.DELIVERED)


def test_layout_at_1024_by_640(qtbot: QtBot, scripted_company: Company, open_app: OpenApp) -> None:
    company = scripted_company
    for i in range(8):
        company.tasks.submit(NewTask(text=f"Task number {i} with a long enough title to need two lines"))
    app = open_app(company, paused=True)
    w = app.window
    w.resize(1024, 640)
    qtbot.waitUntil(lambda: w.width() <= 1024, timeout=2000)
    qtbot.wait(50)
    buttons = [b for b in w.toolbar.findChildren(QToolButton) if b.defaultAction() is not None and b.isVisible()]
    assert len(buttons) >= 6
    for b in buttons:  # none squeezed: what does not fit goes to the » overflow menu
        assert b.width() >= b.sizeHint().width(), b.text()
        assert len(b.text().replace("…", "")) >= 4, b.text()
    board = w.board
    inner = board.widget()
    for status, column in board.columns.items():
        if column.isVisible():
            assert column.width() in (COLUMN_WIDTH, EMPTY_COLUMN_WIDTH), status
    visible = [c for c in board.columns.values() if c.isVisible()]
    assert inner.width() >= sum(c.width() for c in visible)  # the board scrolls rather than clip
    assert board.columns[Status.INBOX].width() == COLUMN_WIDTH
    assert w.detail.width() >= w.detail.minimumWidth()


def test_one_pause_switch_for_the_app_and_the_cli(qtbot: QtBot, scripted_company: Company,
                                                  open_app: OpenApp) -> None:
    company = scripted_company
    app = open_app(company)
    qtbot.waitUntil(lambda: app.engine.running, timeout=WAIT)
    other = Company.open(company.home)  # as `bureau pause` in a terminal would
    try:
        other.pause()
        qtbot.waitUntil(lambda: app.window.pause_action.isChecked(), timeout=3000)
        assert app.window.engine_state.text().startswith("Paused")
        task = company.tasks.submit(NewTask(text="Write a blog post"))
        qtbot.wait(800)
        assert status_of(app, task.id) == Status.INBOX  # nothing taken while paused
        other.resume()
        qtbot.waitUntil(lambda: not app.window.pause_action.isChecked(), timeout=3000)
        wait_status(qtbot, app, task.id, Status.DELIVERED)
        app.window.pause_action.trigger()  # the app's pause is the CLI's too
        assert other.paused
        app.window.pause_action.trigger()
        assert not other.paused
    finally:
        other.close()


def test_settings_are_swapped_in_only_after_they_were_saved(qtbot: QtBot, scripted_company: Company,
                                                            open_app: OpenApp, monkeypatch: pytest.MonkeyPatch) -> None:
    company = scripted_company
    app = open_app(company, paused=True)
    engine = app.engine.engine
    before = company.settings
    assert engine.deps.settings() is before
    dialog = app.settings.open()
    dialog.show_tab("Model")
    dialog.step_tokens.setValue(1500)
    dialog.manual_mode.setChecked(True)

    def fail(self: Settings, home: Path) -> None:
        raise PermissionError(13, "Permission denied", str(home / "settings.json"))

    monkeypatch.setattr(Settings, "save", fail)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5000)
    assert "could not be used" in dialog.error.text() and dialog.isVisible()
    assert company.settings is before and engine.deps.settings() is before  # the old settings stay in effect
    assert before.model.step_max_tokens == 768 and before.autopilot.mode == "threshold"  # and unchanged
    monkeypatch.undo()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(dialog), timeout=5000)
    assert engine.deps.settings() is company.settings is not before
    assert company.settings.model.step_max_tokens == 1500 and company.settings.autopilot.mode == "manual"
    assert Settings.load(company.home).model.step_max_tokens == 1500
    assert before.model.step_max_tokens == 768  # nobody changed the object the engine read before


def test_settings_hold_every_knob_with_an_explanation(qtbot: QtBot, scripted_company: Company,
                                                      open_app: OpenApp) -> None:
    app = open_app(scripted_company, paused=True)
    dialog = app.settings.open()
    names = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert names[:6] == ["Autopilot", "Model", "Budgets", "Notifications", "Appearance", "Routing"]
    for widget in (dialog.step_tokens, dialog.review_tokens, dialog.temperature, dialog.max_rounds, dialog.max_tokens,
                   dialog.max_minutes, dialog.notify_decision, dialog.notify_delivered, dialog.theme):
        assert widget.toolTip() and widget.accessibleName()
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.notify_delivered.setChecked(False)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: gone(dialog), timeout=5000)
    assert scripted_company.settings.appearance.theme == "dark"
    try:
        assert is_dark(QApplication.palette())
    finally:
        apply_theme("system")
    task = scripted_company.tasks.submit(NewTask(text="Write a blog post"))
    app.engine.set_paused(False)
    wait_status(qtbot, app, task.id, Status.DELIVERED)
    assert not any(t == "Work delivered" for t, _ in app.founder.notifications)


def test_results_preview_names_open_fallback_and_a_clean_retry(qtbot: QtBot, scripted_company: Company,
                                                               open_app: OpenApp,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    company = scripted_company
    task = company.tasks.submit(NewTask(text="Write a blog post about tidy desks"))
    app = open_app(company)
    wait_status(qtbot, app, task.id, Status.DELIVERED)
    assert app.board.select_task(task.id)
    panel = app.window.detail
    qtbot.waitUntil(lambda: panel.artifacts_model.rowCount() >= 1, timeout=WAIT)
    assert panel.artifacts_model.item(0).name == "write-blog-post-tidy-desks.md"  # says what it is
    panel.tabs.setCurrentIndex(3)
    source = (company.home / company.tasks.detail(task.id).artifacts[0].path).read_text()
    heading = next(line for line in source.splitlines() if line.startswith("#"))
    qtbot.waitUntil(lambda: heading.lstrip("# ") in panel.preview.toPlainText(), timeout=WAIT)
    assert heading not in panel.preview.toPlainText()  # rendered Markdown, not its source
    messages: list[str] = []
    app.detail.message.connect(messages.append)
    monkeypatch.setattr("app.gui.detail.controller.QDesktopServices.openUrl", lambda url: False)
    app.detail.open_artifact()
    assert messages and "No program to open files" in messages[-1] and str(company.home) in messages[-1]
    # a retry's live output starts clean
    app.stream.push(task.id, "s1.r0", "leftovers of the failed attempt")
    qtbot.waitUntil(lambda: task.id in app.detail.live and "leftovers" in app.detail.live[task.id].text,
                    timeout=2000)
    company.tasks.cancel(task.id)
    company.pause()
    company.tasks.retry(task.id)
    qtbot.waitUntil(lambda: task.id not in app.detail.live, timeout=5000)
    app.stream.push(task.id, "s1.r0", "fresh")
    qtbot.waitUntil(lambda: app.detail.live.get(task.id) is not None, timeout=2000)
    assert app.detail.live[task.id].text == "fresh"


def test_code_previews_are_coloured_and_help_lists_the_shortcuts(tmp_path: Path, qtbot: QtBot,
                                                                 scripted_company: Company,
                                                                 open_app: OpenApp) -> None:
    from app.gui.detail.preview import render_preview

    code = tmp_path / "fix-invoice-currency.py"
    code.write_text("def total(x):\n    return round(x, 2)\n")
    preview = render_preview(code)
    assert preview.kind == "html" and "color" in preview.body and "total" in preview.body
    assert render_preview(tmp_path / "missing.md").note.startswith("The file cannot be read")
    app = open_app(scripted_company, paused=True)
    help_dialog = app.open_help(1)
    text = help_dialog.shortcuts.toPlainText()
    for keys in ("Ctrl+N", "Ctrl+Z", "Ctrl+Del", "Ctrl+P", "Ctrl+R"):
        assert keys in text, keys
    assert "Approve" in help_dialog.guide.toPlainText() and "Accept" in help_dialog.guide.toPlainText()


def test_a_column_keeps_its_width_while_the_pointer_is_over_the_board(qtbot: QtBot, scripted_company: Company,
                                                                      open_app: OpenApp) -> None:
    company = scripted_company
    task = company.tasks.submit(NewTask(text="Write a blog post"))
    app = open_app(company, paused=True)
    board = app.window.board
    inbox = board.columns[Status.INBOX]
    assert inbox.width() == COLUMN_WIDTH and board.columns[Status.CANCELLED].folded
    board.setAttribute(Qt.WidgetAttribute.WA_UnderMouse, True)  # the pointer is over the board
    company.tasks.cancel(task.id)  # the only card leaves the Inbox
    qtbot.waitUntil(lambda: app.board_model.visible_count(Status.INBOX) == 0, timeout=WAIT)
    assert inbox.width() == COLUMN_WIDTH and not inbox.folded  # held open: nothing slides under the pointer
    app.window.show_closed_action.trigger()
    qtbot.waitUntil(lambda: board.columns[Status.CANCELLED].isVisible(), timeout=2000)
    assert not board.columns[Status.CANCELLED].folded  # a column that gets cards opens at once
    board.setAttribute(Qt.WidgetAttribute.WA_UnderMouse, False)
    board.leaveEvent(QEvent(QEvent.Type.Leave))
    assert inbox.folded  # the layout settles once the pointer has left


def test_plans_on_the_card_current_confidence_and_the_runner_up_first(qtbot: QtBot, scripted_company: Company,
                                                                      open_app: OpenApp) -> None:
    from app.gui.board.item_models import CardRole

    company = scripted_company
    company.update_settings(autopilot=AutopilotPolicy(mode="manual"))
    task = company.tasks.submit(NewTask(
        text="Launch v2: write the release notes, deploy it to production and announce it on social media"))
    app = open_app(company)
    wait_status(qtbot, app, task.id, Status.NEEDS_DECISION)
    card = app.board_model.card(task.id)
    assert card is not None and card.plan_teams == ("content", "devops", "marketing") and card.confidence
    column = app.board_model.columns[Status.NEEDS_DECISION]
    chips = column.index(column.row_of(card), 0).data(CardRole.PLAN)
    assert [team for team, _color, _running in chips] == ["content", "devops", "marketing"]
    assert app.board.select_task(task.id)
    qtbot.waitUntil(lambda: app.detail.data is not None and app.detail.data.task_id == task.id, timeout=WAIT)
    panel = app.window.detail
    assert "content</span> → " in panel.meta.text() and "marketing" in panel.meta.text()
    runner_up = app.detail.data.route.runner_up
    assert runner_up and runner_up != card.team
    company.pause()
    app.actions.trigger("reassign")
    dialog = app.actions.dialog
    assert dialog.chosen_team() == runner_up and "runner-up" in dialog.team.currentText()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (c := app.board_model.card(task.id)) is not None and c.team == runner_up, timeout=WAIT)
    card = app.board_model.card(task.id)
    assert card.confidence is None and card.plan_teams == ()  # the founder's choice: one team, no stale "47% sure"
    qtbot.waitUntil(lambda: app.detail.data is not None and app.detail.data.route.reassigned_from is not None,
                    timeout=WAIT)
    assert "your choice" in panel.meta.text() and "sure" not in panel.meta.text()


def test_banners_stay_true_while_paused_and_advice_names_real_controls() -> None:
    import dataclasses

    from agents.backends.base import ReplyTruncated
    from app.gui.detail.data import DetailData
    from app.gui.detail.view import banner_text
    from app.gui.settings.view import CONTEXT, STEP_TOKENS, SettingsDialog

    d = DetailData(task_id=1, title="t", text="t", status="queued", team="content", priority="normal", due=None,
                   confidence=None, round=0, sensitive=False,
                   waiting_reason="Retrying in 2 s (attempt 1 of 3 failed): the server did not answer",
                   route=None, steps=(), reviews=(), artifacts=(), events=(), result="", running_step=None)
    assert banner_text(d, paused=False, both=False).startswith("Retrying in 2 s")
    paused = banner_text(d, paused=True, both=False)
    assert paused.startswith("Paused: the retry waits until you resume") and "Retrying in" not in paused
    both = banner_text(dataclasses.replace(d, waiting_reason=None, status="needs_decision"), paused=False, both=True)
    assert "Approve takes the work as it is" in both and "Accept marks it done" in both
    fix = ReplyTruncated(max_tokens=16, partial="x").fix or ""
    assert f"Settings ▸ Model ▸ {STEP_TOKENS}" in fix
    assert "Model" in SettingsDialog.TABS and STEP_TOKENS == "Step token limit" and CONTEXT == "Context size"
