"""What the company is doing, said honestly: the model's loading, the pause switch, the status bar.

- The model the CEO uses first is loaded at start (``ModelPool.preload``) with a busy bar and
  its name; the welcome panel says "loaded" only once it is in memory.
- Pause is one switch for the whole company: the marker file that ``bureau pause`` writes.
  The toggle writes it, and a pause or resume made in a terminal shows here within a second.
- The status bar says "Working on #12 …" only while a task runs; otherwise Idle or Paused.
"""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from app.company import Company
from app.core.status import Status
from app.gui.board.item_models import BoardModel
from app.gui.common.errors import ErrorReporter, ReadableError
from app.gui.common.ops import Op, TaskRunner
from app.gui.shell.engine_host import EngineHost, load_default_model
from app.gui.shell.window import MainWindow

PAUSE_POLL_MS = 1000


class CompanyStatus(QObject):
    model_ready = Signal(str)
    paused_changed = Signal(bool)

    def __init__(self, company: Company, engine: EngineHost, window: MainWindow, board: BoardModel,
                 runner: TaskRunner, reporter: ErrorReporter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._company = company
        self._engine = engine
        self._window = window
        self._board = board
        self._runner = runner
        self._reporter = reporter
        self.model_name: str | None = None
        self.loading = False
        self.paused = company.paused
        self._timer = QTimer(self, interval=PAUSE_POLL_MS)
        self._timer.timeout.connect(self.check_pause)
        window.pause_action.setChecked(self.paused)
        window.pause_action.toggled.connect(self.set_paused)
        board.counts_changed.connect(self.show)
        engine.crashed.connect(self._engine_crashed)

    # -- the model ---------------------------------------------------------------------
    def preload(self) -> None:
        name = self._company.models.chain_for("ceo")[:1] or ["the default model"]
        self.loading = True
        self._timer.start()
        self._window.welcome.set_model_state(
            f"Loading {name[0]} into memory (the embedded SmolLM2-135M is about 100 MB: a few seconds). "
            "Tasks you add now start as soon as it is ready.", busy=True)
        self.show()
        started = time.monotonic()
        Op(self._runner, lambda: load_default_model(self._company)).success(
            lambda name: self._ready(name, time.monotonic() - started)).failure(self._failed) \
            .progress(f"Loading {name[0]}…").low_priority().run()

    def _ready(self, name: str, seconds: float) -> None:
        self.loading = False
        self.model_name = name
        if name in self._company.models.resident:  # in memory now: only then does the panel say "loaded"
            text = f"The model {name} is loaded ({seconds:.1f} s) and the company is at work."
        else:
            text = (f"The model {name} is ready: it answers from its server (nothing to load on this "
                    "computer); the company is at work.")
        self._window.welcome.set_model_state(text, busy=False)
        self._engine.start()
        self.show()
        self.model_ready.emit(name)

    def _failed(self, exc: BaseException) -> None:
        self.loading = False
        error = ReadableError.of(exc)
        self._window.welcome.set_model_state(f"The model could not be loaded: {error.message} {error.fix or ''}",
                                             busy=False)
        self._window.engine_state.setText("Stopped: no model")
        self._reporter.report(exc)

    def _engine_crashed(self, exc: BaseException) -> None:
        self._window.engine_state.setText("Stopped after an error")
        self._reporter.report(exc)

    def stop(self) -> None:
        self._timer.stop()

    # -- pause -------------------------------------------------------------------------
    def set_paused(self, paused: bool) -> None:
        if paused != self._company.paused:
            self._engine.set_paused(paused)
        self.check_pause()

    def check_pause(self) -> None:
        """Follow the company's one pause switch (also set by `bureau pause` / `bureau resume`)."""
        if not shiboken6.isValid(self._window):
            self._timer.stop()
            return
        paused = self._company.paused  # one stat of a marker file
        if paused != self.paused:
            self.paused = paused
            self.paused_changed.emit(paused)
        action = self._window.pause_action
        if action.isChecked() != paused:
            action.blockSignals(True)
            action.setChecked(paused)
            action.blockSignals(False)
        action.setText("&Resume the company" if paused else "&Pause the company")
        action.setIconText("Resume" if paused else "Pause")
        self.show()

    # -- the status bar ----------------------------------------------------------------
    def show(self) -> None:
        label = self._window.engine_state
        if self.loading:
            label.setText("Loading the model…")
            return
        if not self._engine.running:
            return
        model = self.model_name or "the model"
        running = self._board.columns[Status.RUNNING]
        if self.paused:
            label.setText("Paused: no new work (Ctrl+P resumes)")
        elif running.rowCount() or self._board.total(Status.RUNNING):
            first = running.card_at(0) if running.rowCount() else None
            label.setText(f"Working on #{first.id} ({model})" if first else f"Working ({model})")
        elif self._board.total(Status.IN_REVIEW):
            label.setText(f"Reviewing ({model})")
        else:
            label.setText(f"Idle ({model} ready)")
