"""Behaviour of the Models view and its dialogs: every call goes through ``ModelService`` as an ``Op``."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QMessageBox, QVBoxLayout, QWidget

from agents.backends.ollama import OllamaDetails, OllamaModel, PullProgress
from agents.gguf.fit import gb
from app.gui.common.ops import Op, TaskRunner
from app.gui.common.widgets import DialogSlot, StatusLine
from app.gui.llm.view import ModelsView, OllamaDialog, ServerDialog
from app.llm.service import AssignAdvice, ModelInfo, ModelService, TestResult, free_name, suggest_name

T = TypeVar("T")


class ModelsController(QObject):
    """Reads the list, adds, removes, tests and assigns; opens the Ollama and server dialogs."""

    refreshed = Signal()

    def __init__(self, service: ModelService, runner: TaskRunner, view: ModelsView,
                 parent: QObject | None = None) -> None:
        super().__init__(parent or view)
        self.service, self.runner, self.view = service, runner, view
        self.ollama = DialogSlot[OllamaDialog]()
        self.server = DialogSlot[ServerDialog]()
        self._ollama_ctl: OllamaController | None = None
        self._server_ctl: ServerController | None = None
        view.add_gguf_button.clicked.connect(self.choose_gguf)
        view.add_ollama_button.clicked.connect(self.open_ollama)
        view.add_server_button.clicked.connect(self.open_server)
        view.remove_button.clicked.connect(self.remove_selected)
        view.test_button.clicked.connect(self.test_selected)
        view.refresh_button.clicked.connect(self.refresh)
        view.files_dropped.connect(self.add_gguf_files)
        view.assign_requested.connect(self.assign_clicked)

    def _op(self, fn: Callable[[], T], done: Callable[[T], None], label: str) -> None:
        self.view.status.say(label + "…")
        Op(self.runner, fn, owner=self.view).success(done).errors_in(self.view.status).progress(label + "…").run()

    # -- the list ----------------------------------------------------------------------
    def refresh(self) -> None:
        service = self.service
        self._op(lambda: (service.list_models(), service.assignments(), service.memory()), self._show,
                 "Reading the models")

    def _show(self, loaded: tuple[list[ModelInfo], dict[str, list[str]], int]) -> None:
        infos, roles, free = loaded
        self.view.show_models(infos, roles)
        self.view.status.say(f"{len(infos)} model(s); {gb(free)} of memory free now.")
        self.refreshed.emit()

    # -- adding and removing -------------------------------------------------------------
    def choose_gguf(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.view, "Add a GGUF model", str(Path.home()), "GGUF models (*.gguf)")
        if path:
            self.add_gguf_files([Path(path)])

    def add_gguf_files(self, paths: Sequence[Path]) -> None:
        """Check and add each file (named after it); the list shows their metadata and fit."""
        taken = {i.name for i in self.view.infos}
        service = self.service

        def add_all() -> list[str]:
            added = []
            for path in paths:
                name = suggest_name(path, lambda n: n in taken)
                taken.add(name)
                service.add_gguf(name, path)
                added.append(name)
            return added

        self._op(add_all, lambda names: (self.refresh(), self.view.status.say(f"Added {', '.join(names)}.")),
                 "Checking the GGUF file")

    def taken(self, name: str) -> bool:
        return self.view.info(name) is not None

    def remove_selected(self) -> None:
        info = self.view.selected()
        if info is None:
            self.view.status.say("Select a model first.")
            return
        self._op(lambda: self.service.remove(info.name), lambda _: self.refresh(), f"Removing {info.name}")

    def test_selected(self) -> None:
        info = self.view.selected()
        if info is None:
            self.view.status.say("Select a model first.")
            return
        self._op(lambda: self.service.test(info.name), self._tested, f"Testing {info.name}")

    def _tested(self, result: TestResult) -> None:
        speed = "cut off" if result.truncated else f"{result.tokens_per_second:.1f} tokens/s"
        self.view.status.say(f"{result.name} ({speed}): {result.reply}")

    # -- roles --------------------------------------------------------------------------
    def assign_clicked(self, role: str) -> None:
        chain = self.view.chain(role)
        misfits = [i for n in chain if (i := self.view.info(n)) is not None and not i.fit.ok_to_load]
        force = False
        if misfits:
            m = misfits[0]
            answer = QMessageBox.question(self.view, "Model won't fit",
                                          f"{m.name} {m.fit.message}.\n\n{m.fit.suggestion or ''}\n\nAssign it anyway?")
            if answer != QMessageBox.StandardButton.Yes:
                return
            force = True
        self.assign_role(role, chain, force=force)

    def assign_role(self, role: str, chain: list[str], *, force: bool = False) -> None:
        if not chain:
            self._op(lambda: self.service.unassign(role), lambda _: self.refresh(), f"Resetting {role}")
            return

        def done(advice: AssignAdvice) -> None:
            self.refresh()
            self.view.status.say(f"{role} now uses {' → '.join(advice.chain)}.")

        self._op(lambda: self.service.assign(role, chain, force=force), done, f"Assigning {role}")

    # -- dialogs ------------------------------------------------------------------------
    def open_ollama(self) -> OllamaDialog:
        dialog, new = self.ollama.open(lambda: OllamaDialog(self.service.settings.model.ollama_host, self.view))
        if new:
            self._ollama_ctl = OllamaController(self.service, self.runner, dialog, on_added=self.refresh,
                                                taken=self.taken)
        return dialog

    def open_server(self) -> ServerDialog:
        dialog, new = self.server.open(lambda: ServerDialog(self.view))
        if new:
            self._server_ctl = ServerController(self.service, self.runner, dialog, on_added=self.refresh)
        return dialog


class _Progress(QObject):
    """Carries pull progress from the worker thread to the dialog (a queued signal)."""

    changed = Signal(object)


class OllamaController(QObject):
    """Connect to an Ollama host; list, inspect, pull (with progress and cancel) and delete; add one."""

    def __init__(self, service: ModelService, runner: TaskRunner, dialog: OllamaDialog, *,
                 on_added: Callable[[], None], taken: Callable[[str], bool] = lambda name: False) -> None:
        super().__init__(dialog)
        self.service, self.runner, self.dialog, self.on_added, self.taken = service, runner, dialog, on_added, taken
        self.cancel_pull = threading.Event()
        self._progress = _Progress(self)
        self._progress.changed.connect(lambda p: dialog.set_progress(p.fraction, p.status))
        dialog.connect_button.clicked.connect(self.connect_host)
        dialog.models.currentTextChanged.connect(self.show_details)
        dialog.pull_button.clicked.connect(self.pull)
        dialog.cancel_button.clicked.connect(self.cancel_pull.set)
        dialog.delete_button.clicked.connect(self.delete_selected)
        dialog.submitted.connect(self.add)

    def _op(self, fn: Callable[[], T], done: Callable[[T], None], sink: Any = None) -> None:
        Op(self.runner, fn, owner=self.dialog).success(done).errors_in(sink or self.dialog.status).run()

    def connect_host(self) -> None:
        host = self.dialog.host.text()
        self.dialog.status.say(f"Connecting to {host}…")
        self._op(lambda: self.service.ollama_list(host), self._listed)

    def _listed(self, models: list[OllamaModel]) -> None:
        d = self.dialog
        d.models.clear()
        d.models.addItems([m.name for m in models])
        d.status.say(f"{len(models)} model(s) on {d.host.text()}." if models else "No models there yet: pull one by name.")

    def show_details(self, model: str) -> None:
        if model:
            self.dialog.name.setText(free_name(model.replace(":", "-"), self.taken, suffix="ollama"))
            host = self.dialog.host.text()
            self._op(lambda: self.service.ollama_show(model, host), self._details)

    def _details(self, d: OllamaDetails) -> None:
        self.dialog.show_details(d)

    def pull(self) -> None:
        d = self.dialog
        model, host = d.pull_name.text().strip(), d.host.text()
        if not model:
            return
        self.cancel_pull.clear()
        d.bar.setRange(0, 0)
        d.status.say(f"Pulling {model}…")
        emit = self._progress.changed.emit

        def progress(p: PullProgress) -> None:
            emit(p)

        self._op(lambda: self.service.ollama_pull(model, host, on_progress=progress, cancelled=self.cancel_pull.is_set),
                 lambda _: (d.status.say(f"Pulled {model}."), self.connect_host()))

    def delete_selected(self) -> None:
        item = self.dialog.models.currentItem()
        if item is not None:
            model, host = item.text(), self.dialog.host.text()
            self._op(lambda: self.service.ollama_delete(model, host), lambda _: self.connect_host())

    def add(self) -> None:
        d = self.dialog
        item = d.models.currentItem()
        if item is None:
            d.show_error("Choose a model from the list (connect first).")
            return
        model, host = item.text(), d.host.text()
        name = d.name.text().strip() or free_name(model.replace(":", "-"), self.taken, suffix="ollama")
        self._op(lambda: self.service.add_ollama(name, model, host=host), lambda _: (self.on_added(), d.accept()),
                 sink=d)


class ServerController(QObject):
    """An OpenAI-compatible server: test the connection and list its models; add it."""

    def __init__(self, service: ModelService, runner: TaskRunner, dialog: ServerDialog, *,
                 on_added: Callable[[], None]) -> None:
        super().__init__(dialog)
        self.service, self.runner, self.dialog, self.on_added = service, runner, dialog, on_added
        dialog.test_button.clicked.connect(self.test_connection)
        dialog.submitted.connect(self.add)

    def test_connection(self) -> None:
        d = self.dialog
        url, key = d.base_url.text(), d.api_key.text() or None
        d.status.say(f"Connecting to {url}…")
        Op(self.runner, lambda: self.service.openai_models(url, key), owner=d).success(self._listed) \
            .errors_in(d.status).run()

    def _listed(self, models: list[Any]) -> None:
        self.dialog.model.clear()
        self.dialog.model.addItems([m.id for m in models])
        self.dialog.status.say(f"Connected: {len(models)} model(s).")

    def add(self) -> None:
        d = self.dialog
        name, model = d.name.text().strip(), d.model.currentText().strip()
        url, key = d.base_url.text(), d.api_key.text() or None
        Op(self.runner, lambda: self.service.add_openai(name, model, base_url=url, api_key=key), owner=d) \
            .success(lambda _: (d.api_key.clear(), self.on_added(), d.accept())).errors_in(d).run()


class ModelsWindow(QDialog):
    """The Models view in a window of its own, beside the board (not modal); one per main window."""

    def __init__(self, service: ModelService, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("models-window")
        self.setWindowTitle("Models")
        self.setModal(False)
        self.resize(980, 620)
        self.view = ModelsView(service.roles(), self)
        self.controller = ModelsController(service, runner, self.view, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.controller.refresh()


__all__ = ["ModelsController", "ModelsWindow", "OllamaController", "ServerController", "StatusLine"]
