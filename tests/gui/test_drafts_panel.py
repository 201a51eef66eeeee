"""Outbound drafts in the task panel and on the card: approve, edit (approval resets), discard, send by click only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.company import Company
from app.gui.board.item_models import CardRole
from app.gui.detail.drafts import COL_STATUS, COL_TO
from app.gui.detail.view import DRAFTS_TAB
from app.tasks.service import NewTask


def _draft(company: Company, task_id: int, step: str = "s1.r0"):
    return company.outbound.propose(task_id=task_id, step_key=step, kind="email", recipients=("ana@example.com",),
                                    subject="Your refund", body="Hi Ana,\n\nYour refund is on its way.\n")


def _card_drafts(app, task_id: int) -> str:
    card = app.board_model.card(task_id)
    return "" if card is None else f"✉ {card.drafts}" if card.drafts else ""


def test_a_draft_is_approved_edited_and_discarded_from_the_task_panel(qtbot: QtBot, company: Company,
                                                                      open_app) -> None:
    task = company.tasks.submit(NewTask(text="Reply to Ana about her refund"))
    app = open_app(company, paused=True)
    panel, tab = app.window.detail, app.window.detail.drafts
    assert app.board.select_task(task.id)
    qtbot.waitUntil(lambda: app.detail.data is not None and app.detail.data.task_id == task.id, timeout=5000)
    assert tab.model.rowCount() == 0 and not tab.approve_button.isEnabled()

    draft = _draft(company, task.id)  # a team proposes it; the event reloads the card and the panel
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=5000)
    assert panel.tabs.tabText(panel.tabs.indexOf(tab)) == f"{DRAFTS_TAB} 1"
    qtbot.waitUntil(lambda: _card_drafts(app, task.id) == "✉ 1", timeout=5000)
    assert tab.model.data(tab.model.index(0, COL_TO)) == "ana@example.com"
    assert tab.model.data(tab.model.index(0, COL_STATUS)) == "waiting for you"
    assert "Subject: Your refund" in tab.body.toPlainText() and "on its way" in tab.body.toPlainText()
    assert tab.approve_button.isEnabled() and not tab.send_button.isEnabled()  # nothing goes without approval

    with qtbot.waitSignal(app.drafts.changed, timeout=5000):
        tab.approve_button.click()
    qtbot.waitUntil(lambda: tab.selected() is not None and tab.selected().status == "approved", timeout=5000)
    assert company.outbound.get(draft.id).approved
    assert tab.send_button.isEnabled() and not tab.approve_button.isEnabled()
    qtbot.waitUntil(lambda: _card_drafts(app, task.id) == "", timeout=5000)  # approved: no longer waiting
    assert panel.tabs.tabText(panel.tabs.indexOf(tab)) == DRAFTS_TAB

    for attempt in range(2):  # the dialog opens, closes, and opens again
        dialog = app.drafts.open_edit()
        assert dialog is not None and dialog.isVisible()
        assert dialog.to.text() == "ana@example.com"
        if attempt == 0:
            dialog.reject()
            qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    dialog.to.setText("not an address")
    dialog.ok.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=5000)
    assert "not an email address" in dialog.error.text() and dialog.isVisible()
    dialog.to.setText("ana@example.com")
    dialog.body.setPlainText("Hi Ana,\n\nYour refund of $29 is on its way.\n\nSam")
    with qtbot.waitSignal(app.drafts.changed, timeout=5000):
        dialog.ok.click()
    edited = company.outbound.get(draft.id)
    assert edited.status == "draft" and not edited.approved and "$29" in edited.body  # the approval was reset
    qtbot.waitUntil(lambda: "$29" in tab.body.toPlainText(), timeout=5000)
    assert tab.approve_button.isEnabled() and not tab.send_button.isEnabled()
    qtbot.waitUntil(lambda: _card_drafts(app, task.id) == "✉ 1", timeout=5000)

    with qtbot.waitSignal(app.drafts.changed, timeout=5000):
        tab.discard_button.click()
    assert company.outbound.get(draft.id).status == "discarded"
    qtbot.waitUntil(lambda: tab.selected() is not None and tab.selected().status == "discarded", timeout=5000)
    assert not any(b.isEnabled() for b in (tab.approve_button, tab.edit_button, tab.discard_button,
                                            tab.send_button))
    qtbot.waitUntil(lambda: _card_drafts(app, task.id) == "", timeout=5000)
    assert company.outbound.list(status="sent") == []


def test_send_goes_out_only_after_approval_and_only_once(qtbot: QtBot, company: Company, open_app,
                                                         monkeypatch) -> None:
    from PySide6.QtGui import QDesktopServices

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    task = company.tasks.submit(NewTask(text="Email Ana"))
    draft = _draft(company, task.id)
    app = open_app(company, paused=True)
    tab = app.window.detail.drafts
    assert app.board.select_task(task.id)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=5000)
    tab.send_button.click()  # disabled: a click does nothing
    assert opened == [] and company.outbound.get(draft.id).status == "draft"
    with qtbot.waitSignal(app.drafts.changed, timeout=5000):
        tab.approve_button.click()
    qtbot.waitUntil(tab.send_button.isEnabled, timeout=5000)
    with qtbot.waitSignal(app.drafts.changed, timeout=5000):
        tab.send_button.click()
    assert company.outbound.get(draft.id).status == "sent"
    assert len(opened) == 1 and opened[0].startswith("mailto:ana@example.com")
    assert "opened in your mail client" in tab.status.text()
    qtbot.waitUntil(lambda: not tab.send_button.isEnabled(), timeout=5000)


def test_the_card_paints_the_draft_marker(qtbot: QtBot, company: Company, board_model) -> None:
    from app.gui.board.item_models import format_drafts
    from app.tasks.queries import load_board, load_cards

    task = company.tasks.submit(NewTask(text="Reply to Ana"))
    assert [c.drafts for c in load_board(company.db).cards] == [0]
    draft = _draft(company, task.id)
    _draft(company, task.id, step="s2.r0")
    assert load_cards(company.db, [task.id])[0].drafts == 2
    assert format_drafts(2) == "✉ 2 drafts" and format_drafts(1) == "✉ draft" and format_drafts(0) == ""
    board_model.load(load_board(company.db))
    column = next(m for m in board_model.columns.values() if m.rowCount() == 1)
    index = column.index(0)
    assert index.data(CardRole.DRAFTS) == "✉ 2 drafts"
    assert "✉ 2 drafts waiting for your approval" in index.data(Qt.ItemDataRole.ToolTipRole)
    company.outbound.discard(draft.id)
    board_model.apply(load_cards(company.db, [task.id]))
    assert column.index(0).data(CardRole.DRAFTS) == "✉ draft"
