"""The board's item models without a window: rows, data per role, updates on store events."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from app.tasks.queries import CardRow, load_board, load_cards, search_task_ids
from app.gui.detail.data import detail_data
from app.gui.detail.table_models import AlternativesModel, StepsModel, TimelineModel
from app.gui.common.feed import EventInfo, StoreFeed, StreamBuffer
from app.gui.board.item_models import TASK_MIME, BoardFilter, BoardModel, CardRole, ColumnModel, format_age, sort_key
from app.gui.common.ops import TaskRunner
from app.company import Company
from app.tasks.service import NewTask
from app.core.status import Status
from tests.gui.conftest import TEAM_COLORS


def _runner(errors: list[BaseException]) -> TaskRunner:
    return TaskRunner(errors.append)


def test_board_loads_cards_into_their_status_columns(company: Company, board_model: BoardModel) -> None:
    a = company.tasks.submit(NewTask(text="Write a blog post about desks", priority="low"))
    b = company.tasks.submit(NewTask(text="Fix the login bug", priority="urgent", team="code", due="2030-01-02"))
    c = company.tasks.submit(NewTask(text="Draft a sales email"))
    company.tasks.cancel(c.id)

    board_model.load(load_board(company.db))

    inbox = board_model.columns[Status.INBOX]
    assert inbox.rowCount() == 2
    assert [inbox.data(inbox.index(r), CardRole.TASK_ID) for r in range(2)] == [b.id, a.id]  # urgent first
    assert board_model.columns[Status.CANCELLED].rowCount() == 1
    assert board_model.total(Status.INBOX) == 2 and board_model.task_count == 3
    assert board_model.waiting_for_founder == 0


def test_card_data_per_role() -> None:
    column = ColumnModel(Status.NEEDS_DECISION, TEAM_COLORS)
    now = datetime(2030, 1, 10, 12, 0, tzinfo=UTC)
    column.now = lambda: now
    card = CardRow(id=7, title="Fix the login bug", status="needs_decision", priority="high", due=date(2030, 1, 9),
                   team="code", confidence=0.42, created_at=now - timedelta(hours=3), updated_at=now,
                   waiting_reason="The CEO is only 42% sure")
    column.reset([(sort_key(card), card)])
    index = column.index(0)
    assert column.rowCount() == 1
    assert index.data(Qt.ItemDataRole.DisplayRole) == "Fix the login bug"
    assert "42% sure" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert index.data(CardRole.TASK_ID) == 7
    assert index.data(CardRole.CARD) == card
    assert index.data(CardRole.TEAM) == "code"
    assert index.data(CardRole.TEAM_COLOR) == TEAM_COLORS["code"]
    assert index.data(CardRole.CONFIDENCE) == "42%"
    assert index.data(CardRole.PRIORITY) == "high"
    assert index.data(CardRole.DUE) == "due 9 Jan"
    assert index.data(CardRole.AGE) == "3h"
    assert index.data(CardRole.OVERDUE) is True
    assert "code" in index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert column.data(QModelIndex(), CardRole.TASK_ID) is None
    mime = column.mimeData([index])
    assert bytes(mime.data(TASK_MIME).data()) == b"7"
    assert column.flags(index) & Qt.ItemFlag.ItemIsDragEnabled


def test_ages_read_well() -> None:
    now = datetime(2030, 1, 10)
    assert [format_age(now - d, now) for d in (timedelta(seconds=5), timedelta(minutes=5), timedelta(days=2))] == \
        ["now", "5m", "2d"]


def test_events_move_only_the_changed_cards(company: Company, board_model: BoardModel, qtbot: QtBot) -> None:
    ids = [company.tasks.submit(NewTask(text=f"Task number {i}")).id for i in range(5)]
    board_model.load(load_board(company.db))
    inbox = board_model.columns[Status.INBOX]
    resets: list[int] = []
    inbox.modelReset.connect(lambda: resets.append(1))
    removed: list[tuple[int, int]] = []
    inbox.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    moved: list[tuple[CardRow | None, CardRow]] = []
    board_model.status_changed.connect(lambda old, new: moved.append((old, new)))

    company.tasks.cancel(ids[2])
    board_model.apply(load_cards(company.db, [ids[2]]))

    assert inbox.rowCount() == 4 and board_model.columns[Status.CANCELLED].rowCount() == 1
    assert resets == [] and removed == [(2, 2)]
    assert moved[0][0] is not None and moved[0][0].status == "inbox" and moved[0][1].status == "cancelled"
    # A card that did not change is not touched again.
    board_model.apply(load_cards(company.db, [ids[0]]))
    assert len(moved) == 1


def test_filter_by_team_priority_and_text(company: Company, board_model: BoardModel) -> None:
    company.tasks.submit(NewTask(text="Write a blog post about desks", team="content"))
    company.tasks.submit(NewTask(text="Fix the login bug", team="code", priority="urgent"))
    company.tasks.submit(NewTask(text="Short title\nThe body mentions kubernetes somewhere", team="devops"))
    board_model.load(load_board(company.db))
    inbox = board_model.columns[Status.INBOX]

    board_model.set_filter(BoardFilter(team="code"))
    assert inbox.rowCount() == 1
    board_model.set_filter(BoardFilter(priority="urgent"))
    assert inbox.rowCount() == 1
    board_model.set_filter(BoardFilter(text="BLOG"))
    assert inbox.rowCount() == 1
    matches = search_task_ids(company.db, "kubernetes")
    assert len(matches) == 1
    board_model.set_filter(BoardFilter(text="kubernetes", text_matches=matches))
    assert inbox.rowCount() == 1 and board_model.total(Status.INBOX) == 3
    board_model.set_filter(BoardFilter())
    assert inbox.rowCount() == 3


def test_feed_brings_commits_from_other_threads_to_the_gui_thread(company: Company, qtbot: QtBot) -> None:
    errors: list[BaseException] = []
    feed = StoreFeed(company.db, _runner(errors), poll_ms=50)
    got: list[EventInfo] = []
    threads: list[str] = []
    feed.events.connect(lambda events: (got.extend(events), threads.append(threading.current_thread().name)))
    feed.start(load_board(company.db).last_event_id)

    worker = threading.Thread(target=lambda: company.tasks.submit(NewTask(text="From a worker thread")))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(got) >= 1, timeout=5000)
    qtbot.wait(200)  # the poll sees the same event and must not deliver it again
    assert [e.kind for e in got] == ["created"]
    assert set(threads) == {threading.main_thread().name}

    other_process = Company.open(company.home)  # its own connections, as a `bureau run` would have
    other_process.tasks.submit(NewTask(text="From elsewhere"))
    qtbot.waitUntil(lambda: len(got) >= 2, timeout=5000)
    assert errors == []
    feed.stop()
    other_process.close()


def test_stream_buffer_batches_pieces(qtbot: QtBot) -> None:
    buffer = StreamBuffer(interval_ms=33)
    batches: list[dict[tuple[int, str], str]] = []
    buffer.flushed.connect(batches.append)

    def produce() -> None:
        for i in range(300):
            buffer.push(1, "s1.r0", f"{i} ")

    worker = threading.Thread(target=produce)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: sum(len(b.get((1, "s1.r0"), "")) for b in batches) > 0, timeout=2000)
    qtbot.wait(100)
    text = "".join(b[(1, "s1.r0")] for b in batches)
    assert text == "".join(f"{i} " for i in range(300))
    assert len(batches) <= 3  # pushed at once: one or two flushes, not 300


def test_detail_models_show_the_decision_steps_and_timeline(scripted_company: Company) -> None:
    task = scripted_company.tasks.submit(NewTask(text="Write a blog post about keeping a tidy desk"))
    scripted_company.engine().run_until_idle(max_wait=30)
    data = detail_data(scripted_company.tasks.detail(task.id), scripted_company.home)
    assert data.status == "delivered" and data.route is not None and data.route.team == "content"

    alternatives = AlternativesModel()
    alternatives.set_rows(data.route.alternatives)
    assert alternatives.rowCount() >= 1
    assert alternatives.index(0, AlternativesModel.TEAM).data() != "content"
    float(alternatives.index(0, AlternativesModel.SCORE).data())

    steps = StepsModel()
    steps.set_rows(data.steps)
    assert steps.columnCount() == 7
    keys = [steps.index(r, StepsModel.STEP).data() for r in range(steps.rowCount())]
    assert "s1.r0" in keys
    assert steps.headerData(StepsModel.STATE, Qt.Orientation.Horizontal) == "State"

    timeline = TimelineModel()
    timeline.set_rows(data.events)
    texts = [timeline.index(r, TimelineModel.WHAT).data() for r in range(timeline.rowCount())]
    assert texts[0].startswith("Created") and any("in review → delivered" in t for t in texts)
    assert [r.verdict for r in data.reviews] == ["pass"]
    assert data.artifacts and data.artifacts[0].path.is_file()
    assert data.result


def test_runner_calls_back_on_the_gui_thread(qtbot: QtBot) -> None:
    errors: list[BaseException] = []
    runner = _runner(errors)
    results: list[tuple[int, str]] = []
    runner.run(lambda: 41 + 1, on_success=lambda v: results.append((v, threading.current_thread().name)))
    qtbot.waitUntil(lambda: bool(results), timeout=2000)
    assert results == [(42, threading.main_thread().name)]

    def boom() -> None:
        raise ValueError("bad")

    runner.run(boom)  # no handler of its own: the default one hears of it
    qtbot.waitUntil(lambda: bool(errors), timeout=2000)
    assert isinstance(errors[0], ValueError)
    runner.close()


def test_runner_drops_callbacks_of_deleted_widgets(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QWidget

    errors: list[BaseException] = []
    runner = _runner(errors)
    widget = QWidget()
    gate = threading.Event()
    called: list[int] = []
    runner.run(lambda: gate.wait(2) and 1, on_success=called.append, owner=widget)
    widget.deleteLater()
    qtbot.wait(50)
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy and runner.wait_idle(0.1), timeout=2000)
    qtbot.wait(50)
    assert called == [] and errors == []
    runner.close()


def test_plan_chips_group_a_teams_steps_and_mark_the_running_one() -> None:
    from app.gui.board.item_models import plan_chips

    card = CardRow(id=1, title="t", status="running", plan_teams=("code", "devops", "devops", "marketing"),
                   active_teams=("devops",))
    assert plan_chips(card, {"code": "#111"}) == (("code", "#111", False), ("devops ×2", "", True),
                                                  ("marketing", "", False))
