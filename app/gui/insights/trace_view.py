"""A task's trace as horizontal bars: each attempt of a step or review, and the waits between them."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.insights.models import Trace
from app.insights.trace import _dur

KIND_COLORS = {"work": "#0ea5e9", "review": "#a855f7", "wait": "#cbd5e1", "failed": "#dc2626"}


class TraceWidget(QWidget):
    """Rows from the top in time order; a bar per span, its length its duration (seconds after creation)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.trace: Trace | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.setBackground(self.palette().color(QPalette.ColorRole.Base))
        self.plot.setLabel("bottom", "seconds after the task came in")
        self.plot.setMinimumHeight(140)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.plot, 1)

    def show_trace(self, trace: Trace) -> None:
        self.trace = trace
        self.summary.setText(f"{_dur(trace.total_s)} in all: {_dur(trace.model_s)} of model work, "
                             f"{_dur(trace.waiting_s)} waiting, {trace.retries} retr"
                             f"{'y' if trace.retries == 1 else 'ies'}")
        item = self.plot.getPlotItem()
        item.clear()
        spans = trace.spans
        n = len(spans)
        end = max([trace.total_s, *(s.end_s or 0.0 for s in spans)], default=1.0) or 1.0
        for row, span in enumerate(spans):
            stop = span.end_s if span.end_s is not None else end
            color = KIND_COLORS["failed" if span.status == "failed" else span.kind]
            bar = pg.BarGraphItem(x0=[span.start_s], width=[max(stop - span.start_s, end / 400)],
                                  y=[n - 1 - row], height=0.7, brush=pg.mkBrush(color), pen=pg.mkPen(None))
            extra = f" (attempt {span.attempt})" if span.attempt > 1 else ""
            bar.setToolTip(f"{span.label}{extra}: {_dur(span.seconds) if span.seconds is not None else 'open'}"
                           + (f", {span.model}" if span.model else ""))
            item.addItem(bar)
        self.plot.getAxis("left").setTicks([[(n - 1 - i, s.label[:28] + (f" #{s.attempt}" if s.attempt > 1 else ""))
                                             for i, s in enumerate(spans)]])
        item.setYRange(-0.6, max(0.6, n - 0.4), padding=0)
        item.setXRange(0, end, padding=0.02)

    def clear(self) -> None:
        self.trace = None
        self.summary.clear()
        self.plot.getPlotItem().clear()
