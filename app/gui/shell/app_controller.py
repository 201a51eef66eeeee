"""The desktop app put together: one company, its window, the feature controllers, start and shutdown.

Only wiring lives here. Behaviour lives in the feature controllers: the board (``board/``),
new tasks and import (``board/intake.py``), the task panel and actions (``detail/``), settings
(``settings/``), the feature views of ``shell/features.py`` (Models, and whatever is added
there), the company's status (``shell/status.py``) and help (``shell/help.py``).
"""

from __future__ import annotations

import gc
import logging
import time
from dataclasses import dataclass
from datetime import date

import shiboken6

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget

from app.company import Company
from app.gui.board.controller import BoardController
from app.gui.board.intake import IntakeController
from app.gui.board.item_models import ALL_COLUMNS, BoardModel
from app.gui.common.errors import ErrorReporter, ReadableError
from app.gui.common.feed import StoreFeed, StreamBuffer
from app.gui.common.ops import TaskRunner
from app.gui.common.team_directory import TeamDirectory
from app.gui.common.theme import apply_theme
from app.gui.common.widgets import DialogSlot
from app.gui.detail.actions import TaskActions, UndoEntry
from app.gui.detail.controller import DetailController
from app.gui.detail.plan_edit import PlanEditor
from app.gui.detail.drafts_controller import DraftsController
from app.gui.workspace.change_controller import ChangeController
from app.gui.relay.controller import RelayStatus
from app.gui.settings.controller import SettingsController
from app.gui.shell.engine_host import EngineHost
from app.gui.shell.features import FEATURE_VIEWS, Opener, ShellContext
from app.gui.shell.founder import FounderSignals
from app.gui.shell.help import HelpDialog
from app.gui.shell.memory import WindowMemory
from app.gui.shell.status import CompanyStatus
from app.gui.shell.window import MainWindow
from app.tasks.queries import CardRow

log = logging.getLogger(__name__)

SHUTDOWN_SECONDS = 5.0
NEEDS_YOU_MS = 10 * 60_000  # the overdue count follows the calendar too
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

    def __init__(self, company: Company, *, reporter: ErrorReporter | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.company = company
        self.reporter = reporter or ErrorReporter(lambda: self.window)
        self.runner = TaskRunner(self.reporter.report, parent=self)
        self.teams = TeamDirectory(company.routing, self.runner, self)
        self.board_model = BoardModel(self.teams.colors, self)
        self.window = MainWindow([self.board_model.columns[s] for s in ALL_COLUMNS], self.teams.names, EXAMPLES)
        w = self.window
        self.feed = StoreFeed(company.db, self.runner, parent=self)
        self.stream = StreamBuffer(parent=self)
        self.engine = EngineHost(company.engine(on_stream=self.stream.push), company, self)
        self.actions = TaskActions(company.tasks, self.runner, lambda: w, self.board_model.card,
                                   lambda: self.teams.names, self)
        self.board = BoardController(company.db, self.board_model, w.board, w.filters, self.runner, self.feed,
                                     self.actions, self)
        self.detail = DetailController(company.tasks, company.home, w.detail, self.runner, self.feed, self.stream,
                                       self.teams.colors, self.actions, self)
        self.plan_editor = PlanEditor(company.plans, lambda task_id: company.tasks.get(task_id).text, self.runner,
                                      lambda: w, lambda: self.teams.names, self)
        self.actions.card_set.connect(self.plan_editor.set_card)
        w.detail.set_plan_action(self.plan_editor.action)
        self.drafts = DraftsController(company.outbound, self.runner, w.detail.drafts,
                                       sender_name=lambda: company.profile().sender_name,
                                       set_title=w.detail.set_drafts_waiting, parent=self)
        self.detail.task_shown.connect(self.drafts.load)
        self.change = ChangeController(company.deliveries, company.tasks, self.runner, w.detail.change,
                                       show_tab=w.detail.set_change_shown, parent=self)
        self.detail.task_shown.connect(self.change.load)
        self.intake = IntakeController(company.tasks, self.runner, lambda: w, lambda: self.teams.names, self,
                                       schedules=lambda: company.schedules)
        self.settings = SettingsController(company, self.runner, lambda: w, self)
        self.status = CompanyStatus(company, self.engine, w, self.board_model, self.runner, self.reporter, self)
        self.founder = FounderSignals(w, lambda: company.settings.notifications, self)
        self.memory = WindowMemory(company.home)
        self.help = DialogSlot[HelpDialog]()
        self.relay_status = RelayStatus(company, self.window)
        self.window.statusBar().addPermanentWidget(self.relay_status)
        self.features: dict[str, Opener] = {}
        self.feature_windows: dict[str, QWidget | None] = {}
        self.shutdown_report: ShutdownReport | None = None
        self._needs_you_timer = QTimer(self)
        self._needs_you_timer.setInterval(NEEDS_YOU_MS)
        self._add_features()
        self._wire()

    def _add_features(self) -> None:
        context = ShellContext(self.company, self.runner, self.window, self.board, self.teams)
        for feature in FEATURE_VIEWS:
            action = QAction(feature.text, self.window)
            if feature.shortcut:
                action.setShortcut(QKeySequence(feature.shortcut))
            action.setStatusTip(feature.tip)
            action.setToolTip(feature.tip)
            action.setIconText(feature.text.replace("&", "").rstrip("…"))
            action.setProperty("menu", feature.menu)
            opener = self._remembered(feature.key, feature.build(context))
            self.features[feature.key] = opener
            action.triggered.connect(lambda _checked=False, o=opener: o())
            self.window.add_feature_action(feature.key, action)
        self.window.set_task_actions(self.actions.ordered, [f.key for f in FEATURE_VIEWS if f.toolbar])
        self.window.task_menu.addSeparator()
        self.window.task_menu.addAction(self.plan_editor.action)
        self.window.addAction(self.plan_editor.action)

    def _remembered(self, key: str, opener: Opener) -> Opener:
        def open_() -> QWidget | None:
            self.feature_windows[key] = widget = opener()
            return widget

        return open_

    @property
    def insights(self) -> QWidget | None:
        """The Insights window once opened (None before, or after it was deleted)."""
        widget = self.feature_windows.get("insights")
        return widget if widget is not None and shiboken6.isValid(widget) else None

    def _wire(self) -> None:
        w, status = self.window, self.status
        w.closing.connect(self.shutdown)
        w.new_task_action.triggered.connect(self.intake.open_new_task)
        w.welcome.new_task.clicked.connect(self.intake.open_new_task)
        w.welcome.company.clicked.connect(self.settings.open_company_form)
        w.welcome.example_clicked.connect(self.intake.submit_example)
        w.import_action.triggered.connect(self.intake.import_tasks)
        self.intake.submitted.connect(self.board.select_when_seen)
        w.settings_action.triggered.connect(lambda: self.settings.open())
        self.settings.teams_changed.connect(self.teams.refresh)
        self.settings.saved.connect(lambda s: apply_theme(s.appearance.theme))
        w.undo_action.triggered.connect(self.actions.undo)
        w.toast.clicked.connect(self.actions.undo)
        self.actions.undoable.connect(self._on_undoable)
        self.actions.undone.connect(self._on_undone)
        w.quit_action.triggered.connect(w.close)
        w.find_action.triggered.connect(self.board.focus_search)
        w.filters.closed.toggled.connect(w.show_closed_action.setChecked)
        w.show_closed_action.toggled.connect(w.filters.closed.setChecked)
        w.focus_board_action.triggered.connect(self.board.focus_board)
        w.guide_action.triggered.connect(lambda: self.open_help(0))
        w.shortcuts_action.triggered.connect(lambda: self.open_help(1))
        w.about_action.triggered.connect(self._about)
        self.runner.activity_changed.connect(w.set_activity)
        self.board.has_tasks.connect(w.show_board)
        for source in (self.actions.message, self.plan_editor.message, self.intake.message, self.settings.message, self.board.message,
                       self.detail.message):
            source.connect(lambda text: w.statusBar().showMessage(text, 8000))
        self.board.selection_changed.connect(self.detail.show)
        for column in w.board.columns.values():  # Enter on a card: into its details
            column.list.activated_by_key.connect(w.detail.tabs.tabBar().setFocus)
        self.board_model.counts_changed.connect(self.update_needs_you)
        self._needs_you_timer.timeout.connect(self.update_needs_you)  # a due date passes while nothing changes
        self.board_model.status_changed.connect(self.founder.on_status_changed)
        self.board_model.status_changed.connect(lambda _old, new: self.teams.know(new.team))
        self.teams.changed.connect(self._on_teams_changed)
        self.founder.show_task.connect(self.board.select_task)
        status.paused_changed.connect(self.detail.set_paused)
        self.feed.trouble.connect(lambda exc: w.statusBar().showMessage(
            f"Could not read the latest changes: {ReadableError.of(exc).message}", 8000))

    # -- life cycle --------------------------------------------------------------------
    def start(self) -> None:
        apply_theme(self.company.settings.appearance.theme)
        self.memory.restore(self.window)
        self.window.show_board(True)
        self.window.show()
        self.window.welcome.set_model_state("Reading the board…", busy=True)
        # The model loads once the board is on screen: both are Python-heavy, and the board comes first.
        self.board.loaded.connect(self.status.preload, Qt.ConnectionType.SingleShotConnection)
        # The board's cards live as long as the window: keep them out of the collector's full passes,
        # which stop every thread (tens of ms with 10,000 cards).
        self.board.loaded.connect(gc.freeze, Qt.ConnectionType.SingleShotConnection)
        self.board.load()
        self._needs_you_timer.start()
        self.teams.refresh()
        self.company.start_schedules()  # schedules fire while the app is open (stopped by company.close)
        self.detail.set_paused(self.status.paused)

    def shutdown(self) -> ShutdownReport:
        """Stop in order: observers, the engine thread, background work, then the store. Within 5 s."""
        if self.shutdown_report is not None:
            return self.shutdown_report
        started = time.monotonic()
        self.memory.save(self.window)
        self._needs_you_timer.stop()
        self.board.stop()
        self.status.stop()
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

    def update_needs_you(self) -> None:
        self.founder.set_waiting(self.board_model.waiting_for_founder,
                                 self.board_model.overdue_elsewhere(date.today()))

    # -- small wiring handlers ------------------------------------------------------------
    def _on_teams_changed(self) -> None:
        self.window.filters.set_teams(self.teams.names)
        self.board_model.touch_ages()  # repaint: a card's colour may be known now

    def _on_undoable(self, entry: UndoEntry) -> None:
        self.window.undo_action.setText(f"&Undo: {entry.text.lower()}")
        self.window.undo_action.setEnabled(True)
        self.window.toast.show_message(entry.text)

    def _on_undone(self, task_id: int) -> None:
        self.window.undo_action.setText("&Undo")
        self.window.undo_action.setEnabled(False)
        self.window.toast.hide()
        self.board.select_when_seen(task_id)

    def open_help(self, tab: int = 0) -> HelpDialog:
        dialog, _new = self.help.open(lambda: HelpDialog([*self.window.actions()], self.window))
        dialog.tabs.setCurrentIndex(tab)
        return dialog

    def _about(self) -> None:
        QMessageBox.about(self.window, "About Bureau",
                          "<b>Bureau</b><br>A small AI company on your own laptop: a CEO agent routes each "
                          "task to one of its teams, the teams work on a local model, and you decide on "
                          f"the board.<br><br>Data folder: {self.company.home}")

    def selected_card(self) -> CardRow | None:
        return self.board_model.card(self.board.selected_id) if self.board.selected_id is not None else None
