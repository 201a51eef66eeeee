"""Help: a short guide to the board, and the keyboard shortcuts (read from the actions themselves)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

from app.tasks.transitions import TRANSITIONS

GUIDE = """
## How Bureau works

1. **Add a task** (Ctrl+N): say what you want done. The CEO reads it and picks a team — or plans
   steps for several teams — and says how sure it is.
2. **Needs decision**: when the CEO is not sure enough (Settings ▸ Autopilot), the task waits for you.
   *Approve* lets the CEO's choice go ahead; *Reassign* (Ctrl+R) gives it to another team — the
   CEO's runner-up is offered first — and the router learns from it.
3. **Running → In review**: the team works on a local model; watch it write in the task panel's
   *Work* tab. The CEO reviews the result and may send it back for rework.
4. **Delivered**: read the result in *Overview* or *Files* (a preview of each file, Save as, Copy).
   *Accept* (Ctrl+D) marks it done; *Rework* (Ctrl+Shift+R) sends it back with your note.

**Approve or Accept?** *Approve* answers the CEO's question (go ahead, or take the work as it is
and put it in Delivered for a last look). *Accept* is your final word on delivered work: done.

**Undo**: Cancel acts at once, and Ctrl+Z (or *Undo* on the message at the bottom) puts the task
back where it was.

**Pause** (Ctrl+P) stops new work for the whole company — this window and any `bureau run` in a
terminal; `bureau pause` and `bureau resume` do the same from the command line.

Everything is kept in one folder on this computer; nothing leaves it unless you configure a server.
"""


def shortcut_rows(actions: Sequence[QAction]) -> list[tuple[str, str]]:
    rows = []
    for action in actions:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys:
            rows.append((action.text().replace("&", "").rstrip("…"), keys))
    return rows


def shortcuts_html(actions: Sequence[QAction]) -> str:
    extra = [("Move between cards", "↑ ↓ in a column, ← → between columns"), ("Open a card's details", "Enter"),
             ("The task panel's tabs (Overview … Drafts, Change)", "Alt+1 … Alt+7"),
             ("Submit a dialog", "Ctrl+Enter")]
    rows = "".join(f"<tr><td>{escape(what)}</td><td><b>{escape(keys)}</b></td></tr>"
                   for what, keys in shortcut_rows(actions) + extra)
    tips = "".join(f"<li><b>{escape(t.label.replace('&', ''))}</b>: {escape(t.tip)}</li>" for t in TRANSITIONS.values())
    return (f"<h3>Keyboard shortcuts</h3><table cellpadding='4'>{rows}</table>"
            f"<h3>Actions on a task</h3><ul>{tips}</ul>")


class HelpDialog(QDialog):
    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("help-dialog")
        self.setWindowTitle("Bureau help")
        self.resize(640, 560)
        self.tabs = QTabWidget()
        self.guide = QTextBrowser()
        self.guide.setMarkdown(GUIDE)
        self.shortcuts = QTextBrowser()
        self.shortcuts.setHtml(shortcuts_html(actions))
        self.tabs.addTab(self.guide, "Guide")
        self.tabs.addTab(self.shortcuts, "Keyboard shortcuts")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
