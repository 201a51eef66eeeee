"""Behaviour of the Insights view: stats are computed in the background helper, never on the GUI thread."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from app.gui.common.errors import ReadableError
from app.gui.common.ops import TaskRunner
from app.gui.insights.charts import InsightsCharts, build_charts
from app.gui.insights.view import InsightsView
from app.insights.models import StatsQuery
from app.insights.stats import compute_stats, delivered_task_ids
from app.store.db import Database


class InsightsController(QObject):
    """Loads the stats for the chosen period; ``show_tasks`` carries the ids behind a clicked bar."""

    loaded = Signal()
    show_tasks = Signal(object, str)  # frozenset[int], a description for the founder

    def __init__(self, db: Database, view: InsightsView, runner: TaskRunner, team_colors: Mapping[str, str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._view = view
        self._runner = runner
        self._colors = team_colors
        self._serial = 0
        self.charts: InsightsCharts | None = None
        self.loading = False
        view.period_changed.connect(lambda _days: self.load())
        view.refresh_requested.connect(self.load)
        view.throughput.bar_clicked.connect(self._throughput_clicked)
        view.drawn.connect(self._drawn)

    def load(self, *, today: date | None = None) -> None:
        self._serial += 1
        serial, db, colors = self._serial, self._db, dict(self._colors)
        query = StatsQuery.last_days(self._view.days, today=today)
        self.loading = True
        self._view.set_loading(True)
        self._runner.run(lambda: build_charts(compute_stats(db, query), colors), owner=self._view,
                         on_success=lambda charts: self._loaded(serial, charts),
                         on_failure=lambda exc: self._failed(serial, exc), label="Computing insights…")

    def _loaded(self, serial: int, charts: InsightsCharts) -> None:
        if serial != self._serial:
            return  # an older period's answer
        self.charts = charts
        self._view.show_charts(charts)

    def _drawn(self) -> None:
        self.loading = False
        self._view.set_loading(False)
        self.loaded.emit()

    def _failed(self, serial: int, exc: BaseException) -> None:
        if serial == self._serial:
            self.loading = False
            self._view.set_loading(False)
            error = ReadableError.of(exc)
            self._view.show_error(f"Could not compute the insights: {error.message} {error.fix or ''}")

    def _throughput_clicked(self, index: int, team: str) -> None:
        if self.charts is None:
            return
        day = self.charts.throughput.keys[index]
        assert isinstance(day, date)
        db = self._db
        self._runner.run(lambda: frozenset(delivered_task_ids(db, day=day, team=team)), owner=self._view,
                         on_success=lambda ids: self.show_tasks.emit(
                             ids, f"{len(ids)} task(s) of {team} delivered on {day.isoformat()}"))


class InsightsWindow(QDialog):
    """The Insights view in its own window beside the board."""

    def __init__(self, db: Database, runner: TaskRunner, team_colors: Mapping[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("insights-window")
        self.setWindowTitle("Insights")
        self.resize(1200, 820)
        self.view = InsightsView()
        self.controller = InsightsController(db, self.view, runner, team_colors, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.view)


def open_insights(existing: InsightsWindow | None, db: Database, runner: TaskRunner,
                  team_colors: Mapping[str, str], parent: QWidget) -> InsightsWindow:
    """Show the Insights window (one; brought forward and reloaded when asked again)."""
    window = existing if existing is not None and shiboken6.isValid(existing) else None
    if window is None:
        window = InsightsWindow(db, runner, team_colors, parent)
    window.show()
    window.raise_()
    window.activateWindow()
    window.controller.load()
    return window
