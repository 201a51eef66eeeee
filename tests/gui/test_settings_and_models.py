"""Routing in Settings (examples, corrections, keywords, teams) and the Models window, offscreen."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.gui.shell.app_controller import AppController
from app.gui.shell.dialogs import SettingsDialog
from app.gui.routing.controller import RoutingController
from app.gui.routing.view import AddTeamDialog, ExampleRow, ExamplesModel, KeywordsDialog, TeamsModel, split_keywords
from app.core.paths import EMBEDDED_MODEL_NAME
from app.routing.service import TeamInfo
from app.company import Company
from app.store.db import sql_ts, utcnow

OpenApp = Callable[..., AppController]
WAIT = 10_000


def test_examples_model_rows_columns_and_ids() -> None:
    model = ExamplesModel()
    assert model.columnCount() == 3 and model.rowCount() == 0
    model.set_rows([ExampleRow(id=4, text="Renew the TLS certificate", team="devops", source="founder", task_id=None),
                    ExampleRow(id=9, text="Refund a double charge", team="support", source="correction", task_id=12)])
    assert model.rowCount() == 2
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert header == ["Task text", "Team", "From"]
    assert model.index(0, ExamplesModel.TEXT).data() == "Renew the TLS certificate"
    assert model.index(0, ExamplesModel.ORIGIN).data() == "your example"
    assert model.index(1, ExamplesModel.TEAM).data() == "support"
    assert model.index(1, ExamplesModel.ORIGIN).data() == "your correction (task 12)"
    assert model.index(1, ExamplesModel.TEXT).data(Qt.ItemDataRole.ToolTipRole) == "Refund a double charge"
    assert model.index(2, 0).data() is None
    assert model.ids([1, 0, 1, 7]) == [4, 9]

    teams = TeamsModel()
    teams.set_rows([TeamInfo("devops", "servers", ("nginx", "uptime"), True),
                    TeamInfo("legal", "contracts", (), False)])
    assert [teams.index(r, TeamsModel.KEYWORDS).data() for r in range(2)] == ["nginx, uptime", "-"]
    assert [teams.index(r, TeamsModel.KIND).data() for r in range(2)] == ["built-in", "yours"]
    assert teams.names() == ["devops", "legal"]
    assert split_keywords(" nginx, tls cert ;\nuptime,, ") == ("nginx", "tls cert", "uptime")


def _open_routing(qtbot: QtBot, app: AppController) -> tuple[SettingsDialog, RoutingController]:
    app.window.settings_action.trigger()
    dialog, routing = app.settings_dialog, app.routing_settings
    assert dialog is not None and routing is not None and dialog.isVisible()
    dialog.tabs.setCurrentWidget(dialog.routing)
    qtbot.waitUntil(lambda: dialog.routing.teams_model.rowCount() >= 6, timeout=WAIT)
    return dialog, routing


def _gone(widget: QWidget) -> bool:
    return not shiboken6.isValid(widget) or not widget.isVisible()


def test_routing_examples_remove_export_and_add(qtbot: QtBot, scripted_company: Company, open_app: OpenApp,
                                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    routing_service = scripted_company.routing
    routing_service.add_example("Renew the TLS certificate on the web server", "devops")
    with scripted_company.db.raw_write() as conn:
        conn.execute("INSERT INTO routing_example (text, team, source, task_id, created_at) "
                     "VALUES ('Refund the customer charged twice', 'support', 'correction', 3, ?)", (sql_ts(utcnow()),))
    app = open_app(scripted_company, paused=True)
    dialog, _ = _open_routing(qtbot, app)
    tab = dialog.routing
    qtbot.waitUntil(lambda: tab.examples_model.rowCount() == 2, timeout=WAIT)
    assert tab.examples_model.index(1, ExamplesModel.ORIGIN).data() == "your correction (task 3)"
    assert "1 example(s) and 1 correction(s)" in tab.status.text()

    # Remove the selected correction.
    assert not tab.remove_button.isEnabled()
    tab.examples.selectRow(1)
    assert tab.remove_button.isEnabled()
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.examples_model.rowCount() == 1, timeout=WAIT)
    assert [e.source for e in routing_service.examples()] == ["founder"]
    assert "Removed 1 example" in tab.status.text()

    # Add an example, then one with no text: the message says what is wrong.
    tab.example_text.setText("Write the onboarding email sequence")
    tab.example_team.setCurrentIndex(tab.example_team.findData("marketing"))
    qtbot.mouseClick(tab.add_example_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.examples_model.rowCount() == 2, timeout=WAIT)
    assert tab.example_text.text() == ""
    assert routing_service.examples()[-1].team == "marketing"
    qtbot.mouseClick(tab.add_example_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "empty" in tab.status.text(), timeout=WAIT)
    assert "color: #dc2626" in tab.status.styleSheet() and tab.add_example_button.isEnabled()

    # Export through a (patched) save dialog.
    out = tmp_path / "routing.jsonl"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "JSON Lines (*.jsonl)"))
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Exported 2" in tab.status.text(), timeout=WAIT)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["team"], r["source"]) for r in lines] == [("devops", "founder"), ("marketing", "founder")]


def test_routing_keywords_and_a_team_of_my_own(qtbot: QtBot, scripted_company: Company, open_app: OpenApp,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_app(scripted_company, paused=True)
    dialog, routing = _open_routing(qtbot, app)
    tab = dialog.routing

    tab.teams.selectRow(tab.teams_model.names().index("devops"))
    assert tab.keywords_button.isEnabled() and not tab.remove_team_button.isEnabled()  # built-in
    qtbot.mouseClick(tab.keywords_button, Qt.MouseButton.LeftButton)
    keywords = routing.form
    assert isinstance(keywords, KeywordsDialog) and keywords.isVisible() and not keywords.ok.isEnabled()
    keywords.keywords.setText("certificate, nginx")
    qtbot.mouseClick(keywords.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _gone(keywords), timeout=WAIT)
    row = tab.teams_model.names().index("devops")
    qtbot.waitUntil(lambda: tab.teams_model.index(row, TeamsModel.KEYWORDS).data() == "certificate, nginx",
                    timeout=WAIT)
    assert scripted_company.router().route("Renew the certificate").team == "devops"

    # A bad name is explained in the dialog, which stays open; then a good one is added.
    qtbot.mouseClick(tab.add_team_button, Qt.MouseButton.LeftButton)
    add = routing.form
    assert isinstance(add, AddTeamDialog)
    add.name.setText("Legal Team!")
    add.description.setPlainText("Contracts, terms of service, privacy questions")
    qtbot.mouseClick(add.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(add.error.isVisible, timeout=WAIT)
    assert "not a usable team name" in add.error.text() and "lowercase" in add.error.text() and add.isVisible()
    add.name.setText("legal")
    add.keywords.setText("contract, nda")
    qtbot.mouseClick(add.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _gone(add), timeout=WAIT)
    qtbot.waitUntil(lambda: "legal" in tab.teams_model.names(), timeout=WAIT)
    assert tab.example_team.findData("legal") >= 0
    qtbot.waitUntil(lambda: "legal" in app.teams.names, timeout=WAIT)  # the board's filters know it too
    assert [i.keywords for i in scripted_company.routing.team_infos() if i.name == "legal"] == [("contract", "nda")]

    # Remove it again (the question answered with Yes).
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tab.teams.selectionModel().clearSelection()
    tab.teams.selectRow(tab.teams_model.names().index("legal"))
    assert tab.remove_team_button.isEnabled()
    qtbot.mouseClick(tab.remove_team_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "legal" not in tab.teams_model.names(), timeout=WAIT)
    assert "legal" not in scripted_company.routing.team_names()


def test_models_window_lists_the_embedded_model_and_is_reused(qtbot: QtBot, scripted_company: Company,
                                                              open_app: OpenApp) -> None:
    app = open_app(scripted_company, paused=True)
    assert app.window.models_action.shortcut().toString() == "Ctrl+M"
    assert app.window.models_action in app.window.menuBar().actions()[0].menu().actions()
    app.window.models_action.trigger()
    dialog = app.models_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    view = dialog.view
    qtbot.waitUntil(lambda: view.table.rowCount() >= 1, timeout=WAIT)
    names = [view.table.item(r, 0).text() for r in range(view.table.rowCount())]
    assert EMBEDDED_MODEL_NAME == "smollm2-135m" and "smollm2-135m" in names
    app.window.models_action.trigger()
    assert app.models_dialog is dialog
    dialog.close()
    app.window.models_action.trigger()
    assert app.models_dialog is dialog and dialog.isVisible()

