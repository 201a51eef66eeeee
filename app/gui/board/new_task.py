"""The New task dialog: text, title, priority, due date, optional team, sensitive, repeat. Layout and values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.status import Priority
from app.gui.common.form_dialog import FormDialog
from app.gui.schedules.rule_field import RuleField


@dataclass(frozen=True)
class NewTaskForm:
    text: str
    title: str | None
    priority: str
    due: date | None
    team: str | None
    sensitive: bool
    repeat: str | None = None  # a rule in the founder's words: a schedule instead of one task
    also_now: bool = False  # with a rule: also one task now


class NewTaskDialog(FormDialog):
    """Text, title, priority, due date, optional team, sensitive. The controller submits it."""

    def __init__(self, teams: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__("New task", "&Submit", parent)
        self.resize(560, 420)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("What should the company do? For example: Write a short blog post "
                                     "about keeping a tidy desk.")
        self.text.setTabChangesFocus(True)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("optional: the first line of the text is used")
        self.priority = QComboBox()
        for p in Priority:
            self.priority.addItem(p.value, p.value)
        self.priority.setCurrentIndex(self.priority.findData(Priority.NORMAL.value))
        self.has_due = QCheckBox("Due")
        self.due = QDateEdit(QDate.currentDate().addDays(7))
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setEnabled(False)
        self.has_due.toggled.connect(self.due.setEnabled)
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due, 1)
        self.team = QComboBox()
        self.team.addItem("Let the CEO decide", "")  # "" not None: see app/gui/compat.py
        for name in teams:
            self.team.addItem(name, name)
        self.sensitive = QCheckBox("Sensitive: never send this task to cloud runners")
        self.repeat = QCheckBox("&Repeat…")
        self.repeat.setToolTip("Make it a routine: a schedule creates this task each time its rule says")
        self.rule_field = RuleField()
        self.rule, self.rule_preview = self.rule_field.rule, self.rule_field.preview
        self.also_now = QCheckBox("Also start it once now")
        self.repeat_box = QWidget()
        repeat_form = QFormLayout(self.repeat_box)
        repeat_form.setContentsMargins(0, 0, 0, 0)
        repeat_form.addRow("&When:", self.rule)
        repeat_form.addRow("", self.rule_preview)
        repeat_form.addRow("", self.also_now)
        self.repeat_box.setVisible(False)
        self.repeat.toggled.connect(self._on_repeat)
        form = QFormLayout()
        form.addRow("&Task:", self.text)
        form.addRow("T&itle:", self.title_edit)
        form.addRow("&Priority:", self.priority)
        form.addRow("Due date:", due_row)
        form.addRow("T&eam:", self.team)
        form.addRow("", self.sensitive)
        form.addRow("", self.repeat)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.repeat_box)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.text.setFocus()

    def _on_repeat(self, on: bool) -> None:
        self.repeat_box.setVisible(on)
        self.ok.setText("Add &schedule" if on else "&Submit")
        if on:
            self.rule.setFocus()

    def values(self) -> NewTaskForm:
        title = self.title_edit.text().strip() or None
        due = cast(date, self.due.date().toPython()) if self.has_due.isChecked() else None
        return NewTaskForm(text=self.text.toPlainText(), title=title, priority=str(self.priority.currentData()),
                           due=due, team=str(self.team.currentData()) or None, sensitive=self.sensitive.isChecked(),
                           repeat=self.rule.text() if self.repeat.isChecked() else None,
                           also_now=self.repeat.isChecked() and self.also_now.isChecked())
