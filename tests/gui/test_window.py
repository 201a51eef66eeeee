"""The main window's flows on a scripted model (fast): welcome, dialogs, actions, drops, settings."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import shiboken6
from PySide6.QtCore import QByteArray, QMimeData, QPointF, Qt, QTimer
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.gui.shell.app_controller import AppController
from app.gui.common.errors import ExceptHooks
from app.gui.board.item_models import TASK_MIME
from app.company import Company
from app.tasks.service import NewTask
from app.core.settings import Settings
from app.core.status import Status
from tests.gui.conftest import status_of

OpenApp = Callable[..., AppController]
LONG = 20_000


def wait_status(qtbot: QtBot, app: AppController, task_id: int, *statuses: Status, timeout: int = LONG) -> None:
    qtbot.waitUntil(lambda: status_of(app, task_id) in statuses, timeout=timeout)


def drop_on(app: AppController, task_id: int, target: Status) -> None:
    """What Qt does when a card is dropped on a column (a real drag needs a pointer)."""
    view = app.window.board.columns[target].list
    mime = QMimeData()
    mime.setData(TASK_MIME, QByteArray(str(task_id).encode()))
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    view.dropEvent(event)


def closed(widget: QWidget) -> bool:
    return not shiboken6.isValid(widget) or not widget.isVisible()


def open_dialogs() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_first_run_explains_and_an_example_task_goes_to_delivered(
        qtbot: QtBot, scripted_company: Company, open_app: OpenApp) -> None:
    app = open_app(scripted_company)
    w = app.window
    assert w.windowTitle() == "Bureau"
    assert w.center.currentWidget() is w.welcome
    qtbot.waitUntil(lambda: app.engine.running, timeout=LONG)
    assert "loaded" in w.welcome.model_status.text()

    qtbot.mouseClick(w.welcome.example_buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.board_model.task_count == 1, timeout=LONG)
    task_id = next(iter(app.board_model._cards))
    wait_status(qtbot, app, task_id, Status.DELIVERED)
    assert w.center.currentWidget() is w.board
    assert w.windowTitle() == "Bureau (1 needs you)"
    assert app.founder.notifications[-1][0] == "Work delivered"
    # the new task was selected: the detail panel shows it, with the CEO's decision and the result
    qtbot.waitUntil(lambda: app.detail.data is not None and app.detail.data.status == "delivered", timeout=LONG)
    assert w.detail.route_summary.text().startswith("Routed to <b>content</b>")
    assert w.detail.alternatives_model.rowCount() >= 1
    assert w.detail.output.toPlainText().strip()
    assert w.detail.artifacts_model.rowCount() >= 1
    assert app.actions.actions["accept"].isEnabled() and not app.actions.actions["approve"].isEnabled()
    assert open_dialogs() == []


def test_new_task_dialog_says_what_is_wrong_inline(qtbot: QtBot, scripted_company: Company,
                                                   open_app: OpenApp) -> None:
    app = open_app(scripted_company)
    app.window.new_task_action.trigger()
    dialog = app.new_task_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)  # empty text
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5000)
    assert "empty" in dialog.error.text() and dialog.isVisible() and dialog.ok.isEnabled()

    dialog.text.setPlainText("Fix the login bug that accepts empty passwords")
    dialog.priority.setCurrentIndex(dialog.priority.findData("urgent"))
    dialog.team.setCurrentIndex(dialog.team.findData("code"))
    dialog.has_due.setChecked(True)
    dialog.sensitive.setChecked(True)
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)
    qtbot.waitUntil(lambda: app.board_model.task_count == 1, timeout=5000)
    card = next(iter(app.board_model._cards.values()))
    assert (card.priority, card.team, card.sensitive, card.due is not None) == ("urgent", "code", True, True)


def test_settings_autopilot_then_approve_rework_reassign_and_accept(
        qtbot: QtBot, scripted_company: Company, open_app: OpenApp) -> None:
    app = open_app(scripted_company)
    w = app.window
    w.settings_action.trigger()
    dialog = app.settings_dialog
    assert dialog is not None
    dialog.manual_mode.setChecked(True)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)
    assert scripted_company.settings.autopilot.mode == "manual"
    assert Settings.load(scripted_company.home).autopilot.mode == "manual"

    task = scripted_company.tasks.submit(NewTask(text="Write a blog post about keeping a tidy desk"))
    wait_status(qtbot, app, task.id, Status.NEEDS_DECISION)
    assert w.windowTitle() == "Bureau (1 needs you)"
    assert app.board.select_task(task.id)
    assert app.actions.actions["approve"].isEnabled()
    qtbot.waitUntil(lambda: app.detail.data is not None and app.detail.data.task_id == task.id, timeout=5000)
    assert not app.actions.actions["accept"].isEnabled()  # nothing delivered yet to accept
    w.activateWindow()  # offscreen, nothing re-activates the window when a dialog closes
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    qtbot.keyClick(w, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # approve by shortcut
    wait_status(qtbot, app, task.id, Status.DELIVERED)

    app.actions.actions["rework"].trigger()  # request rework, with a note
    rework = app.actions.dialog
    assert rework is not None and not rework.ok.isEnabled()
    rework.note.setPlainText("Add a checklist at the end.")
    qtbot.mouseClick(rework.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.board_model.card(task.id).round == 1, timeout=LONG)
    wait_status(qtbot, app, task.id, Status.DELIVERED)

    app.actions.actions["reassign"].trigger()  # reassign, with a note
    reassign = app.actions.dialog
    assert reassign is not None
    reassign.team.setCurrentIndex(reassign.team.findData("marketing"))
    reassign.note.setPlainText("This is promotion, not an article.")
    qtbot.mouseClick(reassign.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.board_model.card(task.id).team == "marketing", timeout=LONG)
    wait_status(qtbot, app, task.id, Status.DELIVERED)
    assert [c.team for c in scripted_company.tasks.corrections()] == ["marketing"]

    drop_on(app, task.id, Status.DONE)  # dragging a delivered card to Done accepts it
    wait_status(qtbot, app, task.id, Status.DONE)
    assert w.windowTitle() == "Bureau"
    decisions = [json.loads(d.payload).get("action") for d in scripted_company.tasks.detail(task.id).decisions
                 if d.kind == "founder"]
    assert decisions == ["approve", "rework", "reassign", "accept"]
    qtbot.waitUntil(lambda: app.detail.data is not None and app.detail.data.status == "done", timeout=LONG)
    verdicts = [(r.by, r.verdict) for r in app.detail.data.reviews]
    assert ("You", "sent back for rework") in verdicts and ("CEO", "pass") in verdicts
    assert open_dialogs() == []


def test_a_drop_that_means_nothing_explains_itself(qtbot: QtBot, scripted_company: Company, open_app: OpenApp) -> None:
    company = scripted_company
    task = company.tasks.submit(NewTask(text="Write a blog post"))
    app = open_app(company, paused=True)
    qtbot.waitUntil(lambda: app.board_model.card(task.id) is not None, timeout=5000)
    drop_on(app, task.id, Status.DELIVERED)
    assert "means nothing" in app.window.statusBar().currentMessage()
    drop_on(app, task.id, Status.CANCELLED)
    wait_status(qtbot, app, task.id, Status.CANCELLED)
    drop_on(app, task.id, Status.INBOX)  # back from cancelled: retry
    wait_status(qtbot, app, task.id, Status.INBOX)


def test_filters_search_and_closed_columns(qtbot: QtBot, scripted_company: Company, open_app: OpenApp) -> None:
    company = scripted_company
    company.tasks.submit(NewTask(text="Write a blog post about desks", team="content"))
    company.tasks.submit(NewTask(text="Short title\nThe body mentions kubernetes", team="devops"))
    cancelled = company.tasks.submit(NewTask(text="Old idea"))
    company.tasks.cancel(cancelled.id)
    app = open_app(company, paused=True)
    w = app.window
    inbox = app.board_model.columns[Status.INBOX]
    assert inbox.rowCount() == 2
    assert not w.board.columns[Status.CANCELLED].isVisibleTo(w)
    w.show_closed_action.trigger()
    assert w.board.columns[Status.CANCELLED].isVisibleTo(w) and w.filters.closed.isChecked()

    w.filters.team.setCurrentIndex(w.filters.team.findData("devops"))
    assert inbox.rowCount() == 1
    w.filters.team.setCurrentIndex(0)
    qtbot.keyClicks(w.filters.search, "kubernetes")  # in the text, not the title: found by the search
    qtbot.waitUntil(lambda: inbox.rowCount() == 1, timeout=5000)
    assert "1 of 2" in w.board.columns[Status.INBOX].header.text()
    w.filters.search.clear()
    assert inbox.rowCount() == 2


def test_live_output_streams_into_the_detail_panel(qtbot: QtBot, scripted_company: Company, open_app: OpenApp) -> None:
    company = scripted_company
    task = company.tasks.submit(NewTask(text="Write a blog post"))
    app = open_app(company, paused=True)
    assert app.board.select_task(task.id)
    qtbot.waitUntil(lambda: app.detail.data is not None, timeout=5000)
    for piece in ("Hello", ", ", "world"):
        app.stream.push(task.id, "s1.r0", piece)
    qtbot.waitUntil(lambda: app.window.detail.live.toPlainText() == "Hello, world", timeout=2000)
    app.stream.push(task.id, "s1.r0", "!")
    qtbot.waitUntil(lambda: app.window.detail.live.toPlainText() == "Hello, world!", timeout=2000)


def test_unexpected_errors_become_dialogs_and_geometry_is_remembered(
        qtbot: QtBot, scripted_company: Company, open_app: OpenApp) -> None:
    company = scripted_company
    app = open_app(company, paused=True)
    app.reporter.report(RuntimeError("boom"))
    assert open_dialogs() and "RuntimeError: boom" in open_dialogs()[0].text()
    for box in open_dialogs():
        box.close()
    hint = app.window.minimumSizeHint()  # the offscreen screen is only 800 x 600
    size = (hint.width() + 3, hint.height() + 2)
    app.window.resize(*size)
    app.shutdown()
    assert (company.home / "window.ini").is_file()
    again = AppController(Company.open(company.home))
    qtbot.addWidget(again.window)
    again.memory.restore(again.window)
    assert (again.window.width(), again.window.height()) == size
    again.shutdown()


def test_the_selected_card_stays_selected_when_it_moves(qtbot: QtBot, scripted_company: Company,
                                                        open_app: OpenApp) -> None:
    ids = [scripted_company.tasks.submit(NewTask(text=f"Write post number {i}")).id for i in range(4)]
    app = open_app(scripted_company, paused=True)
    inbox = app.window.board.columns[Status.INBOX].list
    inbox.setFocus()
    inbox.setCurrentIndex(inbox.model().index(1, 0))  # as a click or the arrow keys would
    chosen = app.board.selected_id
    assert chosen in ids
    qtbot.waitUntil(lambda: app.detail.data is not None and app.detail.data.task_id == chosen, timeout=5000)
    qtbot.keyClick(inbox, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)  # cancel
    wait_status(qtbot, app, chosen, Status.CANCELLED)
    assert app.board.selected_id == chosen
    assert app.actions.actions["retry"].isEnabled() and not app.actions.actions["cancel"].isEnabled()


@pytest.mark.qt_no_exception_capture
def test_the_excepthook_turns_a_bug_in_a_slot_into_a_dialog(qtbot: QtBot, scripted_company: Company,
                                                           open_app: OpenApp) -> None:
    app = open_app(scripted_company, paused=True)
    hooks = ExceptHooks(app.reporter)
    hooks.install()
    try:
        def broken_slot() -> None:
            raise ValueError("a bug in a slot")

        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: bool(open_dialogs()), timeout=5000)
        assert "ValueError: a bug in a slot" in open_dialogs()[0].text()
        assert app.window.isVisible()  # the window stays, the founder reads what happened
    finally:
        hooks.uninstall()
        for box in open_dialogs():
            box.close()
