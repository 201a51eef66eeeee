"""The Knowledge view: add a folder in the background with progress, find a section by search, re-index, remove."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.company import Company
from app.gui.common.ops import TaskRunner
from app.gui.knowledge.controller import KnowledgeController
from app.gui.knowledge.model import COL_FILES, COL_HIT_SECTION, COL_HIT_SOURCE, COL_PROBLEMS, COL_SECTIONS


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "pricing.md").write_text("# Pricing\n\n## Annual plans\n\nThe Pro plan costs $290 a year.\n\n"
                                       "## Monthly plans\n\nStarter is $9 a month.\n", encoding="utf-8")
    (folder / "refunds.md").write_text("# Refund policy\n\nWe refund any purchase within 30 days, no questions.\n",
                                       encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"not a pdf at all")
    return folder


def _controller(qtbot: QtBot, company: Company, errors: list[BaseException]) -> KnowledgeController:
    controller = KnowledgeController(company.knowledge, TaskRunner(errors.append))
    qtbot.addWidget(controller.window)
    with qtbot.waitSignal(controller.loaded, timeout=10_000):
        controller.show()
    return controller


def test_add_a_folder_then_find_a_section_by_search(qtbot: QtBot, company: Company, tmp_path: Path) -> None:
    errors: list[BaseException] = []
    controller = _controller(qtbot, company, errors)
    window = controller.window
    progress: list[tuple[int, int]] = []
    window.progress.valueChanged.connect(lambda v: progress.append((v, window.progress.maximum())))
    with qtbot.waitSignal(controller.indexed, timeout=20_000) as indexed:
        controller.add(_folder(tmp_path))
        assert not window.add_folder_button.isEnabled()  # busy while it indexes
    report = indexed.args[0]
    assert report.indexed == 2 and len(report.errors) == 1
    qtbot.waitUntil(lambda: controller.sources_model.rowCount() == 1, timeout=10_000)
    model = controller.sources_model
    assert model.data(model.index(0, COL_FILES)) == "3"
    assert model.data(model.index(0, COL_SECTIONS)) == str(company.knowledge.section_count())
    assert model.data(model.index(0, COL_PROBLEMS)) == "⚠ 1"
    assert "broken.pdf" in model.data(model.index(0, COL_PROBLEMS), Qt.ItemDataRole.ToolTipRole)
    assert "broken.pdf" in window.status.text() and "the rest is indexed" in window.status.text()
    assert progress and progress[-1][0] == progress[-1][1] == 3
    assert not window.progress.isVisible()
    assert window.add_folder_button.isEnabled()

    with qtbot.waitSignal(controller.searched, timeout=10_000):
        window.search.setText("refund within days")
        window.search.returnPressed.emit()
    hits = controller.hits_model
    assert hits.rowCount() >= 1
    assert hits.data(hits.index(0, COL_HIT_SOURCE)) == "refunds.md"
    assert hits.data(hits.index(0, COL_HIT_SECTION)) == "Refund policy"
    assert "found" in window.hits_note.text()
    with qtbot.waitSignal(controller.searched, timeout=10_000):
        window.search.setText("zebra")
        window.search.returnPressed.emit()
    assert hits.rowCount() == 0 and "Nothing" in window.hits_note.text()
    assert errors == []


def test_reindex_picks_up_a_change_and_remove_forgets_the_source(qtbot: QtBot, company: Company,
                                                                 tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    company.knowledge.add(folder)
    errors: list[BaseException] = []
    controller = _controller(qtbot, company, errors)
    window = controller.window
    assert not window.remove_button.isEnabled()
    window.sources.selectRow(0)
    assert window.reindex_button.isEnabled() and window.remove_button.isEnabled()
    (folder / "shipping.md").write_text("# Shipping\n\nWe ship worldwide in five days.\n", encoding="utf-8")
    with qtbot.waitSignal(controller.indexed, timeout=20_000) as indexed:
        window.reindex_button.click()
    assert indexed.args[0].indexed == 1 and indexed.args[0].unchanged == 2
    assert [h.source for h in company.knowledge.search("ship worldwide")] == ["shipping.md"]
    qtbot.waitUntil(lambda: controller.selected() is not None, timeout=10_000)
    window.remove_button.click()
    qtbot.waitUntil(lambda: controller.sources_model.rowCount() == 0, timeout=10_000)
    assert "removed" in window.status.text()
    assert company.knowledge.sources() == [] and folder.exists()
    assert errors == []


def test_a_missing_path_is_said_in_the_window(qtbot: QtBot, company: Company, tmp_path: Path) -> None:
    errors: list[BaseException] = []
    controller = _controller(qtbot, company, errors)
    with qtbot.waitSignal(controller.indexed, timeout=10_000):
        controller.add(tmp_path / "nope")
    assert "does not exist" in controller.window.status.text()
    assert controller.window.add_folder_button.isEnabled()
    assert errors == []


def test_the_window_opens_closes_and_opens_again_from_the_menu(qtbot: QtBot, company: Company, open_app) -> None:
    app = open_app(company, paused=True)
    action = app.window.feature_actions["knowledge"]
    assert action in app.window.view_menu.actions()
    action.trigger()
    window = next(w for w in app.window.findChildren(QDialog) if w.objectName() == "knowledge-window")
    qtbot.waitUntil(window.isVisible, timeout=5000)
    window.close()
    assert not window.isVisible()
    action.trigger()
    qtbot.waitUntil(window.isVisible, timeout=5000)
    window.close()



