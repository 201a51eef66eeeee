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
        self.import_action = QAction("&Import tasks…", self, shortcut=QKeySequence("Ctrl+I"))
        self.settings_action = QAction("&Settings…", self, shortcut=QKeySequence("Ctrl+,"))
        self.models_action = QAction("&Models…", self, shortcut=QKeySequence("Ctrl+M"))
        self.models_action.setStatusTip("The models the company runs on: add, test, and choose one per role")
        self.schedules_action = QAction("S&chedules…", self, shortcut=QKeySequence("Ctrl+Shift+S"))
        self.pause_action = QAction("&Pause the company", self, shortcut=QKeySequence("Ctrl+P"), checkable=True)
        self.quit_action = QAction("&Quit", self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        self.find_action = QAction("&Find", self, shortcut=QKeySequence(QKeySequence.StandardKey.Find))
        self.show_closed_action = QAction("Show &failed and cancelled", self, checkable=True)
        self.focus_board_action = QAction("Go to the &board", self, shortcut=QKeySequence("Ctrl+B"))
        self.about_action = QAction("&About Bureau", self)
        self.insights_action = QAction("&Insights…", self, shortcut=QKeySequence("Ctrl+Shift+I"))

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
        self.splitter.setSizes([1000, 400])
        self.setCentralWidget(self.splitter)

        self.toolbar = QToolBar("Actions")
        self.toolbar.setObjectName("actions-toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setMovable(False)
        self.addToolBar(self.toolbar)
        self.task_menu = QMenu("&Task", self)
        self._build_menus()

        self.activity = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(140)
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        self.engine_state = QLabel()
        self.statusBar().addWidget(self.activity, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.engine_state)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.new_task_action, self.import_action])
        file_menu.addSeparator()
        file_menu.addActions([self.settings_action, self.models_action, self.schedules_action, self.pause_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        bar.addMenu(self.task_menu)
        view_menu = bar.addMenu("&View")
        view_menu.addActions([self.find_action, self.focus_board_action, self.show_closed_action, self.insights_action])
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_action)

    def set_task_actions(self, actions: Sequence[QAction]) -> None:
        """The actions on the selected task, in the toolbar, the Task menu and the detail panel."""
        self.toolbar.clear()
        self.toolbar.addAction(self.new_task_action)
        self.toolbar.addSeparator()
        self.toolbar.addActions(list(actions))
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.settings_action, self.models_action, self.pause_action])
        self.task_menu.clear()
        self.task_menu.addActions(list(actions))
        self.addActions([self.new_task_action, self.import_action, self.settings_action, self.models_action,
                         self.pause_action, self.quit_action, self.find_action, self.focus_board_action, *actions])

    def show_board(self, board: bool) -> None:
        self.center.setCurrentWidget(self.board if board else self.welcome)

    def set_activity(self, text: str) -> None:
        self.activity.setText(text)
        self.progress.setVisible(bool(text))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
