"""Settings → Hybrid: the relay this desktop uses, its paired devices and runners, and pairing by code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class DeviceRow:
    id: str
    name: str
    kind: str
    last_seen: str | None
    revoked: bool


def qr_png(text: str, *, scale: int = 6) -> bytes:
    """The text as a QR code (PNG bytes), drawn by segno."""
    import io

    import segno

    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=scale, border=2)
    return buf.getvalue()


class HybridTab(QWidget):
    pair_clicked = Signal()
    revoke_clicked = Signal(str)  # device id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Name", "Kind", "Last seen", "State"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Paired devices and runners")
        self.pair_button = QPushButton("&Pair a device or runner…")
        self.revoke_button = QPushButton("&Revoke")
        self.revoke_button.setEnabled(False)
        self.code = QLabel()
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setAccessibleName("Pairing code")
        self.qr = QLabel()
        self.qr.setAccessibleName("Pairing code as a QR code")
        self.pair_button.clicked.connect(self.pair_clicked)
        self.revoke_button.clicked.connect(self._revoke)
        self.table.itemSelectionChanged.connect(self._selection)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pair_button)
        buttons.addWidget(self.revoke_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.code)
        layout.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignLeft)
        self._rows: list[DeviceRow] = []

    def set_status(self, text: str, *, connected: bool) -> None:
        self.status.setText(text)
        self.pair_button.setEnabled(connected)

    def set_devices(self, rows: Sequence[DeviceRow]) -> None:
        self._rows = list(rows)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = (row.name, row.kind, row.last_seen or "never", "revoked" if row.revoked else "paired")
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self._selection()

    def show_code(self, code: str, command: str) -> None:
        self.code.setText(f"<b>{code}</b> — valid 10 minutes, once. On the other device:<br><code>{command}</code>")
        pixmap = QPixmap()
        pixmap.loadFromData(qr_png(code))
        self.qr.setPixmap(pixmap)
        self.pair_button.setEnabled(False)

    def clear_code(self, message: str) -> None:
        self.code.setText(message)
        self.qr.clear()
        self.pair_button.setEnabled(True)

    def selected(self) -> DeviceRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows else None

    def _selection(self) -> None:
        row = self.selected()
        self.revoke_button.setEnabled(row is not None and not row.revoked)

    def _revoke(self) -> None:
        row = self.selected()
        if row is not None:
            self.revoke_clicked.emit(row.id)
