"""The Schedules window: the table, its buttons, and the dialog that adds a schedule."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit,
    QPushButton, QTableView, QVBoxLayout, QWidget,
)

from app.gui.common.form_dialog import FormDialog
from app.gui.schedules.rule_field import RuleField
from app.gui.schedules.model import COL_RULE, COL_TASK, SchedulesModel

ROUTE_BY_CEO = "Let the CEO route it"


class SchedulesWindow(QDialog):
    """Layout only; ``SchedulesController`` gives it behaviour."""

    def __init__(self, model: SchedulesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("schedules-window")
        self.setWindowTitle("Schedules")
        self.resize(980, 460)
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_RULE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_TASK, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("&Add…")
        self.pause_button = QPushButton("&Pause")
        self.resume_button = QPushButton("&Resume")
        self.run_button = QPushButton("Run &now")
        self.remove_button = QPushButton("Re&move")
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.pause_button, self.resume_button, self.run_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    def say(self, text: str) -> None:
        self.status.setText(text)


class AddScheduleDialog(FormDialog):
    """The task, the rule with its preview in words, team, time zone and catch-up."""

    def __init__(self, teams: Sequence[str], default_tz: str, parent: QWidget | None = None) -> None:
        super().__init__("Add a schedule", "Add schedule", parent)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("What should be done each time, e.g. Draft the Monday newsletter")
        self.text.setFixedHeight(80)
        self.rule_field = RuleField()
        self.rule, self.preview = self.rule_field.rule, self.rule_field.preview
        self.team = QComboBox()
        self.team.addItems([ROUTE_BY_CEO, *teams])
        self.tz = QLineEdit(default_tz)
        self.catch_up = QComboBox()
        self.catch_up.addItem("Once (one task for what was missed)", "once")
        self.catch_up.addItem("Skip what was missed", "skip")
        form = QFormLayout()
        form.addRow("Task", self.text)
        form.addRow("When", self.rule)
        form.addRow("", self.preview)
        form.addRow("Team", self.team)
        form.addRow("Time zone", self.tz)
        form.addRow("After sleep", self.catch_up)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 380)

    def values(self) -> dict[str, str | None]:
        team = self.team.currentText()
        return {"text": self.text.toPlainText(), "rule": self.rule.text(),
                "team": None if team == ROUTE_BY_CEO else team, "tz": self.tz.text().strip() or None,
                "catch_up": str(self.catch_up.currentData())}
