"""Settings ▸ Notifications sets the trace export's collector; a bad address is refused and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from pytestqt.qtbot import QtBot

from app.company import Company
from app.gui.shell.app_controller import AppController

OpenApp = Callable[..., AppController]


def test_the_trace_export_endpoint_is_set_refused_when_bad_and_cleared(qtbot: QtBot, company: Company,
                                                                      open_app: OpenApp) -> None:
    app = open_app(company, paused=True)
    dialog = app.settings.open("Notifications")
    assert dialog.otlp_endpoint.text() == ""
    dialog.otlp_endpoint.setText("localhost:4318")  # no scheme: refused, shown in the dialog
    dialog.ok.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert "http" in dialog.error.text() and company.settings.traces.otlp_endpoint is None
    dialog.otlp_endpoint.setText("http://127.0.0.1:4318")
    dialog.ok.click()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=10_000)
    assert company.settings.traces.traces_url == "http://127.0.0.1:4318/v1/traces"
    dialog = app.settings.open("Notifications")
    assert dialog.otlp_endpoint.text() == "http://127.0.0.1:4318"
    dialog.otlp_endpoint.setText("")
    dialog.ok.click()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=10_000)
    assert company.settings.traces.enabled is False
