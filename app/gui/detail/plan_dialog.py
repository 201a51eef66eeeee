"""The founder edits a task's plan before it runs: steps (key, team, text, depends on), add and remove.

Layout and values only; ``PlanEditor`` (plan_edit.py) loads the plan and saves it through
``PlanService.set_plan``, whose validation errors (naming the fix) show inline.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agents.ceo import Plan, PlannedStep
from app.gui.common.form_dialog import FormDialog

KEY, TEAM, TEXT, DEPENDS = range(4)
HEADERS = ("Key", "Team", "What the team does", "Depends on")


class EditPlanDialog(FormDialog):
    """A small table of steps; OK sends ``plan_data()`` (the JSON shape ``bureau plan set`` reads)."""

    def __init__(self, task_id: int, task_title: str, steps: Sequence[PlannedStep], teams: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Edit the plan of #{task_id}", "&Save plan", parent)
        self.resize(760, 380)
        self.task_id = task_id
        self._teams = tuple(teams)
        label = QLabel(f"The steps of <b>{escape(task_title)}</b>, before they run. A step waits for the steps "
                       "it depends on (their keys, separated by commas) and receives their work. "
                       "Saving queues the task with your plan; the planner learns from it.")
        label.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("&Add step")
        self.remove_button = QPushButton("&Remove step")
        self.add_button.clicked.connect(lambda: self.add_step())
        self.remove_button.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for step in steps:
            self.add_step(step)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # -- editing -------------------------------------------------------------------------
    def add_step(self, step: PlannedStep | None = None) -> int:
        """Append a step (a new one: the next free key, the last step's team, depending on the last step)."""
        row = self.table.rowCount()
        if step is None:
            keys = set(self.keys())
            n = row + 1
            while f"s{n}" in keys:
                n += 1
            last = self.table.rowCount() - 1
            team = self.team_at(last) if last >= 0 else (self._teams[0] if self._teams else "")
            step = PlannedStep(key=f"s{n}", team=team, text="",
                               depends_on=(self.keys()[-1],) if last >= 0 else ())
        self.table.insertRow(row)
        self.table.setItem(row, KEY, QTableWidgetItem(step.key))
        combo = QComboBox()
        combo.addItems(list(self._teams) + ([step.team] if step.team and step.team not in self._teams else []))
        combo.setCurrentText(step.team)
        self.table.setCellWidget(row, TEAM, combo)
        self.table.setItem(row, TEXT, QTableWidgetItem(step.text))
        self.table.setItem(row, DEPENDS, QTableWidgetItem(", ".join(step.depends_on)))
        self.table.selectRow(row)
        self._update_buttons()
        return row

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectedIndexes()) and self.table.rowCount() > 1)

    # -- values ------------------------------------------------------------------------
    def _cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def team_at(self, row: int) -> str:
        combo = self.table.cellWidget(row, TEAM)
        return combo.currentText() if isinstance(combo, QComboBox) else ""

    def set_team(self, row: int, team: str) -> None:
        combo = self.table.cellWidget(row, TEAM)
        assert isinstance(combo, QComboBox)
        combo.setCurrentText(team)

    def set_cell(self, row: int, column: int, text: str) -> None:
        self.table.setItem(row, column, QTableWidgetItem(text))

    def keys(self) -> list[str]:
        return [self._cell(r, KEY) for r in range(self.table.rowCount())]

    def plan_data(self) -> dict[str, Any]:
        """The steps as the plan service reads them; empty keys become s1, s2 ... (the service names problems)."""
        steps = []
        for row in range(self.table.rowCount()):
            deps = [d.strip() for d in self._cell(row, DEPENDS).replace(";", ",").split(",") if d.strip()]
            steps.append({"key": self._cell(row, KEY) or f"s{row + 1}", "team": self.team_at(row),
                          "text": self._cell(row, TEXT), "depends_on": deps})
        return {"steps": steps}


def steps_of(plan: Plan | None, *, text: str, team: str | None) -> tuple[PlannedStep, ...]:
    """The steps to start editing from: the plan's, or the task itself as one step."""
    if plan is not None and plan.steps:
        return plan.steps
    return (PlannedStep(key="s1", team=team or "", text=text),)
