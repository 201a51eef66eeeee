"""The Repositories window: the git repositories code and DevOps tasks work in, and the dialog that links one.

Layout only; ``ReposController`` (``repos_controller.py``) gives them behaviour.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from app.gui.common.form_dialog import FormDialog
from app.gui.common.widgets import StatusLine
from app.workspace.store import Repository

HEADERS = ("Name", "Folder", "Test command", "Time limit")


class ReposWindow(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("repos-window")
        self.setWindowTitle("Repositories")
        self.resize(900, 420)
        intro = QLabel("Code and DevOps tasks work in a private checkout of a linked repository, run its tests and "
                       "deliver a diff you apply. Your own files are not touched until you apply.")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("repos-table")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("&Link a repository…")
        self.edit_button = QPushButton("&Test command…")
        self.remove_button = QPushButton("&Unlink")
        self.remove_button.setToolTip("Bureau forgets it and removes its own checkouts; your files are not touched")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.status = StatusLine()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.rows: list[Repository] = []
        self.show_rows([])

    def show_rows(self, rows: Sequence[Repository]) -> None:
        chosen = self.selected()
        self.rows = list(rows)
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = (r.name, r.path, r.test_command or "(none: tasks are not tested)", f"{r.test_timeout:.0f} s")
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        keep = next((i for i, r in enumerate(rows) if chosen and r.name == chosen.name), 0 if rows else None)
        if keep is not None:
            self.table.selectRow(keep)
        self.update_buttons()

    def selected(self) -> Repository | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)


class LinkRepoDialog(FormDialog):
    """A folder, the name tasks use, and the test command (detected when the folder is chosen, to confirm or change)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Link a repository", "Link", parent)
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("the folder of a git repository")
        self.browse_button = QPushButton("&Browse…")
        self.name = QLineEdit()
        self.name.setPlaceholderText("default: the folder's name")
        self.test_command = QLineEdit()
        self.test_command.setPlaceholderText("e.g. python -m pytest -q (empty: tasks are not tested)")
        self.detected = QLabel()
        self.detected.setWordWrap(True)
        self.detected.setStyleSheet("color: #6b7280;")
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout()
        folder_label = QLabel("&Folder")
        folder_label.setBuddy(self.folder)  # a row that is a layout gets no buddy from addRow
        form.addRow(folder_label, row)
        form.addRow("&Name", self.name)
        form.addRow("Test &command", self.test_command)
        form.addRow("", self.detected)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, 220)
