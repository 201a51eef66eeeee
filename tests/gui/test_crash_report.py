"""An unexpected error in the app is written to a local crash file that its dialog can open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from app.core.errors import InvalidInput
from app.core.logs import setup_logging
from app.gui.common.errors import ErrorReporter


def test_unexpected_error_dialog_offers_the_local_crash_report(qtbot, home: Path):
    setup_logging(home)
    reporter = ErrorReporter(lambda: None)
    with qtbot.waitSignal(reporter.shown, timeout=5000) as shown:
        reporter.report(RuntimeError("the board fell over"))
    error = shown.args[0]
    assert error.crash_report is not None and error.crash_report.parent == home / "crashes"
    assert "the board fell over" in error.crash_report.read_text()
    box = reporter.open_dialogs[0]
    assert str(error.crash_report) in box.informativeText()
    assert "Open crash report" in [b.text() for b in box.buttons()]
    box.close()

    with qtbot.waitSignal(reporter.shown, timeout=5000) as shown:  # a known problem is no crash
        reporter.report(InvalidInput("Bad date.", fix="Write it as YYYY-MM-DD."))
    assert shown.args[0].crash_report is None
    assert len(list((home / "crashes").iterdir())) == 1
    for b in reporter.open_dialogs:
        b.close()
    assert isinstance(box, QMessageBox)
