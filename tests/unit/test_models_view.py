"""The Models view (pytest-qt, offscreen): list with fit badges, drop GGUF files, assign roles, test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402

from app.gui.llm.controller import ModelsController, OllamaController, ServerController  # noqa: E402
from app.gui.llm.view import ModelsView, OllamaDialog, ServerDialog  # noqa: E402
from app.gui.common.ops import TaskRunner  # noqa: E402
from app.llm.pool import ModelPool  # noqa: E402
from app.llm.service import ModelService  # noqa: E402
from app.core.paths import EMBEDDED_MODEL_NAME  # noqa: E402
from app.core.settings import ModelSettings, Settings  # noqa: E402
from tests.support.gguf_forge import forge_gguf, llama_metadata  # noqa: E402
from tests.support.fake_llama import FakeLlama  # noqa: E402

errors: list[BaseException] = []


@pytest.fixture
def view(qtbot, tmp_path: Path) -> Iterator[ModelsController]:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    home.mkdir()
    settings = Settings(model=ModelSettings(ollama_host="http://127.0.0.1:9"))
    pool = ModelPool(settings, home, memory=lambda: 16 * 2**30, llama_factory=FakeLlama)
    service = ModelService(home, settings, pool, memory=lambda: 16 * 2**30)
    runner = TaskRunner(errors.append)
    widget = ModelsView(service.roles())
    qtbot.addWidget(widget)
    controller = ModelsController(service, runner, widget)
    controller.refresh()
    qtbot.waitUntil(lambda: widget.table.rowCount() == 1, timeout=10_000)
    yield controller
    runner.close()
    pool.close()


def test_lists_the_embedded_default_with_a_fit_badge(view):
    assert view.view.table.item(0, 0).text() == EMBEDDED_MODEL_NAME
    assert view.view.table.item(0, 2).text() == "fits"
    assert "Fit: needs about" in view.view.table.item(0, 2).toolTip()
    assert "Q4_1" in view.view.table.item(0, 4).text()


def test_dropping_gguf_files_adds_them_and_bad_ones_say_why(view, qtbot, tmp_path):
    good = forge_gguf(tmp_path / "Tiny-Model.gguf", llama_metadata())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(good)), QUrl.fromLocalFile(str(tmp_path / "notes.txt"))])
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    view.view.dropEvent(event)
    qtbot.waitUntil(lambda: view.view.table.rowCount() == 2, timeout=10_000)
    assert view.view.table.item(1, 0).text() == "tiny-model" and "llama" in view.view.table.item(1, 4).text()
    bad = tmp_path / "broken.gguf"
    bad.write_text("not a model at all")
    view.add_gguf_files([bad])
    qtbot.waitUntil(lambda: "not a GGUF model file" in view.view.last_error, timeout=10_000)
    assert "Download the model again" in view.view.status.text()
    assert view.view.table.rowCount() == 2


def test_roles_are_assigned_with_a_fallback_and_reset(view, qtbot, tmp_path):
    view.add_gguf_files([forge_gguf(tmp_path / "tiny.gguf", llama_metadata())])
    qtbot.waitUntil(lambda: view.view.table.rowCount() == 2, timeout=10_000)
    first, fallback, fit = view.view.role_rows["code"]
    first.setCurrentIndex(first.findData("tiny"))
    fallback.setCurrentIndex(fallback.findData(EMBEDDED_MODEL_NAME))
    assert fit.text() == "fits"
    view.assign_clicked("code")
    qtbot.waitUntil(lambda: view.service.assignments()["code"] == ["tiny", EMBEDDED_MODEL_NAME], timeout=10_000)
    qtbot.waitUntil(lambda: "code" in view.view.table.item(1, 3).text(), timeout=10_000)
    view.assign_role("code", [])
    qtbot.waitUntil(lambda: view.service.assignments()["code"] == [], timeout=10_000)


def test_test_and_remove_act_on_the_selected_model(view, qtbot, tmp_path):
    view.add_gguf_files([forge_gguf(tmp_path / "tiny.gguf", llama_metadata())])
    qtbot.waitUntil(lambda: view.view.table.rowCount() == 2, timeout=10_000)
    view.view.table.selectRow(1)
    view.test_selected()
    qtbot.waitUntil(lambda: "tokens/s" in view.view.status.text(), timeout=10_000)
    assert "from tiny" in view.view.status.text()
    view.remove_selected()
    qtbot.waitUntil(lambda: view.view.table.rowCount() == 1, timeout=10_000)


def test_dialogs_report_unreachable_servers(view, qtbot):
    for _ in range(2):  # each dialog opens, closes and opens again
        ollama = view.open_ollama()
        assert isinstance(ollama, OllamaDialog) and ollama.isVisible()
        view._ollama_ctl.connect_host()
        qtbot.waitUntil(lambda: "is not reachable" in ollama.status.text(), timeout=10_000)
        ollama.reject()
        server = view.open_server()
        assert isinstance(server, ServerDialog) and server.isVisible()
        server.base_url.setText("http://127.0.0.1:9/v1")
        view._server_ctl.test_connection()
        qtbot.waitUntil(lambda: "is not reachable" in server.status.text(), timeout=10_000)
        assert server.api_key.echoMode() == server.api_key.EchoMode.Password
        server.reject()
        qtbot.waitUntil(lambda: view.server.current() is None and view.ollama.current() is None, timeout=5000)
