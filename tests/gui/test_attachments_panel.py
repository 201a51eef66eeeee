"""Issue 19 in the app: the files the founder attached are listed in the task panel (name, size) and previewed."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from app.company import Company
from app.gui.detail.data import detail_data
from app.gui.shell.app_controller import AppController
from app.tasks.attachments import Attachment
from app.tasks.service import NewTask

OpenApp = Callable[..., AppController]
WAIT = 10_000


def test_attachments_reach_the_detail_data(company: Company) -> None:
    task = company.tasks.submit(NewTask(text="Summarise the notes", attachments=(
        Attachment("notes.md", "# Notes\n\nPrices rise in May."), Attachment("été.txt", "café"))))
    plain = company.tasks.submit(NewTask(text="No files here"))
    view = detail_data(company.tasks.detail(task.id), company.home)
    assert [(a.name, a.size) for a in view.attachments] == [("notes.md", 28), ("été.txt", 5)]  # bytes, UTF-8
    assert detail_data(company.tasks.detail(plain.id), company.home).attachments == ()


def test_the_task_panel_lists_and_previews_attachments(qtbot: QtBot, company: Company, open_app: OpenApp) -> None:
    task = company.tasks.submit(NewTask(text="Summarise the notes", attachments=(
        Attachment("notes.md", "# Notes\n\nPrices rise in **May**."),
        Attachment("fix.py", "def fix():\n    return 42\n"))))
    plain = company.tasks.submit(NewTask(text="No files here"))
    app = open_app(company, paused=True)
    panel = app.window.detail
    assert app.board.select_task(task.id)
    qtbot.waitUntil(lambda: app.detail.data is not None and app.detail.data.task_id == task.id, timeout=WAIT)
    panel.show_tab(3)  # Files
    model = panel.attachments_model
    assert panel.attachments.isVisible() and model.rowCount() == 2
    assert [model.data(model.index(r, 0)) for r in range(2)] == ["notes.md", "fix.py"]
    assert model.data(model.index(0, 1)) == "32 B"
    # no result files yet: the first attachment is previewed, Markdown rendered
    qtbot.waitUntil(lambda: "Prices rise in" in panel.preview.toPlainText(), timeout=WAIT)
    assert "**" not in panel.preview.toPlainText() and "attached by you" in panel.preview_note.text()
    panel.attachments.selectRow(1)
    qtbot.waitUntil(lambda: "return 42" in panel.preview.toPlainText(), timeout=WAIT)
    assert "fix.py" in panel.preview_note.text()
    assert app.board.select_task(plain.id)
    qtbot.waitUntil(lambda: app.detail.data is not None and app.detail.data.task_id == plain.id, timeout=WAIT)
    assert not panel.attachments.isVisible() and model.rowCount() == 0
    qtbot.waitUntil(lambda: panel.preview.toPlainText() == "", timeout=WAIT)
