"""The task detail side panel. Layout and display only; the controller feeds it."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.detail.data import DetailData, PlanStep, StepView
from app.gui.detail.drafts import DraftsTab
from app.gui.detail.preview import Preview
from app.gui.detail.table_models import (
    AlternativesModel, ArtifactsModel, AttachmentsModel, ReviewsModel, StepsModel, TimelineModel,
)
from app.gui.common.theme import STATUS_COLORS
from app.gui.insights.trace_view import TraceWidget
from app.gui.workspace.change_view import CHANGE_TAB, ChangeTab

MAX_LIVE_CHARS = 200_000
DRAFTS_TAB = "✉"  # the Drafts tab: short, so six tabs fit the panel; the card's marker says "✉ draft" too


def _table(model: StepsModel | AlternativesModel | ReviewsModel | ArtifactsModel | AttachmentsModel | TimelineModel,
           stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    # One line per row, elided, the whole text in the tooltip: no tall or garbled rows.
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setAlternatingRowColors(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(36)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    return view


def _readonly_text(placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setReadOnly(True)
    edit.setPlaceholderText(placeholder)
    return edit


class DetailPanel(QStackedWidget):
    """Page 0: a hint to select a card; page 1: the selected task."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(340)
        self.team_colors: dict[str, str] = {}
        self.paused = False
        self.approve_and_accept = False  # both enabled: the banner says the difference
        self.steps_model = StepsModel(self)
        self.alternatives_model = AlternativesModel(self)
        self.reviews_model = ReviewsModel(self)
        self.artifacts_model = ArtifactsModel(self)
        self.attachments_model = AttachmentsModel(self)
        self.timeline_model = TimelineModel(self)

        hint = QLabel("Select a card to see the task, the CEO's decision, the work and its files.")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setContentsMargins(30, 30, 30, 30)
        self.addWidget(hint)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(10, 8, 10, 8)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.meta = QLabel()
        self.meta.setTextFormat(Qt.TextFormat.RichText)
        self.meta.setWordWrap(True)
        self.waiting = QLabel()
        self.waiting.setWordWrap(True)
        self.waiting.setFrameShape(QFrame.Shape.StyledPanel)
        self.waiting.setStyleSheet("padding: 6px; border-radius: 4px; background: rgba(217,119,6,0.16);")
        self.action_bar = QHBoxLayout()
        self.action_bar.setSpacing(4)
        self.action_buttons: list[QToolButton] = []
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.waiting)
        layout.addLayout(self.action_bar)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._overview_tab(), "Overview")
        self.tabs.addTab(self._work_tab(), "Work")
        self.tabs.addTab(self._reviews_tab(), "Reviews")
        self.tabs.addTab(self._files_tab(), "Files")
        self.tabs.addTab(self._timeline_tab(), "Timeline")
        self.drafts = DraftsTab()
        self.tabs.addTab(self.drafts, DRAFTS_TAB)
        self.set_drafts_waiting(0)
        self.change = ChangeTab()  # a code or DevOps task's diff in a linked repository (shown when there is one)
        self.tabs.addTab(self.change, CHANGE_TAB)
        self.tabs.setTabToolTip(self.tabs.indexOf(self.change), "The diff the team delivered: apply it to your "
                                "branch or export a .patch (Alt+7)")
        self.set_change_shown(False)
        layout.addWidget(self.tabs, 1)
        self.addWidget(page)
        for i in range(self.tabs.count()):  # Alt+1 … Alt+6: the task panel's tabs from anywhere in the window
            shortcut = QShortcut(QKeySequence(f"Alt+{i + 1}"), self, context=Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda i=i: self.show_tab(i))

    # -- layout ------------------------------------------------------------------------
    def _overview_tab(self) -> QWidget:
        """Task, decision and result; scrolls as a whole when the window is short (nothing is clipped)."""
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        tab = QWidget()
        scroll.setWidget(tab)
        layout = QVBoxLayout(tab)
        self.text = _readonly_text("")
        self.text.setMaximumHeight(64)
        decision = QGroupBox("The CEO's decision")
        box = QVBoxLayout(decision)
        self.route_summary = QLabel()
        self.route_summary.setTextFormat(Qt.TextFormat.RichText)
        self.route_summary.setWordWrap(True)
        self.rationale = QLabel()
        self.rationale.setWordWrap(True)
        self.rationale.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.plan = QLabel()
        self.plan.setTextFormat(Qt.TextFormat.RichText)
        self.plan.setWordWrap(True)
        self.alternatives = _table(self.alternatives_model, AlternativesModel.TEAM)
        self.alternatives.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.alternatives.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.alternatives.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        box.addWidget(self.route_summary)
        box.addWidget(self.rationale)
        box.addWidget(self.plan)
        self.edit_plan = QToolButton()  # "Edit plan…" (set_plan_action); shown while the plan may change
        self.edit_plan.setVisible(False)
        box.addWidget(self.edit_plan)
        box.addWidget(self.alternatives)
        self.output_label = QLabel("<b>Result</b>")
        self.output = QTextBrowser()
        self.output.setOpenExternalLinks(True)
        self.output.setPlaceholderText("The team's result appears here once a step has finished.")
        self.output.setMinimumHeight(220)
        layout.addWidget(QLabel("<b>Task</b>"))
        layout.addWidget(self.text)
        layout.addWidget(decision)
        layout.addWidget(self.output_label)
        layout.addWidget(self.output, 1)
        return scroll

    def _work_tab(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.steps = _table(self.steps_model, StepsModel.STATE)
        self.steps.setMinimumHeight(80)
        lower = QWidget()
        box = QVBoxLayout(lower)
        box.setContentsMargins(0, 4, 0, 0)
        self.live_label = QLabel("<b>Output</b>")
        self.live = _readonly_text("While a step runs, the model's output appears here as it writes; "
                                   "select a finished step to read what it wrote.")
        box.addWidget(self.live_label)
        box.addWidget(self.live, 1)
        splitter.addWidget(self.steps)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([120, 480])
        return splitter

    def _reviews_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.round_label = QLabel()
        self.reviews = _table(self.reviews_model, ReviewsModel.NOTES)
        layout.addWidget(self.round_label)
        layout.addWidget(self.reviews, 1)
        return tab

    def _files_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.artifacts = _table(self.artifacts_model, ArtifactsModel.NAME)
        self.artifacts.setMinimumHeight(60)
        self.attachments = _table(self.attachments_model, AttachmentsModel.NAME)  # the founder's files, if any
        self.attachments.setMinimumHeight(50)
        self.attachments.setVisible(False)
        buttons = QHBoxLayout()
        self.open_file = QPushButton("&Open")
        self.open_file.setToolTip("Open the file in its usual program (or show its folder)")
        self.save_file = QPushButton("&Save as…")
        self.copy_file = QPushButton("&Copy text")
        for b in (self.open_file, self.save_file, self.copy_file):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.preview_note = QLabel()
        self.preview_note.setWordWrap(True)
        self.preview = QTextBrowser()
        self.preview.setObjectName("file-preview")
        self.preview.setOpenExternalLinks(True)
        self.preview.setPlaceholderText("Select a file to preview it here.")
        split = QSplitter(Qt.Orientation.Vertical)
        files = QWidget()
        files_box = QVBoxLayout(files)
        files_box.setContentsMargins(0, 0, 0, 0)
        files_box.addWidget(self.attachments)
        files_box.addWidget(self.artifacts, 1)
        split.addWidget(files)
        lower = QWidget()
        box = QVBoxLayout(lower)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(buttons)
        box.addWidget(self.preview_note)
        box.addWidget(self.preview, 1)
        split.addWidget(lower)
        split.setSizes([90, 400])
        layout.addWidget(split, 1)
        return tab

    def show_preview(self, preview: Preview | None, name: str = "") -> None:
        if preview is None:
            self.preview.clear()
            self.preview_note.setText("")
            return
        match preview.kind:
            case "markdown":
                self.preview.setMarkdown(preview.body)
            case "html":
                self.preview.setHtml(preview.body)
            case _:
                self.preview.setPlainText(preview.body)
        self.preview_note.setText(f"<b>{escape(name)}</b>" + (f" — {escape(preview.note)}" if preview.note else ""))

    def _timeline_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.timeline = _table(self.timeline_model, TimelineModel.WHAT)
        self.trace = TraceWidget()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.trace)
        splitter.addWidget(self.timeline)
        layout.addWidget(splitter)
        return tab

    def set_drafts_waiting(self, waiting: int) -> None:
        """The Drafts tab says how many drafts wait for the founder's approval."""
        index = self.tabs.indexOf(self.drafts)
        self.tabs.setTabText(index, f"{DRAFTS_TAB} {waiting}" if waiting else DRAFTS_TAB)
        self.tabs.setTabToolTip(index, f"Outbound drafts: {waiting} waiting for your approval (Alt+6)" if waiting
                                else "Outbound drafts: emails and posts the teams wrote, held for your approval "
                                     "(Alt+6)")

    def set_change_shown(self, shown: bool) -> None:
        self.tabs.setTabVisible(self.tabs.indexOf(self.change), shown)

    def show_tab(self, index: int) -> None:
        if not self.tabs.isTabVisible(index):
            return
        self.tabs.setCurrentIndex(index)
        self.tabs.tabBar().setFocus()

    def set_actions(self, actions: Sequence[QAction]) -> None:
        """One button per action the task allows now (the others hide), never squeezed."""
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            button.setVisible(action.isEnabled())
            action.changed.connect(lambda b=button, a=action: b.setVisible(a.isEnabled()))
            self.action_bar.addWidget(button)
            self.action_buttons.append(button)
        self.action_bar.addStretch(1)

    def set_plan_action(self, action: QAction) -> None:
        self.edit_plan.setDefaultAction(action)
        self.edit_plan.setVisible(action.isEnabled())
        action.changed.connect(lambda: self.edit_plan.setVisible(action.isEnabled()))

    # -- display -----------------------------------------------------------------------
    def show_hint(self) -> None:
        self.setCurrentIndex(0)

    def show_detail(self, d: DetailData, team_color: str) -> None:
        self.setCurrentIndex(1)
        self.title.setText(f"#{d.task_id}  {d.title}")
        status_color = STATUS_COLORS.get(d.status, "#888")
        team = (plan_html(d.plan_steps, self.team_colors) if len(d.plan_steps) > 1 else
                f"<span style='color:{team_color or 'gray'}'><b>{escape(d.team or 'no team yet')}</b></span>")
        parts = [f"<span style='color:{status_color}'><b>{d.status.replace('_', ' ')}</b></span>", team,
                 f"{d.priority} priority"]
        if d.route is not None and d.route.reassigned_from:
            parts.append("your choice")
        elif d.confidence is not None:
            parts.append(f"CEO {d.confidence:.0%} sure")
        if d.due:
            parts.append(f"due {d.due.isoformat()}")
        if d.round:
            parts.append(f"rework round {d.round}")
        if d.sensitive:
            parts.append("sensitive: stays on this computer")
        self.meta.setText(" &nbsp;·&nbsp; ".join(parts))
        banner = banner_text(d, paused=self.paused, both=self.approve_and_accept)
        self.waiting.setText(banner)
        self.waiting.setToolTip(banner_text(d, paused=self.paused, both=False, limit=None))
        self.waiting.setVisible(bool(banner))
        if self.text.toPlainText() != d.text:
            self.text.setPlainText(d.text)
        self._show_route(d)
        self.steps_model.set_rows(d.steps)
        self.reviews_model.set_rows(d.reviews)
        self.round_label.setText(f"Rework round: {d.round}" + (" (the first pass)" if d.round == 0 else ""))
        self.attachments_model.set_rows(d.attachments)
        self.attachments.setVisible(bool(d.attachments))
        self.artifacts_model.set_rows(d.artifacts)
        self.timeline_model.set_rows(d.events)
        if d.result:
            self.output_label.setText("<b>Result</b> (the newest finished work)")
            if self.output.toMarkdown() != d.result:
                self.output.setMarkdown(d.result)
        else:
            self.output_label.setText("<b>Result</b>: nothing finished yet")
            self.output.clear()
        has_files = bool(d.artifacts)
        for b in (self.open_file, self.save_file, self.copy_file):
            b.setEnabled(has_files)

    def _show_route(self, d: DetailData) -> None:
        route = d.route
        if route is None:
            self.route_summary.setText("The CEO has not looked at this task yet.")
            self.rationale.clear()
            self.plan.clear()
            self.alternatives_model.set_rows([])
            self.alternatives.setVisible(False)
            return
        sure = f" ({route.confidence:.0%} sure)" if route.confidence is not None else ""
        if route.reassigned_from:
            self.route_summary.setText(f"Reassigned by you to <b>{escape(route.team or '?')}</b> "
                                       f"(from {escape(route.reassigned_from)})")
        else:
            self.route_summary.setText(f"Routed to <b>{escape(route.team or '?')}</b>{sure}")
        self.rationale.setText(route.rationale)
        plan = route.plan
        steps = plan_html(d.plan_steps, self.team_colors) if len(d.plan_steps) > 1 else ""
        summary = escape(plan.summary) if plan is not None and plan.summary else ""
        self.plan.setText(f"<b>Plan</b>: {summary}" + (f"<br>{steps}" if steps else "") if summary or steps else "")
        self.plan.setToolTip("\n".join(plan.steps) if plan is not None else "")
        others = tuple(a for a in route.alternatives if a.team != route.team)
        self.alternatives_model.set_rows(() if route.reassigned_from else others)
        self.alternatives.setVisible(bool(others) and not route.reassigned_from)

    def set_live_text(self, text: str) -> None:
        self.live_label.setText("<b>Live output</b> of the running step")
        self.live.setPlainText(text[-MAX_LIVE_CHARS:])
        self.live.moveCursor(QTextCursor.MoveOperation.End)

    def show_step_output(self, step: StepView | None) -> None:
        if step is None:
            self.live_label.setText("<b>Output</b>")
            self.live.clear()
            return
        self.live_label.setText(f"<b>Output</b> of step {step.key} ({step.team}, {step.status})")
        self.live.setPlainText(step.output or step.error)

    def append_live_text(self, text: str) -> None:
        bar = self.live.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4
        cursor = QTextCursor(self.live.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        if at_end:
            bar.setValue(bar.maximum())

    def selected_attachment_row(self) -> int | None:
        rows = self.attachments.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def selected_artifact_row(self) -> int | None:
        rows = self.artifacts.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        return 0 if self.artifacts_model.rowCount() else None


STATE_MARKS = {"running": "▶ ", "done": "✓ ", "failed": "✗ "}


def plan_html(steps: Sequence[PlanStep], colors: dict[str, str]) -> str:
    """code ✓ → ▶ devops → marketing: each step's team, the one in progress marked."""
    parts = []
    for s in steps:
        color = colors.get(s.team, "gray")
        text = escape(STATE_MARKS.get(s.state, "") + s.team)
        style = f"color:{color}; font-weight:700; text-decoration: underline" if s.state == "running" else \
            f"color:{color}"
        parts.append(f"<span style='{style}'>{text}</span>")
    return " → ".join(parts)


BANNER_CHARS = 260  # a longer reason is cut (the whole of it is in the banner's tooltip and the Reviews tab)


def banner_text(d: DetailData, *, paused: bool, both: bool, limit: int | None = BANNER_CHARS) -> str:
    """The banner over a task: why it waits, said so that it stays true (while paused, too)."""
    reason = d.waiting_reason or ""
    if limit is not None and len(reason) > limit:
        reason = reason[:limit].rsplit(" ", 1)[0] + " … (point here for all of it)"
    if paused and reason.startswith("Retrying"):
        reason = ("Paused: the retry waits until you resume the company (Ctrl+P). "
                  + reason.split(":", 1)[-1].strip())
    elif paused and d.status in ("queued", "inbox", "rework"):
        reason = (reason + " " if reason else "") + "The company is paused: it starts when you resume (Ctrl+P)."
    if both:
        reason += ("\nApprove takes the work as it is and moves it to Delivered for a last look; "
                   "Accept marks it done now.")
    return reason.strip()
