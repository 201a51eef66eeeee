"""The Settings dialog: every setting the app refers to, each with a one-line explanation. Layout only.

Tabs: Autopilot, Model, Budgets, Notifications (with the trace export), Appearance, Routing. ``values(base)`` returns a
new ``Settings`` (the one in use is never changed here); the controller saves it and swaps it in.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.settings import Appearance, AutopilotPolicy, Budgets, ModelSettings, Notifications, Settings
from app.gui.common.form_dialog import FormDialog
from app.gui.routing.view import RoutingTab

# Where each setting lives, as banners and help name it ("Settings → Model → Step token limit").
STEP_TOKENS = "Step token limit"
REVIEW_TOKENS = "Review token limit"
CONTEXT = "Context size"


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text); font-size: 11px;")
    return label


class _Page(QScrollArea):
    """A tab of rows: a label, a control, and under it one line saying what it does."""

    def __init__(self, intro: str) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        inner = QWidget()
        self.form = QFormLayout(inner)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        if intro:
            self.form.addRow(_hint(intro))
        self.setWidget(inner)

    def row(self, label: str, widget: QWidget, explanation: str) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 6)
        v.setSpacing(1)
        v.addWidget(widget)
        v.addWidget(_hint(explanation))
        widget.setToolTip(explanation)
        widget.setAccessibleName(label)
        self.form.addRow(label + ":", box)
        return widget


def _spin(low: int, high: int, value: int, suffix: str = "") -> QSpinBox:
    s = QSpinBox()
    s.setRange(low, high)
    s.setValue(value)
    s.setSuffix(suffix)
    s.setMaximumWidth(160)
    return s


def _dspin(low: float, high: float, value: float, step: float, decimals: int = 2, suffix: str = "") -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setRange(low, high)
    s.setDecimals(decimals)
    s.setSingleStep(step)
    s.setValue(value)
    s.setSuffix(suffix)
    s.setMaximumWidth(160)
    return s


class SettingsDialog(FormDialog):
    """Every setting, with Save; the Routing tab saves its own changes at once."""

    TABS = ("Autopilot", "Model", "Budgets", "Notifications", "Appearance", "Routing")

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__("Settings", "&Save", parent)
        self.setObjectName("settings-dialog")
        self.resize(760, 600)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._autopilot_tab(settings.autopilot), "Autopilot")
        self.tabs.addTab(self._model_tab(settings.model, settings.review_with_model), "Model")
        self.tabs.addTab(self._budgets_tab(settings.budgets), "Budgets")
        self._traces_endpoint = settings.traces.otlp_endpoint or ""
        self.tabs.addTab(self._notifications_tab(settings.notifications), "Notifications")
        self.tabs.addTab(self._appearance_tab(settings.appearance), "Appearance")
        self.routing = RoutingTab()
        self.tabs.addTab(self.routing, "Routing")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def show_tab(self, name: str) -> None:
        """By its title: the tabs other rooms add (Hybrid, Company) too."""
        titles = [self.tabs.tabText(i).replace("&", "") for i in range(self.tabs.count())]
        self.tabs.setCurrentIndex(titles.index(name))

    # -- tabs --------------------------------------------------------------------------
    def _autopilot_tab(self, policy: AutopilotPolicy) -> QWidget:
        page = _Page("When the CEO routes a task, should it go ahead on its own? Tasks you give a team "
                     "yourself always go ahead. Changes apply to the next decision.")
        self.threshold_mode = QRadioButton("Go ahead when the CEO is at least this sure")
        self.manual_mode = QRadioButton("Every decision waits for me (manual)")
        group = QButtonGroup(self)
        group.addButton(self.threshold_mode)
        group.addButton(self.manual_mode)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setAccessibleName("Confidence threshold")
        self.spin = _spin(0, 100, round(policy.threshold * 100), " %")
        self.slider.setValue(self.spin.value())
        self.slider.valueChanged.connect(self.spin.setValue)
        self.spin.valueChanged.connect(self.slider.setValue)
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(self.slider, 1)
        h.addWidget(self.spin)
        self.threshold_mode.toggled.connect(self.slider.setEnabled)
        self.threshold_mode.toggled.connect(self.spin.setEnabled)
        (self.manual_mode if policy.mode == "manual" else self.threshold_mode).setChecked(True)
        self.slider.setEnabled(policy.mode != "manual")
        self.spin.setEnabled(policy.mode != "manual")
        page.row("Mode", self.threshold_mode, "Decisions at or above the threshold proceed; the rest wait in "
                 "Needs decision.")
        page.row("Threshold", row, "How sure the CEO must be to go ahead without you (80 % is a good start).")
        page.row("Manual", self.manual_mode, "Nothing starts until you approve or reassign it.")
        return page

    def _model_tab(self, m: ModelSettings, review_with_model: bool) -> QWidget:
        page = _Page("How the local model runs. Token limits and temperature apply to the next step; "
                     "the context size and memory settings apply after a restart.")
        self.step_tokens = page.row(STEP_TOKENS, _spin(16, 32768, m.step_max_tokens, " tokens"),
                                    "The longest reply a team may write in one step; raise it when replies are cut off.")
        self.review_tokens = page.row(REVIEW_TOKENS, _spin(16, 8192, m.review_max_tokens, " tokens"),
                                      "The longest verdict the CEO writes when it reviews work.")
        self.temperature = page.row("Temperature", _dspin(0.0, 2.0, m.temperature, 0.05),
                                    "Lower is steadier and more literal; higher is more varied (0.2 suits work).")
        self.n_ctx = page.row(CONTEXT, _spin(512, 131072, m.n_ctx, " tokens"),
                              "How much text the model reads at once (task, notes and reply); more needs more memory.")
        self.max_resident = page.row("Models in memory", _spin(1, 8, m.max_resident),
                                     "How many local models stay loaded at once; the least recently used is unloaded.")
        self.idle_unload = page.row("Unload when idle", _spin(0, 86400, int(m.idle_unload_seconds), " s"),
                                    "Free an unused model's memory after this many seconds (0: never).")
        self.review_with_model = page.row("Model review", QCheckBox("The CEO reads the work with the model"),
                                          "Off: only the rubric's checks review the work (faster, less thorough).")
        self.review_with_model.setChecked(review_with_model)
        return page

    def _budgets_tab(self, b: Budgets) -> QWidget:
        page = _Page("Limits for each task. A task that reaches one stops and waits for you; approving it "
                     "continues with twice that limit.")
        self.max_rounds = page.row("Rework rounds", _spin(0, 10, b.max_rework_rounds),
                                   "How often the CEO may send work back before you decide.")
        self.max_attempts = page.row("Attempts per step", _spin(1, 10, b.max_step_attempts),
                                     "How often a step that failed for a passing reason (a timeout) is tried.")
        self.max_steps = page.row("Model calls", _spin(1, 10000, b.max_steps),
                                  "Model calls per task, retries included.")
        self.max_tokens = page.row("Tokens", _spin(100, 10_000_000, b.max_tokens),
                                   "Tokens read and written per task.")
        self.max_minutes = page.row("Wall time", _dspin(1, 10080, b.max_minutes, 5, 0, " min"),
                                    "Minutes from a task's first step to its last.")
        return page

    def _notifications_tab(self, n: Notifications) -> QWidget:
        page = _Page("The tray message and taskbar alert when something needs you.")
        self.notify_decision = page.row("Decisions", QCheckBox("When a task needs my decision"),
                                        "The CEO is unsure, or a budget stopped a task.")
        self.notify_delivered = page.row("Delivered", QCheckBox("When work is delivered"),
                                         "The CEO passed the work; it waits for you to accept it.")
        self.notify_failed = page.row("Failed", QCheckBox("When a task fails"),
                                      "A step failed after its attempts; retry it from the board.")
        self.notify_sound = page.row("Sound", QCheckBox("Play a short sound"), "With each notification above.")
        self.weekly_report = page.row("Weekly report", QCheckBox("A report of the week's work every Monday at 9"),
                                      "A schedule asks the content team to write it from the week's figures "
                                      "(the ones `bureau stats --week` prints); it arrives on the board like any "
                                      "task. Turning this off removes the schedule; past reports stay.")
        self.otlp_endpoint = page.row(
            "Trace export", QLineEdit(self._traces_endpoint),
            "Optional: the OTLP/HTTP address of your OpenTelemetry collector (Jaeger, Grafana), e.g. "
            "http://localhost:4318; each finished task's trace is sent there. Empty: nothing is sent. "
            "An auth header goes in the OS keyring: `bureau traces --headers-stdin`.")
        self.otlp_endpoint.setPlaceholderText("off (nothing is sent)")
        for box, on in ((self.notify_decision, n.needs_decision), (self.notify_delivered, n.delivered),
                        (self.notify_failed, n.failed), (self.notify_sound, n.sound),
                        (self.weekly_report, n.weekly_report)):
            box.setChecked(on)
        return page

    def _appearance_tab(self, a: Appearance) -> QWidget:
        page = _Page("")
        self.theme = QComboBox()
        for text, value in (("Follow the desktop", "system"), ("Light", "light"), ("Dark", "dark")):
            self.theme.addItem(text, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(a.theme)))
        page.row("Theme", self.theme, "Light or dark colours; \"Follow the desktop\" switches with your system.")
        return page

    # -- values ------------------------------------------------------------------------
    def values(self, base: Settings) -> Settings:
        """A new ``Settings``: ``base`` with this dialog's values (``base`` is left as it is)."""
        return base.model_copy(update={
            "autopilot": AutopilotPolicy(mode="manual" if self.manual_mode.isChecked() else "threshold",
                                         threshold=self.spin.value() / 100.0),
            "model": base.model.model_copy(update={
                "step_max_tokens": self.step_tokens.value(), "review_max_tokens": self.review_tokens.value(),
                "temperature": self.temperature.value(), "n_ctx": self.n_ctx.value(),
                "max_resident": self.max_resident.value(), "idle_unload_seconds": float(self.idle_unload.value())}),
            "review_with_model": self.review_with_model.isChecked(),
            "budgets": Budgets(max_rework_rounds=self.max_rounds.value(), max_step_attempts=self.max_attempts.value(),
                               max_steps=self.max_steps.value(), max_tokens=self.max_tokens.value(),
                               max_minutes=self.max_minutes.value()),
            "notifications": Notifications(needs_decision=self.notify_decision.isChecked(),
                                           delivered=self.notify_delivered.isChecked(),
                                           failed=self.notify_failed.isChecked(), sound=self.notify_sound.isChecked(),
                                           weekly_report=self.weekly_report.isChecked()),
            "appearance": Appearance(theme=self.theme.currentData()),
            # validated when saved (an endpoint that is not a URL is shown in the dialog, nothing is saved)
            "traces": base.traces.model_copy(update={"otlp_endpoint": self.otlp_endpoint.text().strip() or None}),
        })
