"""A toast: a short message at the bottom of a window with one button ("Cancelled #12 — Undo")."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

SHOW_MS = 10_000


class Toast(QFrame):
    """Floats over the bottom of ``host``; ``clicked`` when its button is pressed; hides itself after 10 s."""

    clicked = Signal()

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("toast")
        self.setStyleSheet("#toast { background: #1f2937; border-radius: 8px; } "
                           "#toast QLabel { color: #f9fafb; } "
                           "#toast QPushButton { color: #93c5fd; font-weight: 600; border: none; padding: 4px 8px; }")
        self.label = QLabel()
        self.button = QPushButton("Undo")
        self.button.setShortcut("")  # Ctrl+Z is Edit ▸ Undo's; the button is for the pointer
        self.button.clicked.connect(self._clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 8, 6)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self._timer = QTimer(self, singleShot=True, interval=SHOW_MS)
        self._timer.timeout.connect(self.hide)
        host.installEventFilter(self)
        self.hide()

    def show_message(self, text: str, button: str = "Undo") -> None:
        self.label.setText(text + "  —")
        self.button.setText(button)
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()
        self._timer.start()

    def _clicked(self) -> None:
        self.hide()
        self.clicked.emit()

    def _place(self) -> None:
        host = self.parentWidget()
        if host is not None:
            self.move((host.width() - self.width()) // 2, host.height() - self.height() - 44)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False
