"""Views of the board: the status columns, the filter bar and the first-run welcome. Layout only."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.gui.board.cards import CardListView
from app.gui.board.item_models import CLOSED_STATUSES, ColumnModel
from app.gui.common.theme import STATUS_COLORS
from app.core.status import Priority, Status

COLUMN_WIDTH = 210  # every column with cards has this width, always: the board never reflows under the pointer
EMPTY_COLUMN_WIDTH = 40  # an empty column folds to a strip: still a drop target, room for the others


class VerticalTitle(QWidget):
    """The title of a folded column, written top to bottom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._color = QColor("#888")
        self.setMinimumHeight(60)

    def set_title(self, text: str, color: str) -> None:
        self._text = text
        self._color = QColor(color)
        font = QFont(self.font())
        font.setBold(True)
        self.setMinimumHeight(QFontMetrics(font).horizontalAdvance(text) + 34)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self._color)
        p.drawEllipse(self.width() // 2 - 5, 8, 10, 10)
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        p.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        p.translate(self.width() / 2 + QFontMetrics(font).ascent() / 2 - 2, 26)
        p.rotate(90)
        p.drawText(0, 0, self._text)
        p.end()


class ColumnWidget(QFrame):
    """A header with the status and its count, over the list of cards."""

    def __init__(self, model: ColumnModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = model.status
        self.setObjectName(f"column-{model.status.value}")
        self.setFrameShape(QFrame.Shape.StyledPanel)

        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setContentsMargins(10, 6, 10, 2)
        self.list = CardListView(self)
        self.list.setModel(model)
        self.list.setAccessibleName(f"{model.status.label} column")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(2)
        self.folded_title = VerticalTitle(self)
        layout.addWidget(self.header)
        layout.addWidget(self.folded_title)
        layout.addWidget(self.list, 1)
        self._shown: tuple[int, int, bool] | None = None
        self.set_count(0, 0)

    @property
    def folded(self) -> bool:
        return self.maximumWidth() == EMPTY_COLUMN_WIDTH

    def set_count(self, visible: int, total: int, *, fold: bool | None = None) -> None:
        """Show the count; a column without cards folds to a narrow strip (``fold`` overrides: the
        board keeps a column's width while the pointer is over it)."""
        folded = visible == 0 if fold is None else fold
        if self._shown == (visible, total, folded):
            return  # nothing changed: no relayout of rich text and widths
        self._shown = (visible, total, folded)
        self.setFixedWidth(EMPTY_COLUMN_WIDTH if folded else COLUMN_WIDTH)
        self.header.setVisible(not folded)
        self.folded_title.setVisible(folded)
        color = STATUS_COLORS.get(self.status, "#888")
        count = f"{visible}" if visible == total else f"{visible} of {total}"
        self.folded_title.set_title(f"{self.status.label.capitalize()}  {count}", color)
        self.setToolTip(f"{self.status.label.capitalize()}: no cards" if folded else "")
        self.header.setText(f"<span style='color:{color}; font-size:15px'>●</span>&nbsp;"
                            f"<b>{self.status.label.capitalize()}</b>&nbsp;&nbsp;"
                            f"<span style='color:gray'>{count}</span>")


class BoardView(QScrollArea):
    """The status columns side by side, scrolling sideways when the window is narrow."""

    def __init__(self, columns: Sequence[ColumnModel], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        row = QHBoxLayout(inner)
        row.setContentsMargins(6, 4, 6, 4)
        row.setSpacing(6)
        self.columns: dict[Status, ColumnWidget] = {}
        for model in columns:
            widget = ColumnWidget(model, inner)
            self.columns[model.status] = widget
            row.addWidget(widget)
        row.addStretch(1)
        self.setWidget(inner)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._counts: dict[Status, tuple[int, int]] = {}
        self.set_closed_visible(False)

    def set_counts(self, counts: dict[Status, tuple[int, int]]) -> None:
        """(visible, total) per column; the layout settles when the pointer leaves the board."""
        self._counts = dict(counts)
        hold = self.underMouse()
        for status, (visible, total) in counts.items():
            column = self.columns[status]
            # A column that empties stays open while the pointer is over the board (the cards to its
            # right do not slide under the pointer); a column that gets cards opens at once (no card
            # is ever hidden).
            keep_open = hold and column.isVisible() and not column.folded and visible == 0
            column.set_count(visible, total, fold=False if keep_open else None)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().leaveEvent(event)
        if self._counts:
            for status, (visible, total) in self._counts.items():
                self.columns[status].set_count(visible, total)

    def set_closed_visible(self, visible: bool) -> None:
        for status in CLOSED_STATUSES:
            self.columns[status].setVisible(visible)

    def lists(self) -> list[CardListView]:
        return [c.list for c in self.columns.values()]


class FilterBar(QWidget):
    """Search, team and priority filters, and whether failed and cancelled tasks show."""

    def __init__(self, teams: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles and task text (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search tasks")
        self.team = QComboBox()
        self.team.setAccessibleName("Filter by team")
        self.set_teams(teams)
        self.priority = QComboBox()
        self.priority.setAccessibleName("Filter by priority")
        self.priority.addItem("Any priority", "")
        for p in reversed(Priority):
            self.priority.addItem(p.value, p.value)
        self.closed = QCheckBox("Failed && cancelled")
        self.closed.setToolTip("Show the Failed and Cancelled columns too")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 2)
        self.search.setMinimumWidth(90)
        layout.addWidget(self.search, 3)
        layout.addWidget(self.team)
        layout.addWidget(self.priority)
        layout.addWidget(self.closed)


    def set_teams(self, teams: Sequence[str]) -> None:
        current = self.team.currentData()
        self.team.blockSignals(True)
        self.team.clear()
        self.team.addItem("All teams", "")  # "" not None: see app/gui/compat.py
        for name in teams:
            self.team.addItem(name, name)
        self.team.setCurrentIndex(max(0, self.team.findData(current)))
        self.team.blockSignals(False)


class WelcomePanel(QScrollArea):
    """The first run: what is happening, and example tasks to try with one click."""

    example_clicked = Signal(str)

    def __init__(self, examples: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        title = QLabel("<h2>Welcome to Bureau</h2>")
        intro = QLabel(
            "Bureau runs a small AI company on this computer. You describe a task; the CEO reads it, "
            "picks one of six teams (content, code, devops, marketing, sales, support) and says how sure it is. "
            "The team does the work with a local model, the CEO reviews it, and the result waits for you "
            "on the board. Decisions the CEO is unsure about wait for you in <b>Needs decision</b>.")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.model_status = QLabel("Loading the model…")
        self.model_status.setWordWrap(True)
        self.model_progress = QProgressBar()
        self.model_progress.setRange(0, 0)
        self.model_progress.setMaximumWidth(360)
        self.model_progress.setTextVisible(False)
        examples_label = QLabel("<b>Try one of these</b> (click to submit):")
        self.example_buttons: list[QPushButton] = []
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(40, 30, 40, 30)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addWidget(self.model_status)
        layout.addWidget(self.model_progress)
        layout.addSpacing(12)
        layout.addWidget(examples_label)
        for text in examples:
            button = QPushButton(text)
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            button.setStyleSheet("text-align: left; padding: 6px 12px;")
            button.clicked.connect(lambda _checked=False, t=text: self.example_clicked.emit(t))
            self.example_buttons.append(button)
            layout.addWidget(button)
        self.new_task = QPushButton("Write your own task…  (Ctrl+N)")
        self.new_task.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        layout.addSpacing(6)
        layout.addWidget(self.new_task)
        self.company = QPushButton("Tell Bureau about your company…")
        self.company.setObjectName("welcome-company")
        self.company.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.company.setToolTip("Optional: your product, prices and policies, so teams use your facts instead of "
                                "inventing them (Settings → Company holds them all)")
        layout.addSpacing(12)
        layout.addWidget(QLabel("<b>Optional</b>: give the teams your product's facts (skip it if you like):"))
        layout.addWidget(self.company)
        layout.addStretch(1)
        self.setWidget(inner)

    def set_model_state(self, text: str, *, busy: bool) -> None:
        self.model_status.setText(text)
        self.model_progress.setVisible(busy)
