"""The Models view and its two dialogs: layout and display only (``controller.py`` holds the behaviour).

Every model with its fit badge, buttons to add GGUF files (or drop them), Ollama models and
OpenAI-compatible servers, a role table (first model and fallback per role) and a status line.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agents.backends.ollama import OllamaDetails
from app.gui.common.form_dialog import FormDialog
from app.gui.common.widgets import StatusLine
from app.llm.service import ModelInfo

FIT_COLORS = {"fits": "#2e7d32", "tight": "#b26a00", "wont_fit": "#c62828", "remote": "#1565c0", "unknown": "#616161"}
COLUMNS = ("Name", "Kind", "Fit", "Roles", "Details")
NO_CHOICE = "(default model)"
NO_FALLBACK = "(no fallback)"


def gguf_paths(urls: Sequence[Any]) -> list[Path]:
    """The local .gguf files among dropped URLs."""
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile() and u.toLocalFile().lower().endswith(".gguf")]


class ModelsView(QWidget):
    """Layout of the Models view. ``files_dropped`` carries dropped .gguf files to the controller."""

    files_dropped = Signal(list)  # list[Path]
    assign_requested = Signal(str)  # role

    def __init__(self, roles: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.infos: list[ModelInfo] = []
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        buttons = QHBoxLayout()
        self.add_gguf_button = QPushButton("Add GGUF file…")
        self.add_ollama_button = QPushButton("Add Ollama model…")
        self.add_server_button = QPushButton("Add server…")
        self.remove_button = QPushButton("Remove")
        self.test_button = QPushButton("Test")
        self.refresh_button = QPushButton("Refresh")
        for button, tip in ((self.add_gguf_button, "Or drop .gguf files on this view"),
                            (self.add_ollama_button, "Connect to an Ollama server"),
                            (self.add_server_button, "llama.cpp server, LM Studio, vLLM"),
                            (self.remove_button, "Remove the selected model from Bureau"),
                            (self.test_button, "Send one short request to the selected model"),
                            (self.refresh_button, "Read the list and free memory again")):
            button.setToolTip(tip)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 2)
        box = QGroupBox("Which model each role uses (the fallback answers when the first is unreachable)")
        grid = QGridLayout(box)
        self.role_rows: dict[str, tuple[QComboBox, QComboBox, QLabel]] = {}
        for row, role in enumerate(roles):
            first, fallback, fit = QComboBox(), QComboBox(), QLabel()
            assign = QPushButton("Assign")
            assign.clicked.connect(lambda _=False, r=role: self.assign_requested.emit(r))
            first.currentIndexChanged.connect(lambda _=0, r=role: self.show_role_fit(r))
            for col, widget in enumerate((QLabel(role), first, fallback, fit, assign)):
                grid.addWidget(widget, row, col)
            self.role_rows[role] = (first, fallback, fit)
        layout.addWidget(box, 1)
        self.status = StatusLine("Drop .gguf files here to add them.")
        self.status.busy_widgets = [self.remove_button, self.test_button]
        layout.addWidget(self.status)

    @property
    def last_error(self) -> str:
        return self.status.last_error

    # -- display -----------------------------------------------------------------------
    def show_models(self, infos: list[ModelInfo], roles: dict[str, list[str]]) -> None:
        self.infos = infos
        self.table.setRowCount(len(infos))
        for row, info in enumerate(infos):
            roles_text = ", ".join(info.roles) or ("default" if info.builtin else "")
            details = f"{info.summary} — {info.problem}" if info.problem else info.summary
            for col, text in enumerate((info.name, info.kind, info.fit.badge, roles_text, details)):
                item = QTableWidgetItem(text)
                item.setToolTip(text + "\n\n" + _tooltip(info) if col == 4 else _tooltip(info))
                if col == 2:
                    item.setForeground(QColor(FIT_COLORS[info.fit.verdict]))
                if info.problem and col == 4:
                    item.setForeground(QColor(FIT_COLORS["wont_fit"]))
                self.table.setItem(row, col, item)
        for col in range(len(COLUMNS) - 1):  # Details, the last, stretches over the rest
            self.table.resizeColumnToContents(col)
        for role, (first, fallback, _) in self.role_rows.items():
            chain = roles.get(role, [])
            self._fill_choices(first, NO_CHOICE, chain[:1])
            self._fill_choices(fallback, NO_FALLBACK, chain[1:2])
            self.show_role_fit(role)

    def _fill_choices(self, combo: QComboBox, empty: str, current: list[str]) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(empty, None)
        for info in self.infos:
            combo.addItem(f"{info.name} · {info.fit.badge}", info.name)
        combo.setCurrentIndex(max(0, combo.findData(current[0])) if current else 0)
        combo.blockSignals(False)

    def info(self, name: str) -> ModelInfo | None:
        return next((i for i in self.infos if i.name == name), None)

    def selected(self) -> ModelInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.infos[rows[0].row()] if rows else None

    def chain(self, role: str) -> list[str]:
        first, fallback, _ = self.role_rows[role]
        return list(dict.fromkeys(n for n in (first.currentData(), fallback.currentData()) if n))

    def show_role_fit(self, role: str) -> None:
        first, _, label = self.role_rows[role]
        info = self.info(first.currentData()) if first.currentData() else None
        if info is None:
            label.setText("")
            return
        label.setText(info.fit.badge)
        label.setStyleSheet(f"color: {FIT_COLORS[info.fit.verdict]}")
        label.setToolTip(info.fit.message + (f"\n{info.fit.suggestion}" if info.fit.suggestion else ""))

    # -- drops -------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasUrls() and gguf_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        paths = gguf_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)


def _tooltip(info: ModelInfo) -> str:
    lines = [info.location, f"Fit: {info.fit.message}"]
    if info.fit.suggestion:
        lines.append(info.fit.suggestion)
    if info.problem:
        lines.append(f"Problem: {info.problem}")
    return "\n".join(lines)


class OllamaDialog(FormDialog):
    """Layout: an Ollama host, its models, details, pull with progress and cancel, the name in Bureau."""

    def __init__(self, host: str, parent: QWidget | None = None) -> None:
        super().__init__("Add an Ollama model", "&Add", parent)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.resize(620, 480)
        form = QFormLayout()
        self.host = QLineEdit(host)
        self.connect_button = QPushButton("Connect")
        row = QHBoxLayout()
        row.addWidget(self.host, 1)
        row.addWidget(self.connect_button)
        form.addRow("Host", row)
        self.models = QListWidget()
        form.addRow("Models", self.models)
        self.details = QLabel("")
        self.details.setWordWrap(True)
        form.addRow("Details", self.details)
        self.pull_name = QLineEdit()
        self.pull_name.setPlaceholderText("e.g. qwen2.5:3b")
        self.pull_button, self.cancel_button, self.delete_button = (QPushButton("Pull"), QPushButton("Cancel pull"),
                                                                    QPushButton("Delete selected"))
        row = QHBoxLayout()
        for widget in (self.pull_name, self.pull_button, self.cancel_button, self.delete_button):
            row.addWidget(widget)
        form.addRow("Pull", row)
        self.bar = QProgressBar()
        form.addRow("", self.bar)
        self.name = QLineEdit()
        form.addRow("Name in Bureau", self.name)
        self.status = StatusLine()
        form.addRow(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def show_details(self, d: OllamaDetails) -> None:
        self.details.setText(f"{d.family} · {d.parameter_size} · {d.quantisation} · context "
                             f"{d.context_length or '?'} · {', '.join(d.capabilities) or '-'}")

    def set_progress(self, fraction: float | None, status: str) -> None:
        if fraction is not None:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(fraction * 1000))
        self.status.say(status)


class ServerDialog(FormDialog):
    """Layout: an OpenAI-compatible server's name, base URL, API key (kept in the OS keyring) and model."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add an OpenAI-compatible server", "&Add", parent)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.resize(560, 300)
        form = QFormLayout()
        self.name = QLineEdit()
        self.base_url = QLineEdit()
        self.base_url.setPlaceholderText("http://192.168.1.20:8000/v1")
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText("optional; stored in the OS keyring")
        self.model = QComboBox()
        self.model.setEditable(True)
        self.test_button = QPushButton("Test connection and list models")
        for label, widget in (("Name in Bureau", self.name), ("Base URL", self.base_url), ("API key", self.api_key),
                              ("Model", self.model), ("", self.test_button)):
            form.addRow(label, widget)
        self.status = StatusLine()
        form.addRow(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
