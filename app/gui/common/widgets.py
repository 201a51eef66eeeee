"""Small shared widgets: a status line that says progress and errors, and a slot for one dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QWidget

ERROR_COLOR = "#c62828"
D = TypeVar("D", bound=QDialog)


class StatusLine(QLabel):
    """One line under a view: what is happening, or what went wrong and how to fix it (an ``ErrorSink``)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.last_error = ""
        self.busy_widgets: list[QWidget] = []  # disabled while an operation runs

    def say(self, text: str, *, error: bool = False) -> None:
        self.setStyleSheet(f"color: {ERROR_COLOR}" if error else "")
        self.setText(text)

    def show_error(self, message: str, fix: str | None = None) -> None:
        self.last_error = f"{message} {fix or ''}".strip()
        self.say(self.last_error, error=True)

    def set_busy(self, busy: bool) -> None:
        for widget in self.busy_widgets:
            if shiboken6.isValid(widget):
                widget.setEnabled(not busy)


class DialogSlot(Generic[D]):
    """Holds at most one open dialog of a kind; a closed (deleted) one is built again on the next open.

    This is what lets a dialog open any number of times: the slot never asks a deleted C++
    object whether it is visible.
    """

    def __init__(self) -> None:
        self._dialog: D | None = None

    @property
    def dialog(self) -> D | None:
        """The dialog while it exists (visible or not), else None."""
        d = self._dialog
        return d if d is not None and shiboken6.isValid(d) else None

    def current(self) -> D | None:
        d = self.dialog
        return d if d is not None and d.isVisible() else None

    def open(self, build: Callable[[], D], *, delete_on_close: bool = True) -> tuple[D, bool]:
        """Bring the open dialog forward, or build and open a new one; (dialog, whether it is new)."""
        d = self.current()
        if d is not None:
            d.raise_()
            d.activateWindow()
            return d, False
        d = build()
        d.finished.connect(lambda _result, dialog=d: _give_back_focus(dialog))
        if delete_on_close:
            d.finished.connect(d.deleteLater)
        self._dialog = d
        if d.isModal() or d.windowModality() != Qt.WindowModality.NonModal:
            d.open()
        else:
            d.show()
        return d, True


def _give_back_focus(dialog: QDialog) -> None:
    """The window under a closed dialog takes the keyboard again (without a window manager nothing else does)."""
    parent = dialog.parentWidget()
    if parent is not None and shiboken6.isValid(parent):
        parent.window().activateWindow()
