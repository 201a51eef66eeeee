"""The Models view: every model with its fit badge, adding GGUF files (file dialog or drag and
drop), Ollama models (connect, list, pull with progress and cancel, delete, details) and
OpenAI-compatible servers (URL, key, list, test), choosing each role's model and fallback,
and a test request. All work goes through ``ModelService`` on the background ``TaskRunner``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agents.gguf.fit import gb
from agents.backends.ollama import OllamaDetails, OllamaModel, PullProgress
from app.gui.common.errors import ReadableError
from app.gui.common.ops import TaskRunner
from app.llm.service import AssignAdvice, ModelInfo, ModelService, TestResult, free_name, suggest_name

FIT_COLORS = {"fits": "#2e7d32", "tight": "#b26a00", "wont_fit": "#c62828", "remote": "#1565c0", "unknown": "#616161"}
COLUMNS = ("Name", "Kind", "Fit", "Roles", "Details")
NO_CHOICE = "(default model)"
NO_FALLBACK = "(no fallback)"


def explain(exc: BaseException) -> str:
    error = ReadableError.of(exc)
    return f"{error.message} {error.fix or ''}".strip()


def gguf_paths(urls: Sequence[Any]) -> list[Path]:
    """The local .gguf files among dropped URLs."""
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile() and u.toLocalFile().lower().endswith(".gguf")]


class ModelsView(QWidget):
    """The Models view. ``refreshed`` fires after each reload of the list."""

    refreshed = Signal()

    def __init__(self, service: ModelService, runner: TaskRunner | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.runner = runner or TaskRunner(self.show_error, parent=self)
        self.infos: list[ModelInfo] = []
        self.last_error = ""
        self.setAcceptDrops(True)
        self._build()
        self.refresh()

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        buttons = QHBoxLayout()
        for text, slot, tip in (("Add GGUF file…", self.choose_gguf, "Or drop .gguf files on this view"),
                                ("Add Ollama model…", self.open_ollama, "Connect to an Ollama server"),
                                ("Add server…", self.open_server, "llama.cpp server, LM Studio, vLLM"),
                                ("Remove", self.remove_selected, "Remove the selected model from Bureau"),
                                ("Test", self.test_selected, "Send one short request to the selected model"),
                                ("Refresh", self.refresh, "Read the list and free memory again")):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 2)
        roles = QGroupBox("Which model each role uses (the fallback answers when the first is unreachable)")
        grid = QGridLayout(roles)
        self.role_rows: dict[str, tuple[QComboBox, QComboBox, QLabel]] = {}
        for row, role in enumerate(self.service.roles()):
            first, fallback, fit = QComboBox(), QComboBox(), QLabel()
            assign = QPushButton("Assign")
            assign.clicked.connect(lambda _=False, r=role: self.assign_clicked(r))
            first.currentIndexChanged.connect(lambda _=0, r=role: self._show_role_fit(r))
            for col, widget in enumerate((QLabel(role), first, fallback, fit, assign)):
                grid.addWidget(widget, row, col)
            self.role_rows[role] = (first, fallback, fit)
        layout.addWidget(roles, 1)
        self.status = QLabel("Drop .gguf files here to add them.")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)

    # -- background helpers ------------------------------------------------------------
    def run(self, fn: Callable[[], Any], done: Callable[[Any], None], label: str) -> None:
        self.say(label + "…")
        self.runner.run(fn, on_success=done, on_failure=self.show_error, owner=self, label=label)

    def say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet(f"color: {FIT_COLORS['wont_fit']}" if error else "")
        self.status.setText(text)

    def show_error(self, exc: BaseException) -> None:
        self.last_error = explain(exc)
        self.say(self.last_error, error=True)

    # -- the list ----------------------------------------------------------------------
    def refresh(self) -> None:
        self.run(lambda: (self.service.list_models(), self.service.assignments(), self.service.memory()),
                 self._show, "Reading the models")

    def _show(self, loaded: tuple[list[ModelInfo], dict[str, list[str]], int]) -> None:
        self.infos, roles, free = loaded
        self.table.setRowCount(len(self.infos))
        for row, info in enumerate(self.infos):
            roles_text = ", ".join(info.roles) or ("default" if info.builtin else "")
            details = f"{info.summary} — {info.problem}" if info.problem else info.summary
            cells = (info.name, info.kind, info.fit.badge, roles_text, details)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(self._tooltip(info))
                if col == 2:
                    item.setForeground(QColor(FIT_COLORS[info.fit.verdict]))
                if info.problem and col == 4:
                    item.setForeground(QColor(FIT_COLORS["wont_fit"]))
                self.table.setItem(row, col, item)
        for col in range(len(COLUMNS) - 1):  # Details, the last, stretches over the rest
            self.table.resizeColumnToContents(col)
        for role, (first, fallback, _) in self.role_rows.items():
            self._fill_choices(first, NO_CHOICE, roles[role][:1])
            self._fill_choices(fallback, NO_FALLBACK, roles[role][1:2])
            self._show_role_fit(role)
        self.say(f"{len(self.infos)} model(s); {gb(free)} of memory free now.")
        self.refreshed.emit()

    @staticmethod
    def _tooltip(info: ModelInfo) -> str:
        lines = [info.location, f"Fit: {info.fit.message}"]
        if info.fit.suggestion:
            lines.append(info.fit.suggestion)
        if info.problem:
            lines.append(f"Problem: {info.problem}")
        return "\n".join(lines)

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

    # -- adding and removing -------------------------------------------------------------
    def choose_gguf(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Add a GGUF model", str(Path.home()), "GGUF models (*.gguf)")
        if path:
            self.add_gguf_files([Path(path)])

    def add_gguf_files(self, paths: Sequence[Path]) -> None:
        """Check and add each file (named after it); the list shows their metadata and fit."""
        taken = {i.name for i in self.infos}

        def add_all() -> list[str]:
            added = []
            for path in paths:
                name = suggest_name(path, lambda n: n in taken)
                taken.add(name)
                self.service.add_gguf(name, path)
                added.append(name)
            return added

        self.run(add_all, lambda names: (self.refresh(), self.say(f"Added {', '.join(names)}.")),
                 "Checking the GGUF file")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasUrls() and gguf_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        paths = gguf_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.add_gguf_files(paths)

    def open_ollama(self) -> None:
        OllamaDialog(self.service, self.runner, on_added=self.refresh, taken=self.taken, parent=self).open()

    def taken(self, name: str) -> bool:
        return self.info(name) is not None

    def open_server(self) -> None:
        ServerDialog(self.service, self.runner, on_added=self.refresh, parent=self).open()

    def remove_selected(self) -> None:
        info = self.selected()
        if info is None:
            return self.say("Select a model first.")
        self.run(lambda: self.service.remove(info.name), lambda _: self.refresh(), f"Removing {info.name}")
        return None

    def test_selected(self) -> None:
        info = self.selected()
        if info is None:
            return self.say("Select a model first.")
        self.run(lambda: self.service.test(info.name), self._tested, f"Testing {info.name}")
        return None

    def _tested(self, result: TestResult) -> None:
        speed = "cut off" if result.truncated else f"{result.tokens_per_second:.1f} tokens/s"
        self.say(f"{result.name} ({speed}): {result.reply}")

    # -- roles ------------------------------------------------------------------------------
    def _chain(self, role: str) -> list[str]:
        first, fallback, _ = self.role_rows[role]
        chain = [n for n in (first.currentData(), fallback.currentData()) if n]
        return list(dict.fromkeys(chain))

    def _show_role_fit(self, role: str) -> None:
        first, _, label = self.role_rows[role]
        info = self.info(first.currentData()) if first.currentData() else None
        if info is None:
            label.setText("")
            return
        label.setText(info.fit.badge)
        label.setStyleSheet(f"color: {FIT_COLORS[info.fit.verdict]}")
        label.setToolTip(info.fit.message + (f"\n{info.fit.suggestion}" if info.fit.suggestion else ""))

    def assign_clicked(self, role: str) -> None:
        chain = self._chain(role)
        misfits = [i for n in chain if (i := self.info(n)) is not None and not i.fit.ok_to_load]
        force = False
        if misfits:
            m = misfits[0]
            answer = QMessageBox.question(self, "Model won't fit",
                                          f"{m.name} {m.fit.message}.\n\n{m.fit.suggestion or ''}\n\nAssign it anyway?")
            if answer != QMessageBox.StandardButton.Yes:
                return
            force = True
        self.assign_role(role, chain, force=force)

    def assign_role(self, role: str, chain: list[str], *, force: bool = False) -> None:
        if not chain:
            self.run(lambda: self.service.unassign(role), lambda _: self.refresh(), f"Resetting {role}")
            return

        def done(advice: AssignAdvice) -> None:
            self.refresh()
            self.say(f"{role} now uses {' → '.join(advice.chain)}.")

        self.run(lambda: self.service.assign(role, chain, force=force), done, f"Assigning {role}")


class _Progress(QObject):
    """Carries pull progress from the worker thread to the dialog (a queued signal)."""

    changed = Signal(object)


class OllamaDialog(QDialog):
    """Connect to an Ollama host; list, inspect, pull (with progress and cancel) and delete; add one."""

    def __init__(self, service: ModelService, runner: TaskRunner, *, on_added: Callable[[], None],
                 taken: Callable[[str], bool] = lambda name: False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add an Ollama model")
        self.service, self.runner, self.on_added, self.taken = service, runner, on_added, taken
        self.cancel_pull = threading.Event()
        self.progress_signal = _Progress(self)
        self.progress_signal.changed.connect(self._progress)
        form = QFormLayout(self)
        self.host = QLineEdit(service.settings.model.ollama_host)
        connect = QPushButton("Connect")
        connect.clicked.connect(self.connect_host)
        row = QHBoxLayout()
        row.addWidget(self.host, 1)
        row.addWidget(connect)
        form.addRow("Host", row)
        self.models = QListWidget()
        self.models.currentTextChanged.connect(self.show_details)
        form.addRow("Models", self.models)
        self.details = QLabel("")
        self.details.setWordWrap(True)
        form.addRow("Details", self.details)
        self.pull_name = QLineEdit()
        self.pull_name.setPlaceholderText("e.g. qwen2.5:3b")
        self.pull_button, self.cancel_button, self.delete_button = (QPushButton("Pull"), QPushButton("Cancel pull"),
                                                                    QPushButton("Delete selected"))
        self.pull_button.clicked.connect(self.pull)
        self.cancel_button.clicked.connect(self.cancel_pull.set)
        self.delete_button.clicked.connect(self.delete_selected)
        row = QHBoxLayout()
        for widget in (self.pull_name, self.pull_button, self.cancel_button, self.delete_button):
            row.addWidget(widget)
        form.addRow("Pull", row)
        self.bar = QProgressBar()
        form.addRow("", self.bar)
        self.name = QLineEdit()
        form.addRow("Name in Bureau", self.name)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        form.addRow(self.status)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
        box.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        box.accepted.connect(self.add)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def _run(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.runner.run(fn, on_success=done, on_failure=lambda e: self.status.setText(explain(e)), owner=self)

    def connect_host(self) -> None:
        host = self.host.text()
        self.status.setText(f"Connecting to {host}…")
        self._run(lambda: self.service.ollama_list(host), self._listed)

    def _listed(self, models: list[OllamaModel]) -> None:
        self.models.clear()
        self.models.addItems([m.name for m in models])
        self.status.setText(f"{len(models)} model(s) on {self.host.text()}." if models else
                            "No models there yet: pull one by name.")

    def show_details(self, model: str) -> None:
        if model:
            self.name.setText(free_name(model.replace(":", "-"), self.taken, suffix="ollama"))
            self._run(lambda: self.service.ollama_show(model, self.host.text()), self._details)

    def _details(self, d: OllamaDetails) -> None:
        self.details.setText(f"{d.family} · {d.parameter_size} · {d.quantisation} · context "
                             f"{d.context_length or '?'} · {', '.join(d.capabilities) or '-'}")

    def pull(self) -> None:
        model, host = self.pull_name.text().strip(), self.host.text()
        if not model:
            return
        self.cancel_pull.clear()
        self.bar.setRange(0, 0)
        self.status.setText(f"Pulling {model}…")
        self._run(lambda: self.service.ollama_pull(model, host, on_progress=self.progress_signal.changed.emit,
                                                   cancelled=self.cancel_pull.is_set),
                  lambda _: (self.status.setText(f"Pulled {model}."), self.connect_host()))

    def _progress(self, progress: PullProgress) -> None:
        if progress.fraction is not None:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(progress.fraction * 1000))
        self.status.setText(progress.status)

    def delete_selected(self) -> None:
        item = self.models.currentItem()
        if item is not None:
            model = item.text()
            self._run(lambda: self.service.ollama_delete(model, self.host.text()), lambda _: self.connect_host())

    def add(self) -> None:
        item = self.models.currentItem()
        if item is None:
            self.status.setText("Choose a model from the list (connect first).")
            return
        model, host = item.text(), self.host.text()
        name = self.name.text().strip() or free_name(model.replace(":", "-"), self.taken, suffix="ollama")
        self._run(lambda: self.service.add_ollama(name, model, host=host), lambda _: (self.on_added(), self.accept()))


class ServerDialog(QDialog):
    """An OpenAI-compatible server: base URL, optional API key (kept in the OS keyring), model, test."""

    def __init__(self, service: ModelService, runner: TaskRunner, *, on_added: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add an OpenAI-compatible server")
        self.service, self.runner, self.on_added = service, runner, on_added
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.base_url = QLineEdit()
        self.base_url.setPlaceholderText("http://192.168.1.20:8000/v1")
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText("optional; stored in the OS keyring")
        self.model = QComboBox()
        self.model.setEditable(True)
        test = QPushButton("Test connection and list models")
        test.clicked.connect(self.test_connection)
        for label, widget in (("Name in Bureau", self.name), ("Base URL", self.base_url), ("API key", self.api_key),
                              ("Model", self.model), ("", test)):
            form.addRow(label, widget)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        form.addRow(self.status)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        box.accepted.connect(self.add)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def _run(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.runner.run(fn, on_success=done, on_failure=lambda e: self.status.setText(explain(e)), owner=self)

    def test_connection(self) -> None:
        url, key = self.base_url.text(), self.api_key.text() or None
        self.status.setText(f"Connecting to {url}…")
        self._run(lambda: self.service.openai_models(url, key), self._listed)

    def _listed(self, models: list[Any]) -> None:
        self.model.clear()
        self.model.addItems([m.id for m in models])
        self.status.setText(f"Connected: {len(models)} model(s).")

    def add(self) -> None:
        name, model = self.name.text().strip(), self.model.currentText().strip()
        url, key = self.base_url.text(), self.api_key.text() or None
        self._run(lambda: self.service.add_openai(name, model, base_url=url, api_key=key),
                  lambda _: (self.api_key.clear(), self.on_added(), self.accept()))
