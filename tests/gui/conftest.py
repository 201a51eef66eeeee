"""GUI tests run offscreen on a fresh data folder (BUREAU_HOME, from tests/conftest.py)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402

from app.gui.shell.app_controller import AppController  # noqa: E402
from app.gui.common.compat import install_guard  # noqa: E402
from app.gui.board.item_models import BoardModel  # noqa: E402
from app.company import Company  # noqa: E402
from app.core.status import Status  # noqa: E402
from teams import TEAMS  # noqa: E402

TEAM_COLORS = {name: spec.color for name, spec in TEAMS.items()}


def start_app(qtbot: QtBot, company: Company, *, paused: bool = False) -> AppController:
    """The real window on ``company``; ``paused``: the engine takes no task until resumed."""
    controller = AppController(company)
    qtbot.addWidget(controller.window)
    controller.engine.set_paused(paused)
    controller.start()
    qtbot.waitUntil(lambda: controller.board_model.loaded, timeout=10_000)
    controller.window.activateWindow()
    qtbot.waitUntil(controller.window.isActiveWindow, timeout=5000)  # keyboard shortcuts need it
    return controller


@pytest.fixture
def open_app(qtbot: QtBot) -> Iterator[Callable[..., AppController]]:
    """Opens the real main window on a company; shuts it down (within 5 s) after the test."""
    started: list[AppController] = []

    def open_(company: Company, *, paused: bool = False) -> AppController:
        controller = start_app(qtbot, company, paused=paused)
        started.append(controller)
        return controller

    yield open_
    for controller in started:
        report = controller.shutdown()
        assert report.seconds < 5.0, report
        assert report.engine_stopped


@pytest.fixture(scope="session", autouse=True)
def _pyside_refcount_guard(qapp: QApplication) -> None:
    """PySide6 6.12.0 drops references to True/None (see app/gui/compat.py); the app guards itself too."""
    install_guard(qapp)


def status_of(controller: AppController, task_id: int) -> Status | None:
    card = controller.board_model.card(task_id)
    return Status(card.status) if card is not None else None


@pytest.fixture
def board_model() -> BoardModel:
    return BoardModel(TEAM_COLORS)
