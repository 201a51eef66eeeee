"""The main window: menus, toolbar, filter bar, board (or welcome), detail panel, status bar."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.gui.board.views import BoardView, FilterBar, WelcomePanel
from app.gui.detail.view import DetailPanel
from app.gui.board.item_models import ColumnModel
from app.gui.common.toast import Toast

APP_TITLE = "Bureau"


class MainWindow(QMainWindow):
    """Layout only. ``closing`` lets the controller shut things down in order."""

    closing = Signal()

    def __init__(self, columns: Sequence[ColumnModel], teams: Sequence[str],
                 examples: Sequence[str]) -> None:
        super().__init__()
        self.setObjectName("bureau-main-window")
        self.setWindowTitle(APP_TITLE)
        self.resize(1400, 860)

        self.new_task_action = QAction("&New task…", self, shortcut=QKeySequence(QKeySequence.StandardKey.New))
        self.new_task_action.setIconText("New task")
        self.import_action = QAction("&Import tasks…", self, shortcut=QKeySequence("Ctrl+I"))
        self.settings_action = QAction("&Settings…", self, shortcut=QKeySequence("Ctrl+,"))
        self.settings_action.setIconText("Settings")
        self.pause_action = QAction("&Pause the company", self, shortcut=QKeySequence("Ctrl+P"), checkable=True)
        self.pause_action.setIconText("Pause")
        self.pause_action.setStatusTip("Stop new work for the whole company (also `bureau pause`); Ctrl+P again resumes")
        self.undo_action = QAction("&Undo", self, shortcut=QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.setEnabled(False)
        self.quit_action = QAction("&Quit", self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        self.find_action = QAction("&Find", self, shortcut=QKeySequence(QKeySequence.StandardKey.Find))
        self.show_closed_action = QAction("Show &failed and cancelled", self, checkable=True)
        self.focus_board_action = QAction("Go to the &board", self, shortcut=QKeySequence("Ctrl+B"))
        self.guide_action = QAction("&Guide", self, shortcut=QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.shortcuts_action = QAction("&Keyboard shortcuts", self, shortcut=QKeySequence("Ctrl+/"))
        self.about_action = QAction("&About Bureau", self)
        self.feature_actions: dict[str, QAction] = {}  # the shell's feature views (Models, Schedules, ...)

        self.filters = FilterBar(teams)
        self.board = BoardView(columns)
        self.welcome = WelcomePanel(examples)
        self.center = QStackedWidget()
        self.center.addWidget(self.welcome)
        self.center.addWidget(self.board)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(self.filters)
        left_layout.addWidget(self.center, 1)
        self.detail = DetailPanel()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main-splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([960, 440])  # the task panel shows its six tabs without scrolling
        self.setCentralWidget(self.splitter)

        self.toolbar = QToolBar("Actions")
        self.toolbar.setObjectName("actions-toolbar")
        # Short words (each action's iconText); what does not fit goes to the toolbar's » overflow menu.
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setMovable(False)
        self.addToolBar(self.toolbar)
        self.task_menu = QMenu("&Task", self)
        self.file_menu = QMenu("&File", self)
        self.view_menu = QMenu("&View", self)
        self._build_menus()
        self.toast = Toast(self)

        self.activity = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(140)
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        self.engine_state = QLabel()
        self.engine_state.setObjectName("engine-state")
        self.statusBar().addWidget(self.activity, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.engine_state)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.addMenu(self.file_menu)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        bar.addMenu(self.task_menu)
        bar.addMenu(self.view_menu)
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.guide_action, self.shortcuts_action, self.about_action])

    def add_feature_action(self, key: str, action: QAction) -> None:
        """A feature view's entry (Models, Schedules, Insights...): call before ``set_task_actions``."""
        self.feature_actions[key] = action

    def set_task_actions(self, actions: Sequence[QAction], toolbar_features: Sequence[str] = ()) -> None:
        """The actions on the selected task, in the toolbar, the Task menu and the detail panel."""
        features = list(self.feature_actions.values())
        self.file_menu.clear()
        self.file_menu.addActions([self.new_task_action, self.import_action])
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.settings_action, self.pause_action])
        self.file_menu.addActions([a for a in features if a.property("menu") == "File"])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.view_menu.clear()
        self.view_menu.addActions([self.find_action, self.focus_board_action, self.show_closed_action])
        others = [a for a in features if a.property("menu") != "File"]
        if others:
            self.view_menu.addSeparator()
            self.view_menu.addActions(others)
        self.toolbar.clear()
        self.toolbar.addAction(self.new_task_action)
        self.toolbar.addSeparator()
        self.toolbar.addActions(list(actions))
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.settings_action, *[self.feature_actions[k] for k in toolbar_features],
                                 self.pause_action])
        self.task_menu.clear()
        self.task_menu.addActions(list(actions))
        self.addActions([self.new_task_action, self.import_action, self.settings_action, self.pause_action,
                         self.undo_action, self.quit_action, self.find_action, self.focus_board_action,
                         self.guide_action, self.shortcuts_action, *features, *actions])

    @property
    def models_action(self) -> QAction:
        return self.feature_actions["models"]

    @property
    def schedules_action(self) -> QAction:
        return self.feature_actions["schedules"]

    @property
    def insights_action(self) -> QAction:
        return self.feature_actions["insights"]

    def show_board(self, board: bool) -> None:
        self.center.setCurrentWidget(self.board if board else self.welcome)

    def set_activity(self, text: str) -> None:
        self.activity.setText(text)
        self.progress.setVisible(bool(text))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
