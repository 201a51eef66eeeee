"""Dialogs: a new task, reassign, rework, settings, the Models window. Layout and the values they hold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSlider,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.common.form_dialog import FormDialog
from app.gui.llm.view import ModelsView
from app.gui.routing.view import RoutingTab
from app.gui.common.ops import TaskRunner
from app.llm.service import ModelService
from app.core.status import Priority


@dataclass(frozen=True)
class NewTaskForm:
    text: str
    title: str | None
    priority: str
    due: date | None
    team: str | None
    sensitive: bool


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
        form = QFormLayout()
        form.addRow("&Task:", self.text)
        form.addRow("T&itle:", self.title_edit)
        form.addRow("&Priority:", self.priority)
        form.addRow("Due date:", due_row)
        form.addRow("T&eam:", self.team)
        form.addRow("", self.sensitive)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.text.setFocus()

    def values(self) -> NewTaskForm:
        title = self.title_edit.text().strip() or None
        due = cast(date, self.due.date().toPython()) if self.has_due.isChecked() else None
        return NewTaskForm(text=self.text.toPlainText(), title=title, priority=str(self.priority.currentData()),
                           due=due, team=str(self.team.currentData()) or None, sensitive=self.sensitive.isChecked())


class ReassignDialog(FormDialog):
    def __init__(self, task_title: str, current: str | None, teams: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__("Reassign task", "&Reassign", parent)
        self.resize(480, 260)
        self.team = QComboBox()
        for name in teams:
            self.team.addItem(name + (" (now)" if name == current else ""), name)
        others = [t for t in teams if t != current]
        if others:
            self.team.setCurrentIndex(self.team.findData(others[0]))
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("optional: why this team, or what it should do differently")
        self.note.setTabChangesFocus(True)
        label = QLabel(f"Give <b>{_escape(task_title)}</b> to another team. The router learns from it.")
        label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Team:", self.team)
        form.addRow("&Note:", self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.team.setFocus()

    def chosen_team(self) -> str:
        return str(self.team.currentData())

    def note_text(self) -> str | None:
        return self.note.toPlainText().strip() or None


class ReworkDialog(FormDialog):
    def __init__(self, task_title: str, parent: QWidget | None = None) -> None:
        super().__init__("Request rework", "Send &back", parent)
        self.resize(480, 240)
        label = QLabel(f"Send <b>{_escape(task_title)}</b> back to the team. Say what to change.")
        label.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("for example: make it shorter and add a checklist at the end")
        self.note.setTabChangesFocus(True)
        self.note.textChanged.connect(lambda: self.ok.setEnabled(bool(self.note_text())))
        self.ok.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.note.setFocus()

    def note_text(self) -> str:
        return self.note.toPlainText().strip()


class SettingsDialog(FormDialog):
    """Two tabs: the autopilot policy (saved with Save) and routing (``RoutingTab``, saved at once)."""

    def __init__(self, mode: str, threshold: float, parent: QWidget | None = None) -> None:
        super().__init__("Settings", "&Save", parent)
        self.resize(820, 640)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._autopilot_tab(mode, threshold), "Autopilot")
        self.routing = RoutingTab()
        self.tabs.addTab(self.routing, "Routing")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _autopilot_tab(self, mode: str, threshold: float) -> QWidget:
        tab = QWidget()
        intro = QLabel("<b>Autopilot</b>: when the CEO routes a task, should it go ahead on its own?")
        intro.setWordWrap(True)
        self.threshold_mode = QRadioButton("Go ahead when the CEO is at least this sure; the rest wait "
                                           "in Needs decision")
        self.manual_mode = QRadioButton("Every decision waits for me (manual)")
        group = QButtonGroup(self)
        group.addButton(self.threshold_mode)
        group.addButton(self.manual_mode)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setAccessibleName("Confidence threshold")
        self.spin = QSpinBox()
        self.spin.setRange(0, 100)
        self.spin.setSuffix(" %")
        self.spin.setAccessibleName("Confidence threshold in percent")
        self.slider.valueChanged.connect(self.spin.setValue)
        self.spin.valueChanged.connect(self.slider.setValue)
        value = round(threshold * 100)
        self.slider.setValue(value)
        self.spin.setValue(value)
        row = QHBoxLayout()
        row.addSpacing(24)
        row.addWidget(self.slider, 1)
        row.addWidget(self.spin)
        self.threshold_mode.toggled.connect(self.slider.setEnabled)
        self.threshold_mode.toggled.connect(self.spin.setEnabled)
        (self.manual_mode if mode == "manual" else self.threshold_mode).setChecked(True)
        self.slider.setEnabled(mode != "manual")
        self.spin.setEnabled(mode != "manual")
        note = QLabel("Tasks you give a team yourself always go ahead. Changes apply to the next decision.")
        note.setWordWrap(True)
        layout = QVBoxLayout(tab)
        layout.addWidget(intro)
        layout.addWidget(self.threshold_mode)
        layout.addLayout(row)
        layout.addWidget(self.manual_mode)
        layout.addWidget(note)
        layout.addStretch(1)
        return tab

    def mode(self) -> str:
        return "manual" if self.manual_mode.isChecked() else "threshold"

    def threshold(self) -> float:
        return self.spin.value() / 100.0


class ModelsDialog(QDialog):
    """The Models view in a window of its own, beside the board (not modal); one per main window."""

    def __init__(self, service: ModelService, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("models-window")
        self.setWindowTitle("Models")
        self.setModal(False)
        self.resize(980, 620)
        self.view = ModelsView(service, runner, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
