"""The Insights view on a generated store: the charts carry the expected series; a bar leads to its tasks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot

from app.company import Company
from app.gui.common.ops import TaskRunner
from app.gui.insights.controller import InsightsWindow
from app.gui.insights.trace_view import TraceWidget
from app.insights.models import StatsQuery
from app.insights.stats import compute_stats
from app.insights.trace import task_trace
from tests.gui.conftest import TEAM_COLORS
from tests.support.journal_forge import TEAMS, forge


def _forged(company: Company, tasks: int = 400) -> datetime:
    start = (datetime.now(UTC) - timedelta(days=13)).replace(hour=0, minute=0, second=0, microsecond=0)
    forge(company.db, tasks=tasks, days=14, start=start)
    return start


def test_the_charts_have_the_expected_series(qtbot: QtBot, company: Company) -> None:
    today = (_forged(company) + timedelta(days=13)).date()  # one "today" for the view and the check, even at midnight
    runner = TaskRunner(lambda exc: (_ for _ in ()).throw(exc))
    window = InsightsWindow(company.db, runner, TEAM_COLORS)
    qtbot.addWidget(window)
    window.show()
    window.view.period.setCurrentIndex(0)  # last 7 days
    window.controller.load(today=today)
    qtbot.waitUntil(lambda: window.controller.charts is not None and not window.controller.loading, timeout=10_000)
    charts = window.controller.charts
    assert charts is not None
    stats = compute_stats(company.db, StatsQuery.last_days(7, today=today))
    view = window.view

    throughput = view.throughput
    assert [b.opts["name"] for b in throughput.bars] == sorted({x.team for x in stats.throughput})
    assert {x.name for x in charts.throughput.series} <= set(TEAMS)
    assert len(charts.throughput.categories) == 7
    assert sum(charts.throughput.totals()) == stats.counts.delivered > 0
    assert throughput.bars[0].opts["brush"].color().name() == TEAM_COLORS[throughput.bars[0].opts["name"]]

    names = [b.opts["name"] for b in view.cycle.bars]
    assert names[:4] == ["queue", "work", "review", "founder"]
    assert sum(charts.cycle.totals()) == stats.cycle.tasks  # each bar is its bucket's task count, split by parts
    assert [c for c in charts.rework.categories] == [tq.team for tq in stats.quality_by_team]
    assert len(view.corrections.lines) == 1 and len(charts.corrections.categories) == len(stats.corrections)
    assert {b.opts["name"] for b in view.tokens.bars} == {u.model for u in stats.usage}
    assert len(view.model_time.bars) == 1 and len(charts.model_time.categories) == len(stats.usage_by("model"))
    assert f"{stats.counts.delivered} delivered" in view.headline.text()

    # a click on a throughput bar asks for the tasks behind it
    day_index = max(range(7), key=lambda i: charts.throughput.totals()[i])
    first = charts.throughput.series[0]
    with qtbot.waitSignal(window.controller.show_tasks, timeout=5000) as signal:
        throughput.bar_clicked.emit(day_index, first.name)
    ids, text = signal.args
    assert len(ids) == first.values[day_index] and first.name in text


def test_the_menu_opens_insights_and_a_bar_filters_the_board(qtbot: QtBot, scripted_company: Company,
                                                            open_app) -> None:
    _forged(scripted_company, tasks=60)
    controller = open_app(scripted_company, paused=True)
    controller.window.insights_action.trigger()
    window = controller.insights
    assert window is not None
    qtbot.waitUntil(lambda: window.controller.charts is not None and not window.controller.loading, timeout=10_000)
    model = controller.board_model
    before = sum(model.visible_count(s) for s in model.columns)
    some = frozenset({1, 2, 3})
    window.controller.show_tasks.emit(some, "3 tasks")
    qtbot.waitUntil(lambda: model.filter.only == some, timeout=5000)
    visible = sum(model.visible_count(s) for s in model.columns)
    assert 0 < visible <= 3 < before
    assert "Showing 3 tasks" in controller.window.statusBar().currentMessage()


def test_the_trace_widget_draws_a_bar_per_span(qtbot: QtBot, company: Company) -> None:
    _forged(company, tasks=20)
    trace = task_trace(company.db, 5)
    widget = TraceWidget()
    qtbot.addWidget(widget)
    widget.show_trace(trace)
    bars = [i for i in widget.plot.getPlotItem().items if type(i).__name__ == "BarGraphItem"]
    assert len(bars) == len(trace.spans) > 3
    assert "model work" in widget.summary.text()
