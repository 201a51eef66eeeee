"""The window's geometry and layout, remembered between runs in ``window.ini`` in the data folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from app.gui.shell.window import MainWindow

WINDOW_FILE = "window.ini"


class WindowMemory:
    def __init__(self, home: Path) -> None:
        self.settings = QSettings(str(home / WINDOW_FILE), QSettings.Format.IniFormat)

    def restore(self, window: MainWindow) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            window.restoreGeometry(geometry)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            window.restoreState(state)
        splitter = s.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            window.splitter.restoreState(splitter)
        window.filters.closed.setChecked(bool(s.value("board/show_closed", False, type=bool)))
        tab = s.value("detail/tab", 0, type=int)
        if isinstance(tab, int) and 0 <= tab < window.detail.tabs.count():
            window.detail.tabs.setCurrentIndex(tab)

    def save(self, window: MainWindow) -> None:
        s = self.settings
        s.setValue("window/geometry", window.saveGeometry())
        s.setValue("window/state", window.saveState())
        s.setValue("window/splitter", window.splitter.saveState())
        s.setValue("board/show_closed", window.filters.closed.isChecked())
        s.setValue("detail/tab", window.detail.tabs.currentIndex())
        s.sync()
