"""The Routing tab of the settings: what the router learnt from the founder, and the teams' keywords.

Layout and item models only; ``RoutingController`` (app/gui/routing_controller.py) acts on it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gui.detail.table_models import Column, RowsModel
from app.gui.common.form_dialog import FormDialog
from app.routing.service import TeamInfo

ERROR_COLOR = "#dc2626"


@dataclass(frozen=True)
class ExampleRow:
    """One routing example as the table shows it (a stored ``RoutingCorrection``, detached)."""

    id: int
    text: str
    team: str
    source: str  # correction | founder
    task_id: int | None

    @property
    def origin(self) -> str:
        if self.source == "correction":
            return f"your correction (task {self.task_id})" if self.task_id is not None else "your correction"
        return "your example"


class ExamplesModel(RowsModel[ExampleRow]):
    """Examples and corrections: the task text, the team it belongs to, where it came from."""

    TEXT, TEAM, ORIGIN = range(3)
    COLUMNS = (
        Column[ExampleRow]("Task text", lambda r: r.text),
        Column[ExampleRow]("Team", lambda r: r.team),
        Column[ExampleRow]("From", lambda r: r.origin),
    )

    def ids(self, rows: Sequence[int]) -> list[int]:
        return [self.item(r).id for r in sorted(set(rows)) if 0 <= r < self.rowCount()]


class TeamsModel(RowsModel[TeamInfo]):
    """Every team with the founder's keywords for it."""

    TEAM, KIND, KEYWORDS, OWNS = range(4)
    COLUMNS = (
        Column[TeamInfo]("Team", lambda t: t.name),
        Column[TeamInfo]("Kind", lambda t: "built-in" if t.builtin else "yours"),
        Column[TeamInfo]("Your keywords", lambda t: ", ".join(t.keywords) or "-"),
        Column[TeamInfo]("Owns", lambda t: t.description),
    )

    def names(self) -> list[str]:
        return [self.item(r).name for r in range(self.rowCount())]


def split_keywords(text: str) -> tuple[str, ...]:
    """'refund, chargeback\\ninvoice' -> ('refund', 'chargeback', 'invoice')."""
    return tuple(k.strip() for k in re.split(r"[,;\n]", text) if k.strip())


def _table(model: RowsModel[ExampleRow] | RowsModel[TeamInfo], stretch: int, *, many: bool) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if many
                          else QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class RoutingTab(QWidget):
    """Examples and corrections (remove, export, add) above the teams (keywords, add a team)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.examples_model = ExamplesModel(self)
        self.teams_model = TeamsModel(self)
        intro = QLabel("The CEO routes each task by what it learnt from you: the tasks you gave another team "
                       "(corrections) and the examples and keywords you add here. Changes on this tab are "
                       "saved at once and apply to the next task.")
        intro.setWordWrap(True)

        examples = QGroupBox("Examples and corrections")
        box = QVBoxLayout(examples)
        self.examples = _table(self.examples_model, ExamplesModel.TEXT, many=True)
        self.examples.setAccessibleName("Routing examples and corrections")
        self.remove_button = QPushButton("&Remove selected")
        self.remove_button.setEnabled(False)
        self.export_button = QPushButton("E&xport…")
        self.export_button.setToolTip("Save them as JSON Lines (what `bureau route --file` reads)")
        row = QHBoxLayout()
        row.addWidget(self.remove_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        self.example_text = QLineEdit()
        self.example_text.setPlaceholderText("a task, e.g. Renew the TLS certificate on the web server")
        self.example_text.setAccessibleName("Example task text")
        self.example_team = QComboBox()
        self.example_team.setAccessibleName("Team for the example")
        self.add_example_button = QPushButton("&Add example")
        add_row = QHBoxLayout()
        add_row.addWidget(self.example_text, 1)
        add_row.addWidget(QLabel("goes to"))
        add_row.addWidget(self.example_team)
        add_row.addWidget(self.add_example_button)
        box.addWidget(self.examples, 1)
        box.addLayout(row)
        box.addLayout(add_row)

        teams = QGroupBox("Teams and your keywords for them")
        tbox = QVBoxLayout(teams)
        self.teams = _table(self.teams_model, TeamsModel.OWNS, many=False)
        self.teams.setAccessibleName("Teams")
        self.keywords_button = QPushButton("Add &keywords…")
        self.keywords_button.setEnabled(False)
        self.add_team_button = QPushButton("Add &team…")
        self.remove_team_button = QPushButton("Remo&ve team")
        self.remove_team_button.setToolTip("Only a team you added, with no open tasks")
        self.remove_team_button.setEnabled(False)
        trow = QHBoxLayout()
        for b in (self.keywords_button, self.add_team_button, self.remove_team_button):
            trow.addWidget(b)
        trow.addStretch(1)
        tbox.addWidget(self.teams, 1)
        tbox.addLayout(trow)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(examples)
        splitter.addWidget(teams)
        splitter.setSizes([300, 220])
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self.examples.selectionModel().selectionChanged.connect(self._selection_changed)
        self.teams.selectionModel().selectionChanged.connect(self._selection_changed)
        self.example_text.returnPressed.connect(self.add_example_button.click)

    # -- what is selected -------------------------------------------------------------
    def selected_example_ids(self) -> list[int]:
        return self.examples_model.ids([i.row() for i in self.examples.selectionModel().selectedRows()])

    def selected_team(self) -> TeamInfo | None:
        rows = self.teams.selectionModel().selectedRows()
        return self.teams_model.item(rows[0].row()) if rows else None

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.selected_example_ids()))
        team = self.selected_team()
        self.keywords_button.setEnabled(team is not None)
        self.remove_team_button.setEnabled(team is not None and not team.builtin)

    # -- display ----------------------------------------------------------------------
    def show_data(self, examples: Sequence[ExampleRow], teams: Sequence[TeamInfo]) -> None:
        chosen = self.selected_team()
        self.examples_model.set_rows(examples)
        self.teams_model.set_rows(teams)
        current = str(self.example_team.currentData() or "")
        self.example_team.clear()
        for t in teams:
            self.example_team.addItem(t.name, t.name)
        self.example_team.setCurrentIndex(max(0, self.example_team.findData(current)))
        if chosen is not None and chosen.name in self.teams_model.names():
            self.teams.selectRow(self.teams_model.names().index(chosen.name))
        self._selection_changed()

    def say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet(f"color: {ERROR_COLOR};" if error else "")
        self.status.setText(text)

    def show_error(self, message: str, fix: str | None = None) -> None:
        self.say(message + (f" {fix}" if fix else ""), error=True)

    def set_busy(self, busy: bool) -> None:
        for b in (self.export_button, self.add_example_button, self.add_team_button):
            b.setEnabled(not busy)
        if busy:
            for b in (self.remove_button, self.keywords_button, self.remove_team_button):
                b.setEnabled(False)
        else:
            self._selection_changed()


class KeywordsDialog(FormDialog):
    """More keywords for one team; the router counts them as strong hints."""

    def __init__(self, team: TeamInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"Keywords for {team.name}", "&Add", parent)
        self.team = team.name
        self.resize(460, 200)
        now = ", ".join(team.keywords) or "none yet"
        label = QLabel(f"Words or phrases that mean a task belongs to <b>{escape(team.name)}</b>, separated by "
                       f"commas. Yours so far: {escape(now)}.")
        label.setWordWrap(True)
        self.keywords = QLineEdit()
        self.keywords.setPlaceholderText("e.g. certificate, nginx, uptime")
        self.keywords.setAccessibleName("Keywords")
        self.keywords.textChanged.connect(lambda: self.ok.setEnabled(bool(self.values())))
        self.ok.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.keywords)
        layout.addStretch(1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.keywords.setFocus()

    def values(self) -> tuple[str, ...]:
        return split_keywords(self.keywords.text())


class AddTeamDialog(FormDialog):
    """A team of the founder's own: a name, what it owns (the router and the team agent read it), keywords."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add a team", "&Add team", parent)
        self.resize(520, 320)
        self.name = QLineEdit()
        self.name.setPlaceholderText("lowercase, e.g. legal")
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText("What it owns, e.g. contracts, terms of service, privacy questions "
                                            "and anything a lawyer should look at")
        self.description.setTabChangesFocus(True)
        self.keywords = QLineEdit()
        self.keywords.setPlaceholderText("optional, separated by commas: contract, nda, gdpr")
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Owns:", self.description)
        form.addRow("&Keywords:", self.keywords)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.name.setFocus()

    def team_name(self) -> str:
        return self.name.text().strip()

    def owns(self) -> str:
        return self.description.toPlainText().strip()

    def team_keywords(self) -> tuple[str, ...]:
        return split_keywords(self.keywords.text())
