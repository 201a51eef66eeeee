"""The Insights view: a period chooser, a headline and six charts (pyqtgraph). Display only."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.gui.insights.charts import BarChart, InsightsCharts, LineChart

PERIODS = ((7, "Last 7 days"), (30, "Last 30 days"), (90, "Last 90 days"), (365, "Last year"))
MAX_TICKS = 10


class ChartPanel(pg.PlotWidget):
    """One bar or line chart. ``bar_clicked`` gives the category index and the series under the pointer."""

    bar_clicked = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart: BarChart | LineChart | None = None
        self.bars: list[pg.BarGraphItem] = []
        self.lines: list[pg.PlotDataItem] = []
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.showGrid(y=True, alpha=0.15)
        self.setMinimumSize(320, 220)
        self.scene().sigMouseClicked.connect(self._clicked)

    def show_chart(self, chart: BarChart | LineChart) -> None:
        self.chart = chart
        item = self.getPlotItem()
        item.clear()
        if item.legend is not None:
            item.legend.scene().removeItem(item.legend) if item.legend.scene() else None
            item.legend = None
        self.bars, self.lines = [], []
        fg = self.palette().color(QPalette.ColorRole.WindowText).name()
        self.setTitle(f"<span style='color:{fg}; font-size:10pt'>{chart.title}</span>")
        self.setLabel("left", chart.unit)
        n = len(chart.categories)
        if len(chart.series) > 1:
            legend = item.addLegend(offset=(-4, 2), labelTextColor=fg, labelTextSize="8pt",
                                    colCount=3 if len(chart.series) > 4 else 2)
            legend.setBrush(pg.mkBrush(self.palette().color(QPalette.ColorRole.Base)))
        if isinstance(chart, BarChart):
            base = [0.0] * n
            for s in chart.series:
                bar = pg.BarGraphItem(x=list(range(n)), height=list(s.values), y0=list(base), width=0.72,
                                      brush=pg.mkBrush(s.color), pen=pg.mkPen(None), name=s.name)
                item.addItem(bar)
                self.bars.append(bar)
                base = [b + v for b, v in zip(base, s.values, strict=True)]
            top = max(base, default=0.0)
        else:
            top = 0.0
            for s in chart.series:
                line = item.plot(list(range(n)), list(s.values), pen=pg.mkPen(s.color, width=2), symbol="o", antialias=True,
                                 symbolBrush=s.color, symbolPen=None, symbolSize=7, name=s.name)
                self.lines.append(line)
                top = max([top, *s.values])
        step = max(1, -(-n // MAX_TICKS))
        self.getAxis("bottom").setTicks([[(i, c) for i, c in enumerate(chart.categories) if i % step == 0]])
        item.setXRange(-0.6, max(0.6, n - 0.4), padding=0)
        headroom = 1.25 if len(chart.series) < 2 else 1.25 + 0.12 * -(-len(chart.series) // 3)
        item.setYRange(0, top * headroom if top > 0 else 1, padding=0)
        self.getAxis("bottom").setHeight(40 if any("\n" in c for c in chart.categories) else None)
        if n == 0:
            empty = pg.TextItem("nothing in this period", color=fg, anchor=(0.5, 0.5))
            empty.setPos(0, 0.5)
            item.addItem(empty)

    def _clicked(self, event) -> None:  # type: ignore[no-untyped-def]
        chart = self.chart
        if not isinstance(chart, BarChart) or not chart.categories:
            return
        point = self.getPlotItem().vb.mapSceneToView(event.scenePos())
        i = round(point.x())
        if not 0 <= i < len(chart.categories) or abs(point.x() - i) > 0.36:
            return
        base = 0.0
        for s in chart.series:
            if base <= point.y() < base + s.values[i]:
                self.bar_clicked.emit(i, s.name)
                return
            base += s.values[i]


class InsightsView(QWidget):
    """``period_changed`` asks for another period (days); ``refresh_requested`` for the same one again."""

    period_changed = Signal(int)
    refresh_requested = Signal()
    drawn = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("insights-view")
        self._serial = 0
        self.period = QComboBox()
        for days, label in PERIODS:
            self.period.addItem(label, days)
        self.period.setCurrentIndex(1)
        self.refresh = QPushButton("&Refresh")
        self.headline = QLabel("Loading…")
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-size: 13px; font-weight: 600;")
        self.hint = QLabel("Click a bar of the first chart to see those tasks on the board.")
        self.hint.setStyleSheet("color: gray;")
        top = QHBoxLayout()
        top.addWidget(self.period)
        top.addWidget(self.refresh)
        top.addSpacing(12)
        top.addWidget(self.headline, 1)
        self.throughput, self.cycle, self.rework = ChartPanel(), ChartPanel(), ChartPanel()
        self.corrections, self.tokens, self.model_time = ChartPanel(), ChartPanel(), ChartPanel()
        grid = QGridLayout()
        grid.setSpacing(8)
        for i, panel in enumerate(self.panels):
            panel.setBackground(self.palette().color(QPalette.ColorRole.Base))
            grid.addWidget(panel, i // 2, i % 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addLayout(grid, 1)
        self.period.currentIndexChanged.connect(lambda _i: self.period_changed.emit(self.days))
        self.refresh.clicked.connect(self.refresh_requested)

    @property
    def panels(self) -> tuple[ChartPanel, ...]:
        return (self.throughput, self.cycle, self.rework, self.corrections, self.tokens, self.model_time)

    @property
    def days(self) -> int:
        return int(self.period.currentData())

    def set_loading(self, loading: bool) -> None:
        self.refresh.setEnabled(not loading)
        self.setCursor(Qt.CursorShape.BusyCursor if loading else Qt.CursorShape.ArrowCursor)

    def show_charts(self, charts: InsightsCharts) -> None:
        """Draw the charts one per turn of the event loop (the GUI never stalls for all six); ``drawn`` at the end."""
        self.headline.setText(charts.headline)
        self._serial += 1
        pending = list(zip(self.panels, (charts.throughput, charts.cycle, charts.rework, charts.corrections,
                                         charts.tokens, charts.model_time), strict=True))
        self._draw_next(self._serial, pending)

    def _draw_next(self, serial: int, pending: list[tuple[ChartPanel, BarChart | LineChart]]) -> None:
        if serial != self._serial:
            return  # newer charts came meanwhile
        if not pending:
            self.drawn.emit()
            return
        panel, chart = pending.pop(0)
        panel.show_chart(chart)
        QTimer.singleShot(0, self, lambda: self._draw_next(serial, pending))

    def show_error(self, message: str) -> None:
        self.headline.setText(message)
