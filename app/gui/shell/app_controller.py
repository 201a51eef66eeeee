"""The desktop app put together: one company, its window, the engine thread, and an ordered shutdown."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.tasks.queries import CardRow
from app.core.errors import BureauError
from app.gui.detail.actions import TaskActions
from app.gui.board.controller import BoardController
from app.gui.detail.controller import DetailController
from app.gui.shell.dialogs import ModelsDialog, NewTaskDialog, NewTaskForm, SettingsDialog
from app.gui.shell.engine_host import EngineHost, load_default_model
from app.gui.common.errors import ErrorReporter, ReadableError
from app.gui.common.feed import StoreFeed, StreamBuffer
from app.gui.shell.founder import FounderSignals
from app.gui.shell.memory import WindowMemory
from app.gui.board.item_models import ALL_COLUMNS, BoardModel
from app.gui.relay.controller import RelayStatus, attach_hybrid
from app.gui.routing.controller import RoutingController
from app.gui.common.ops import TaskRunner
from app.gui.common.team_directory import TeamDirectory
from app.gui.shell.window import MainWindow
from app.gui.insights.controller import InsightsWindow, open_insights
from app.llm.service import ModelService
from app.company import Company
from app.tasks.service import NewTask
from app.core.settings import AutopilotPolicy
from app.store.rows import TaskRow as Task

log = logging.getLogger(__name__)

SHUTDOWN_SECONDS = 5.0
EXAMPLES: tuple[str, ...] = (
    "Write a short blog post about keeping a tidy desk",
    "Fix the bug where the signup form accepts an empty password",
    "Reply to a customer who was charged twice for their subscription this month",
    "Write three social media posts announcing our new dark mode",
)


@dataclass(frozen=True)
class ShutdownReport:
    seconds: float
    engine_stopped: bool
    background_idle: bool


class AppController(QObject):
    """Builds the window and the controllers for ``company`` and runs their life cycle."""

    model_ready = Signal(str)

    def __init__(self, company: Company, *, reporter: ErrorReporter | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.company = company
        self.reporter = reporter or ErrorReporter(lambda: self.window)
        self.runner = TaskRunner(self.reporter.report, parent=self)
        self.teams = TeamDirectory(company.routing, self.runner, self)
        self.team_colors = self.teams.colors
        self.board_model = BoardModel(self.team_colors, self)
        self.window = MainWindow([self.board_model.columns[s] for s in ALL_COLUMNS],
                                 self.teams.names, EXAMPLES)
        self.feed = StoreFeed(company.db, self.runner, parent=self)
        self.stream = StreamBuffer(parent=self)
        self.engine = EngineHost(company.engine(on_stream=self.stream.push), company, self)
        self.actions = TaskActions(company.tasks, self.runner, lambda: self.window, self.board_model.card,
                                   lambda: self.teams.names, self)
        self.board = BoardController(company.db, self.board_model, self.window.board, self.window.filters,
                                     self.runner, self.feed, self.actions, self)
        self.detail = DetailController(company.tasks, company.home, self.window.detail, self.runner, self.feed,
                                       self.stream, self.team_colors, self.actions, self)
        self.founder = FounderSignals(self.window, self)
        self.memory = WindowMemory(company.home)
        self.new_task_dialog: NewTaskDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.routing_settings: RoutingController | None = None
        self.models_dialog: ModelsDialog | None = None
        self.insights: InsightsWindow | None = None
        self.model_name: str | None = None
        self.shutdown_report: ShutdownReport | None = None
        self._select_when_seen: int | None = None
        self.relay_status = RelayStatus(company, self.window)
        self.window.statusBar().addPermanentWidget(self.relay_status)
        self._wire()

    def _wire(self) -> None:
        w = self.window
        w.set_task_actions(self.actions.ordered)
        w.closing.connect(self.shutdown)
        w.new_task_action.triggered.connect(self.open_new_task)
        w.welcome.new_task.clicked.connect(self.open_new_task)
        w.welcome.example_clicked.connect(self.submit_example)
        w.settings_action.triggered.connect(self.open_settings)
        w.models_action.triggered.connect(self.open_models)
        w.schedules_action.triggered.connect(self.open_schedules)
        w.pause_action.toggled.connect(self._set_paused)
        w.quit_action.triggered.connect(w.close)
        w.find_action.triggered.connect(self._focus_search)
        w.filters.closed.toggled.connect(w.show_closed_action.setChecked)
        w.show_closed_action.toggled.connect(w.filters.closed.setChecked)
        w.focus_board_action.triggered.connect(self.board.focus_board)
        w.import_action.triggered.connect(self.import_tasks)
        w.about_action.triggered.connect(self._about)
        w.insights_action.triggered.connect(self.open_insights)
        self.runner.activity_changed.connect(w.set_activity)
        self.actions.message.connect(lambda text: w.statusBar().showMessage(text, 8000))
        self.board.selection_changed.connect(self.detail.show)
        self.board_model.counts_changed.connect(self._on_counts)
        self.board_model.status_changed.connect(self.founder.on_status_changed)
        self.board_model.status_changed.connect(lambda _old, new: self.teams.know(new.team))
        self.teams.changed.connect(self._on_teams_changed)
        self.founder.show_task.connect(self.board.select_task)
        self.feed.trouble.connect(lambda exc: w.statusBar().showMessage(
            f"Could not read the latest changes: {ReadableError.of(exc).message}", 8000))
        self.engine.crashed.connect(self._engine_crashed)
        for column in w.board.columns.values():
            column.list.activated_by_key.connect(w.detail.tabs.setFocus)  # Enter on a card: into its detail

    def _focus_search(self) -> None:
        self.window.filters.search.setFocus()
        self.window.filters.search.selectAll()

    # -- life cycle --------------------------------------------------------------------
    def start(self) -> None:
        self.memory.restore(self.window)
        self.window.show_board(True)
        self.window.show()
        self.board.load()
        self.teams.refresh()
        self.company.start_schedules()  # schedules fire while the app is open (stopped by company.close)
        self.window.welcome.set_model_state(
            "Loading the model (SmolLM2-135M, about 100 MB; a few seconds). Tasks you add now start "
            "as soon as it is ready.", busy=True)
        self.window.engine_state.setText("Loading the model…")
        self.runner.run(lambda: load_default_model(self.company), on_success=self._on_model_ready,
                        on_failure=self._on_model_failed, label="Loading the model…")

    def _on_model_ready(self, name: str) -> None:
        self.model_name = name
        self.window.welcome.set_model_state(f"The model {name} is loaded and the company is at work.", busy=False)
        self.engine.start()
        self._show_engine_state()
        self.model_ready.emit(name)

    def _on_model_failed(self, exc: BaseException) -> None:
        error = ReadableError.of(exc)
        self.window.welcome.set_model_state(f"The model could not be loaded: {error.message} {error.fix or ''}",
                                            busy=False)
        self.window.engine_state.setText("Stopped: no model")
        self.reporter.report(exc)

    def _engine_crashed(self, exc: BaseException) -> None:
        self.window.engine_state.setText("Stopped after an error")
        self.reporter.report(exc)

    def _set_paused(self, paused: bool) -> None:
        self.engine.set_paused(paused)
        self._show_engine_state()

    def _show_engine_state(self) -> None:
        if not self.engine.running:
            return
        model = self.model_name or "model"
        self.window.engine_state.setText(f"Paused ({model})" if self.engine.paused else f"Working on {model}")

    def shutdown(self) -> ShutdownReport:
        """Stop in order: observers, the engine thread, background work, then the store. Within 5 s."""
        if self.shutdown_report is not None:
            return self.shutdown_report
        started = time.monotonic()
        self.memory.save(self.window)
        self.board.stop()
        self.feed.stop()
        self.stream.close()
        engine_stopped = self.engine.stop(timeout=SHUTDOWN_SECONDS - 1.0)
        self.runner.close()
        idle = self.runner.wait_idle(max(0.1, SHUTDOWN_SECONDS - (time.monotonic() - started)))
        self.founder.hide()
        if engine_stopped and idle:
            self.company.close()
        else:  # closing the model under a running step could crash; the process ends anyway
            log.warning("shutdown: engine stopped=%s, background idle=%s; left the store open", engine_stopped, idle)
        self.shutdown_report = ShutdownReport(time.monotonic() - started, engine_stopped, idle)
        log.info("shutdown in %.2f s", self.shutdown_report.seconds)
        return self.shutdown_report

    # -- board signals -----------------------------------------------------------------
    def _on_teams_changed(self) -> None:
        self.window.filters.set_teams(self.teams.names)
        self.board_model.touch_ages()  # repaint: a card's colour may be known now

    def _on_counts(self) -> None:
        model = self.board_model
        for status, column in self.window.board.columns.items():
            column.set_count(model.visible_count(status), model.total(status))
        self.founder.set_waiting(model.waiting_for_founder)
        if model.loaded:
            self.window.show_board(model.task_count > 0)
        if self._select_when_seen is not None and model.card(self._select_when_seen) is not None:
            self.board.select_task(self._select_when_seen)
            self._select_when_seen = None

    # -- new tasks ---------------------------------------------------------------------
    def open_new_task(self) -> None:
        if self.new_task_dialog is not None and self.new_task_dialog.isVisible():
            self.new_task_dialog.raise_()
            return
        dialog = NewTaskDialog(self.teams.names, self.window)
        dialog.submitted.connect(lambda: self._submit(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.new_task_dialog = dialog
        dialog.open()

    def _submit(self, dialog: NewTaskDialog) -> None:
        form = dialog.values()

        def done(task: Task) -> None:
            dialog.accept()
            self._submitted(task)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, BureauError):
                dialog.show_error(exc.message, exc.fix)
            else:
                self.reporter.report(exc)

        self.runner.run(lambda: self.company.tasks.submit(_new_task(form)), owner=dialog, on_success=done,
                        on_failure=failed, label="Adding the task…")

    def submit_example(self, text: str) -> None:
        self.runner.run(lambda: self.company.tasks.submit(NewTask(text=text, source="desktop")),
                        on_success=self._submitted, label="Adding the task…")

    def _submitted(self, task: Task) -> None:
        self.window.statusBar().showMessage(f"Task {task.id} added: the CEO will route it.", 8000)
        self._select_when_seen = task.id
        self._on_counts()

    def import_tasks(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Import tasks", str(Path.home()),
                                              "Tasks (*.jsonl *.json *.csv);;All files (*)")
        if path:
            self.runner.run(lambda: self.company.tasks.import_file(Path(path)), label="Importing tasks…",
                            on_success=lambda tasks: self.window.statusBar().showMessage(
                                f"Imported {len(tasks)} task(s).", 8000))

    # -- settings ----------------------------------------------------------------------
    def open_settings(self) -> None:
        if self.settings_dialog is not None and shiboken6.isValid(self.settings_dialog) \
                and self.settings_dialog.isVisible():
            self.settings_dialog.raise_()
            return
        policy = self.company.settings.autopilot
        dialog = SettingsDialog(policy.mode, policy.threshold, self.window)
        dialog.submitted.connect(lambda: self._save_settings(dialog))
        dialog.finished.connect(dialog.deleteLater)
        routing = RoutingController(self.company.routing, self.runner, dialog.routing, dialog)
        routing.teams_changed.connect(self.teams.refresh)
        attach_hybrid(dialog.tabs, self.company, self.runner, dialog)
        self.settings_dialog, self.routing_settings = dialog, routing
        dialog.open()
        routing.load()

    def _save_settings(self, dialog: SettingsDialog) -> None:
        company = self.company
        policy = AutopilotPolicy(mode=dialog.mode(), threshold=dialog.threshold())  # type: ignore[arg-type]

        def done(_saved: object) -> None:
            dialog.accept()
            self.window.statusBar().showMessage("Settings saved; they apply to the next decision.", 8000)

        def failed(exc: BaseException) -> None:
            error = ReadableError.of(exc)
            dialog.show_error(error.message, error.fix)

        # Saved first, then swapped in: a failed save leaves the settings in effect unchanged.
        self.runner.run(lambda: company.update_settings(autopilot=policy), owner=dialog, on_success=done,
                        on_failure=failed,
                        label="Saving settings…")

    # -- models ------------------------------------------------------------------------
    def open_models(self) -> None:
        """The Models view beside the board; one window, brought forward (and re-read) when asked again."""
        dialog = self.models_dialog
        if dialog is None or not shiboken6.isValid(dialog):
            c = self.company
            dialog = self.models_dialog = ModelsDialog(ModelService(c.home, c.settings_source, c.models), self.runner,
                                                       self.window)
        elif not dialog.isVisible():
            dialog.view.refresh()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def open_schedules(self) -> None:
        """The Schedules window (rule in words, next and last run, pause, add); one, brought forward."""
        from app.gui.schedules.controller import SchedulesController

        if getattr(self, "schedules", None) is None:
            self.schedules = SchedulesController(self.company.schedules, self.runner, lambda: self.teams.names, self,
                                                 window_parent=self.window)
        self.schedules.show()

    def open_insights(self) -> None:
        if self.insights is None or not shiboken6.isValid(self.insights):
            self.insights = open_insights(None, self.company.db, self.runner, self.team_colors, self.window)
            self.insights.controller.show_tasks.connect(self.board.show_only)
        else:
            open_insights(self.insights, self.company.db, self.runner, self.team_colors, self.window)

    def _about(self) -> None:
        QMessageBox.about(self.window, "About Bureau",
                          "<b>Bureau</b><br>A small AI company on your own laptop: a CEO agent routes each "
                          "task to one of six teams, the teams work on a local model, and you decide on "
                          f"the board.<br><br>Data folder: {self.company.home}")

    def selected_card(self) -> CardRow | None:
        return self.board_model.card(self.board.selected_id) if self.board.selected_id is not None else None


def _new_task(form: NewTaskForm) -> NewTask:
    return NewTask(text=form.text, title=form.title, priority=form.priority, due=form.due, team=form.team,
                   sensitive=form.sensitive, source="desktop")
