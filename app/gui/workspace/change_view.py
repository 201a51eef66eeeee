"""The task panel's Change tab: what a code or DevOps task changed in a linked repository (layout only).

A summary line (repository, branch, files, lines, the project's tests before → after), the diff
with syntax colouring, and the two ways to take it: apply it to the founder's branch, or export a
``.patch``. ``ChangeController`` (``change_controller.py``) gives it behaviour.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from app.gui.common.widgets import StatusLine
from app.gui.detail.preview import Preview
from app.workspace.delivery import APPLICABLE, Delivery
from app.workspace.sandbox import CommandResult

CHANGE_TAB = "Diff"  # short, so the panel's seven tabs fit without scrolling
PASS, FAIL, MUTED = "#15803d", "#c62828", "#6b7280"


def _tests(result: CommandResult | None) -> str:
    if result is None:
        return f"<span style='color:{MUTED}'>not run</span>"
    if result.timed_out:
        return f"<span style='color:{FAIL}'>stopped at the time limit</span>"
    word, colour = ("passed", PASS) if result.passed else ("failed", FAIL)
    return f"<span style='color:{colour}; font-weight:600'>{word}</span>"


def summary_html(delivery: Delivery) -> str:
    """One line (two when applied): repository · branch · files · +/- lines · tests before → after."""
    run = delivery.newest
    files = sum(r.files_changed for r in delivery.runs)
    added, removed = sum(r.added for r in delivery.runs), sum(r.removed for r in delivery.runs)
    first = delivery.runs[0]
    parts = [f"<b>{escape(run.repo_name)}</b>",
             f"<code>{escape(run.branch)}</code> from <code>{escape(delivery.base_branch or '?')}</code> "
             f"at <code>{run.base_commit[:8]}</code>",
             f"{files} file{'s' if files != 1 else ''} changed",
             f"<span style='color:{PASS}'>+{added}</span>&nbsp;<span style='color:{FAIL}'>−{removed}</span>",
             f"tests&nbsp;{_tests(first.tests_before)}&nbsp;→&nbsp;{_tests(run.tests_after)}"]
    lines = [" · ".join(parts)]
    lines += [f"<span style='color:{FAIL}'>Edits refused ({escape(r.step_key)}): {escape(r.refused)}</span>"
              for r in delivery.runs if r.refused]
    lines += [f"<span style='color:{FAIL}'>Check: {escape(p)}</span>" for r in delivery.runs for p in r.problems]
    if delivery.applied_commit:
        lines.append(f"<span style='color:{PASS}'>Applied to <code>{escape(delivery.applied_branch or '?')}</code> "
                     f"at <code>{delivery.applied_commit[:10]}</code>.</span>")
    return "<br>".join(lines)


def tests_tooltip(delivery: Delivery) -> str:
    run = delivery.newest
    before, after = delivery.runs[0].tests_before, run.tests_after
    command = (after or before).command if (after or before) else "no test command"
    return (f"Test command: {command}\nBefore the change: {before.summary() if before else 'not run'}\n"
            f"After the change: {after.summary() if after else 'not run'}")


class ChangeTab(QWidget):
    """Layout only; ``ChangeController`` gives it behaviour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setObjectName("change-summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.diff = QTextBrowser()
        self.diff.setObjectName("change-diff")
        self.diff.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        self.diff.setPlaceholderText("The diff the team delivered appears here.")
        self.note = QLabel()
        self.note.setStyleSheet(f"color: {MUTED};")
        self.apply_button = QPushButton("&Apply to my branch…")
        self.apply_button.setToolTip("Commit the change on bureau/task-N and bring it onto your branch "
                                     "(refused, with the reason, when your branch changed in a conflicting way); "
                                     "accepts the task")
        self.export_button = QPushButton("E&xport .patch…")
        self.export_button.setToolTip("Save the change as a .patch file (`git am` or `git apply` it)")
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        self.status = StatusLine()
        self.status.setObjectName("change-status")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.diff, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.delivery: Delivery | None = None
        self.busy = False
        self.show_delivery(None)

    def show_delivery(self, delivery: Delivery | None, preview: Preview | None = None) -> None:
        self.delivery = delivery
        if delivery is None:
            self.summary.setText("")
            self.summary.setToolTip("")
            self.diff.clear()
            self.note.setText("")
        else:
            self.summary.setText(summary_html(delivery))
            self.summary.setToolTip(tests_tooltip(delivery))
            bar = self.diff.verticalScrollBar()
            keep = bar.value()
            if preview is not None and preview.kind == "html":
                self.diff.setHtml(preview.body)
            else:
                self.diff.setPlainText(preview.body if preview else delivery.diff)
            bar.setValue(keep)
            self.note.setText(preview.note if preview and preview.note else
                              "" if delivery.diff else "The team changed no file.")
        self.note.setVisible(bool(self.note.text()))
        self._enable()

    def _enable(self) -> None:
        d = self.delivery
        can = d is not None and bool(d.diff) and not self.busy
        self.apply_button.setEnabled(can and d is not None and not d.applied_commit and d.status in APPLICABLE)
        self.export_button.setEnabled(can)

    # -- an ErrorSink for Apply and Export: the buttons wait while one runs ------------------
    def show_error(self, message: str, fix: str | None = None) -> None:
        self.status.show_error(message, fix)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._enable()
