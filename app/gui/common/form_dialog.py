"""The base of the app's small dialogs: OK/Cancel, an inline error line, Ctrl+Enter for OK."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget


class FormDialog(QDialog):
    """A dialog with an inline error line and OK/Cancel; Ctrl+Enter is OK.

    OK emits ``submitted``; whoever acts on it closes the dialog with ``accept()`` once the
    action succeeded, or calls ``show_error`` and the dialog stays open.
    """

    submitted = Signal()

    def __init__(self, title: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #dc2626;")
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(ok_text)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(self.ok.click)

    def _on_ok(self) -> None:
        if not self.ok.isEnabled():
            return
        self.error.setVisible(False)
        self.set_busy(True)
        self.submitted.emit()

    def show_error(self, message: str, fix: str | None = None) -> None:
        self.error.setText(message + (f"\n{fix}" if fix else ""))
        self.error.setVisible(True)
        self.ok.setEnabled(True)

    def set_busy(self, busy: bool) -> None:
        self.ok.setEnabled(not busy)
