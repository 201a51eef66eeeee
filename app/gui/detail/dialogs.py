"""Dialogs on one task: reassign (to the CEO's runner-up by default) and rework. Layout and values."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.gui.common.form_dialog import FormDialog


class ReassignDialog(FormDialog):
    """Another team for the task; the CEO's runner-up (``suggested``) is chosen at first."""

    def __init__(self, task_title: str, current: str | None, teams: Sequence[str],
                 parent: QWidget | None = None, *, suggested: str | None = None) -> None:
        super().__init__("Reassign task", "&Reassign", parent)
        self.resize(480, 260)
        self.team = QComboBox()
        for name in teams:
            mark = " (now)" if name == current else " (the CEO's runner-up)" if name == suggested else ""
            self.team.addItem(name + mark, name)
        others = [t for t in teams if t != current]
        default = suggested if suggested in others else (others[0] if others else None)
        if default is not None:
            self.team.setCurrentIndex(self.team.findData(default))
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("optional: why this team, or what it should do differently")
        self.note.setTabChangesFocus(True)
        label = QLabel(f"Give <b>{escape(task_title)}</b> to another team. The router learns from it.")
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
        label = QLabel(f"Send <b>{escape(task_title)}</b> back to the team. Say what to change.")
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
