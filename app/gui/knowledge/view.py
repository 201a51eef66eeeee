"""The Knowledge window: indexed sources with their buttons, indexing progress, and a search box with results."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QProgressBar, QPushButton, QSplitter,
    QTableView, QVBoxLayout, QWidget,
)
from PySide6.QtCore import Qt

from app.gui.common.widgets import StatusLine
from app.gui.knowledge.model import COL_HIT_SNIPPET, COL_PATH, HitsModel, SourcesModel


def _table(model: SourcesModel | HitsModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class KnowledgeWindow(QDialog):
    """Layout only; ``KnowledgeController`` gives it behaviour."""

    def __init__(self, sources: SourcesModel, hits: HitsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("knowledge-window")
        self.setWindowTitle("Knowledge")
        self.resize(1000, 620)
        intro = QLabel("The founder's own material: teams answer from these files and cite them. "
                       "Markdown, text, HTML and PDF are read; changed files are re-indexed.")
        intro.setWordWrap(True)
        self.sources = _table(sources)
        self.sources.horizontalHeader().setSectionResizeMode(COL_PATH, QHeaderView.ResizeMode.Stretch)
        self.add_folder_button = QPushButton("Add &folder…")
        self.add_file_button = QPushButton("Add f&ile…")
        self.reindex_button = QPushButton("Re-&index")
        self.remove_button = QPushButton("Re&move")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(260)
        self.progress.setVisible(False)
        buttons = QHBoxLayout()
        for button in (self.add_folder_button, self.add_file_button, self.reindex_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.progress)
        self.status = StatusLine()

        self.search = QLineEdit()
        self.search.setObjectName("knowledge-search")
        self.search.setPlaceholderText("Search the knowledge base, e.g. refund policy")
        self.search.setClearButtonEnabled(True)
        self.hits = _table(hits)
        self.hits.horizontalHeader().setSectionResizeMode(COL_HIT_SNIPPET, QHeaderView.ResizeMode.Stretch)
        self.hits_note = QLabel()
        self.hits_note.setStyleSheet("color: #6b7280;")

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(intro)
        top_layout.addWidget(self.sources, 1)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.status)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        search_row = QHBoxLayout()
        search_label = QLabel("&Search")
        search_label.setBuddy(self.search)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)
        bottom_layout.addLayout(search_row)
        bottom_layout.addWidget(self.hits, 1)
        bottom_layout.addWidget(self.hits_note)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([250, 370])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def show_progress(self, done: int, total: int, current: str) -> None:
        self.progress.setVisible(True)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done:,} of {total:,} files")
        self.progress.setTextVisible(True)
        self.status.say(f"Indexing {current}…")

    def hide_progress(self) -> None:
        self.progress.setVisible(False)
