"""The main flows through the real window on the REAL embedded model (SmolLM2-135M, llama.cpp).

Slow (tens of seconds per pass on two cores), so there are only two of them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import shiboken6
from PySide6.QtCore import QByteArray, QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from app.tasks.queries import CardRow
from app.gui.shell.app_controller import AppController
from app.gui.board.item_models import TASK_MIME
from app.company import Company
from app.core.settings import Budgets
from app.core.status import WAITING_FOR_FOUNDER, Status
from tests.gui.conftest import status_of

pytestmark = pytest.mark.model
OpenApp = Callable[..., AppController]
MODEL_TIMEOUT = 300_000  # ms: a pass (work and review) takes 10-60 s here; the machine is shared


def track_statuses(app: AppController) -> dict[int, list[str]]:
    """Every status each card passes through, from now on (connect before the task exists: "queued" can pass in a moment)."""
    seen: dict[int, list[str]] = {}

    def on_change(old: CardRow | None, new: CardRow) -> None:
        seen.setdefault(new.id, []).append(new.status)

    app.board_model.status_changed.connect(on_change)
    return seen


def activate(qtbot: QtBot, app: AppController) -> None:
    app.window.activateWindow()  # offscreen, nothing re-activates the window when a dialog closes
    qtbot.waitUntil(app.window.isActiveWindow, timeout=5000)


def new_task_via_dialog(qtbot: QtBot, app: AppController, text: str) -> int:
    app.window.new_task_action.trigger()
    dialog = app.intake.dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.text, text)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: app.board.selected_id is not None, timeout=10_000)  # the new card is selected
    return int(app.board.selected_id or 0)


def test_a_task_moves_through_the_columns_then_rework_and_accept(
        qtbot: QtBot, company: Company, open_app: OpenApp) -> None:
    company.update_settings(budgets=Budgets(max_rework_rounds=0))  # a failed review goes to the founder: bounded time
    app = open_app(company)
    w = app.window
    qtbot.waitUntil(lambda: app.engine.running, timeout=120_000)  # the model loaded
    assert app.status.model_name and "is loaded" in w.welcome.model_status.text()

    w.settings_action.trigger()  # autopilot: every routing decision proceeds
    settings = app.settings.dialog
    assert settings is not None
    settings.threshold_mode.setChecked(True)
    settings.spin.setValue(0)
    qtbot.mouseClick(settings.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: company.settings.autopilot.threshold == 0.0, timeout=5000)
    activate(qtbot, app)

    streamed: list[int] = []
    app.stream.flushed.connect(lambda batch: streamed.append(len(batch)))
    statuses = track_statuses(app)
    task_id = new_task_via_dialog(qtbot, app, "Write a short blog post about keeping a tidy desk")
    seen = statuses.setdefault(task_id, [])
    qtbot.waitUntil(lambda: status_of(app, task_id) in WAITING_FOR_FOUNDER, timeout=MODEL_TIMEOUT)
    events = [e for e in company.db.events_since(0) if e.task_id == task_id and e.kind == "status"]
    journal = [e.status for e in events]
    # the store records every step of the journey: queued, running (again after a transient failure such as a reply
    # the small model ran past its token limit, retried as designed), then in review
    reviewed = journal.index("in_review") if "in_review" in journal else len(journal)
    assert journal[0] == "queued" and journal[reviewed - 1] == "running", journal
    assert set(journal[:reviewed]) == {"queued", "running"}, journal
    retries = [e.payload for e in events[1:reviewed] if e.status == "queued"]
    assert all("Retrying" in payload for payload in retries), retries
    assert seen and seen[-1] in WAITING_FOR_FOUNDER, seen  # the board polls: a moment-long "queued" may pass unseen there
    assert streamed, "the model's tokens were streamed to the window"
    card = app.board_model.card(task_id)
    assert card is not None and card.team == "content" and card.confidence is not None
    qtbot.waitUntil(lambda: app.detail.data is not None and app.detail.data.result != "", timeout=10_000)
    assert w.detail.steps_model.rowCount() >= 1 and w.detail.artifacts_model.rowCount() >= 1

    assert app.board.select_task(task_id)
    app.actions.actions["rework"].trigger()
    rework = app.actions.dialog
    assert rework is not None
    qtbot.keyClicks(rework.note, "Make it shorter and end with a three-item checklist.")
    qtbot.mouseClick(rework.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (c := app.board_model.card(task_id)) is not None and c.round == 1, timeout=10_000)
    qtbot.waitUntil(lambda: status_of(app, task_id) in WAITING_FOR_FOUNDER, timeout=MODEL_TIMEOUT)
    journal = [e.status for e in company.db.events_since(0) if e.task_id == task_id and e.kind == "status"]
    assert "rework" in journal[reviewed:], journal  # the founder's rework is recorded, and the work ran again
    assert journal[-1] in WAITING_FOR_FOUNDER and journal.count("running") >= 2, journal

    activate(qtbot, app)
    assert app.board.select_task(task_id)
    qtbot.waitUntil(app.actions.actions["accept"].isEnabled, timeout=10_000)  # the detail confirmed the work
    qtbot.keyClick(w, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # accept
    qtbot.waitUntil(lambda: status_of(app, task_id) == Status.DONE, timeout=10_000)
    assert w.windowTitle() == "Bureau"


def test_reassign_a_waiting_decision_then_accept_by_drag_and_drop(
        qtbot: QtBot, company: Company, open_app: OpenApp) -> None:
    company.update_settings(budgets=Budgets(max_rework_rounds=0))
    app = open_app(company)
    qtbot.waitUntil(lambda: app.engine.running, timeout=120_000)
    app.window.settings_action.trigger()  # autopilot off: every decision waits for the founder
    settings = app.settings.dialog
    assert settings is not None
    settings.manual_mode.setChecked(True)
    qtbot.mouseClick(settings.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: company.settings.autopilot.mode == "manual", timeout=5000)
    activate(qtbot, app)

    task_id = new_task_via_dialog(qtbot, app, "Reply to a customer who cannot log in after resetting her password")
    qtbot.waitUntil(lambda: status_of(app, task_id) == Status.NEEDS_DECISION, timeout=MODEL_TIMEOUT)
    assert app.window.windowTitle() == "Bureau (1 needs you)"
    assert app.founder.notifications[-1][0] == "A task needs your decision"
    qtbot.waitUntil(lambda: app.detail.data is not None and app.detail.data.route is not None, timeout=10_000)
    assert app.window.detail.alternatives_model.rowCount() >= 1  # the runner-up teams with their scores

    app.actions.actions["reassign"].trigger()
    reassign = app.actions.dialog
    assert reassign is not None
    reassign.team.setCurrentIndex(reassign.team.findData("sales"))
    qtbot.keyClicks(reassign.note, "She is a prospect in a trial; treat it as a deal.")
    qtbot.mouseClick(reassign.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (c := app.board_model.card(task_id)) is not None and c.team == "sales", timeout=10_000)
    qtbot.waitUntil(lambda: status_of(app, task_id) in WAITING_FOR_FOUNDER, timeout=MODEL_TIMEOUT)

    done_column = app.window.board.columns[Status.DONE].list  # drag the card onto Done: accept
    mime = QMimeData()
    mime.setData(TASK_MIME, QByteArray(str(task_id).encode()))
    done_column.dropEvent(QDropEvent(QPointF(5, 5), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                                     Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: status_of(app, task_id) == Status.DONE, timeout=10_000)
    assert [c.team for c in company.tasks.corrections()] == ["sales"]
