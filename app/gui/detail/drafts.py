"""The task panel's Drafts tab: outbound drafts held for the founder (layout, table model and edit dialog).

Nothing leaves without the founder's click: Send is enabled only for a draft approved as it
reads now, and every change goes through ``OutboundService`` (see ``drafts_controller.py``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
    QSplitter, QTableView, QVBoxLayout, QWidget,
)

from app.gui.common.table import RowTable
from app.gui.common.form_dialog import FormDialog
from app.gui.common.widgets import StatusLine
from app.knowledge.outbound import Draft

Index = QModelIndex | QPersistentModelIndex
COL_CHANNEL, COL_TO, COL_SUBJECT, COL_STATUS = range(4)
HEADERS = ("Channel", "To", "Subject", "Status")
STATUS_WORDS = {"draft": "waiting for you", "approved": "approved, not sent", "sending": "sending…", "sent": "sent",
                "failed": "send failed", "discarded": "discarded"}
STATUS_COLORS = {"draft": "#2563eb", "approved": "#15803d", "failed": "#c62828", "discarded": "#6b7280",
                 "sent": "#6b7280"}
OPEN = ("draft", "approved", "failed")  # what the founder can still act on


def status_words(d: Draft) -> str:
    if d.status == "approved" and not d.approved:
        return "changed since approval"
    return STATUS_WORDS.get(d.status, d.status)


class DraftsModel(RowTable[Draft]):
    HEADERS = HEADERS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        d = self.row_data(index.row())
        if d is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            match column:
                case 0:
                    return d.channel
                case 1:
                    return ", ".join(d.recipients) or ("—" if d.channel == "social" else "no recipient yet")
                case 2:
                    return d.subject or "—"
                case 3:
                    return status_words(d)
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_STATUS:
            return QColor(STATUS_COLORS.get(d.status, "#6b7280"))
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_STATUS and d.error:
            return d.error
        if role == Qt.ItemDataRole.UserRole:
            return d.id
        return None


def draft_text(d: Draft) -> str:
    """The draft as the founder reads it: the header lines, a blank line, the body."""
    head = [f"To: {', '.join(d.recipients)}"] if d.channel == "email" else []
    if d.subject or d.channel == "email":
        head.append(f"Subject: {d.subject}")
    return "\n".join(head) + ("\n\n" if head else "") + d.body


class DraftsTab(QWidget):
    """Layout only; ``DraftsController`` gives it behaviour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DraftsModel(self)
        self.table = QTableView()
        self.table.setObjectName("drafts-table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_SUBJECT, QHeaderView.ResizeMode.Stretch)
        self.body = QPlainTextEdit()
        self.body.setReadOnly(True)
        self.body.setPlaceholderText("A team's email, reply or post meant for someone outside waits here for you. "
                                     "Nothing is sent until you approve it and press Send.")
        self.approve_button = QPushButton("&Approve")
        self.approve_button.setToolTip("Approve this exact text; any later edit needs a new approval")
        self.edit_button = QPushButton("&Edit…")
        self.discard_button = QPushButton("&Discard")
        self.send_button = QPushButton("&Send")
        self.send_button.setToolTip("Send the approved text through the channel set in Settings (mail client by "
                                    "default)")
        buttons = QHBoxLayout()
        for b in (self.approve_button, self.edit_button, self.discard_button, self.send_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.status = StatusLine()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.body)
        splitter.setSizes([90, 400])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    def selected(self) -> Draft | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_data(rows[0].row()) if rows else None

    def show_selected(self) -> None:
        d = self.selected()
        self.body.setPlainText(draft_text(d) if d is not None else "")
        can = d is not None and d.status in OPEN
        self.approve_button.setEnabled(can and not (d is not None and d.approved))
        self.edit_button.setEnabled(can)
        self.discard_button.setEnabled(can)
        self.send_button.setEnabled(can and d is not None and d.approved)


class EditDraftDialog(FormDialog):
    """The founder's own text for a draft: recipients, subject, body. Saving resets any approval."""

    def __init__(self, draft: Draft, parent: QWidget | None = None) -> None:
        super().__init__(f"Edit draft {draft.id}", "Save draft", parent)
        self.draft = draft
        self.to = QLineEdit(", ".join(draft.recipients))
        self.to.setPlaceholderText("name@example.com, other@example.com")
        self.subject = QLineEdit(draft.subject)
        self.body = QPlainTextEdit(draft.body)
        note = QLabel("Saving your text resets the approval: approve it again before it is sent.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #6b7280;")
        form = QFormLayout()
        if draft.channel == "email":
            form.addRow("&To", self.to)
            form.addRow("S&ubject", self.subject)
        form.addRow("&Message", self.body)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, 480)

    def text(self) -> str:
        """In the form ``OutboundService.edit`` reads (header lines, a blank line, the body)."""
        head = f"To: {self.to.text().strip()}\nSubject: {self.subject.text().strip()}\n\n" \
            if self.draft.channel == "email" else ""
        return head + self.body.toPlainText()
