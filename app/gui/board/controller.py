"""Behaviour of the board and of the detail panel (the views only lay things out)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QPoint, QTimer, Signal
from PySide6.QtWidgets import QMenu

from app.tasks.queries import CardRow, load_board, load_cards, search_task_ids
from app.gui.detail.actions import TaskActions
from app.gui.board.views import BoardView, FilterBar
from app.gui.board.cards import CardListView
from app.gui.common.feed import EventInfo, StoreFeed
from app.gui.board.item_models import BoardFilter, BoardModel, CardRole, PreparedBoard, prepare_board
from app.gui.common.ops import TaskRunner
from app.core.status import Status
from app.store.db import Database

SEARCH_DELAY_MS = 250
AGE_REFRESH_MS = 60_000


class CoalescingLoader(QObject):
    """Loads data for a growing set of keys in the background, one query at a time.

    Keys asked for while a query runs are gathered and loaded right after it, so a burst
    of events costs two queries, not one per event.
    """

    def __init__(self, runner: TaskRunner, load: Callable[[set[int]], object],
                 deliver: Callable[[object], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._load = load
        self._deliver = deliver
        self._pending: set[int] = set()
        self._busy = False

    @property
    def idle(self) -> bool:
        return not self._busy and not self._pending

    def request(self, keys: set[int]) -> None:
        self._pending |= keys
        self._next()

    def _next(self) -> None:
        if self._busy or not self._pending:
            return
        keys, self._pending = self._pending, set()
        self._busy = True
        self._runner.run(lambda: self._load(keys), on_success=self._done, on_failure=self._failed)

    def _done(self, result: object) -> None:
        self._busy = False
        self._deliver(result)
        self._next()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self._runner.report(exc)
        self._next()


class BoardController(QObject):
    """Loads the board, keeps it current from store events, filters it, tracks the selection."""

    loaded = Signal()
    selection_changed = Signal(object)  # CardRow | None

    def __init__(self, db: Database, model: BoardModel, view: BoardView, filters: FilterBar,
                 runner: TaskRunner, feed: StoreFeed, actions: TaskActions, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._model = model
        self._view = view
        self._filters = filters
        self._runner = runner
        self._feed = feed
        self._actions = actions
        self.selected_id: int | None = None
        self._moving = False  # cards are being moved by the store: the views' current rows are not choices
        self._search_serial = 0
        self._cards = CoalescingLoader(runner, lambda ids: load_cards(db, ids), self._apply_cards, self)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_full_text)
        self._age_timer = QTimer(self, interval=AGE_REFRESH_MS)
        self._age_timer.timeout.connect(model.touch_ages)

        feed.events.connect(self._on_events)
        model.status_changed.connect(self._on_status_changed)
        filters.search.textChanged.connect(self._on_search_text)
        filters.team.currentIndexChanged.connect(lambda _i: self._apply_filter())
        filters.priority.currentIndexChanged.connect(lambda _i: self._apply_filter())
        filters.closed.toggled.connect(view.set_closed_visible)
        statuses = list(view.columns)
        for status, column in view.columns.items():
            lst = column.list
            lst.selectionModel().currentChanged.connect(
                lambda current, _previous, s=status: self._on_current(s, current))
            lst.task_dropped.connect(lambda task_id, s=status: actions.drop(task_id, s))
            lst.customContextMenuRequested.connect(lambda pos, v=lst: self._context_menu(v, pos))
            lst.neighbour_requested.connect(
                lambda step, s=status: self._focus_neighbour(statuses.index(s), step, statuses))

    # -- loading -----------------------------------------------------------------------
    def load(self) -> None:
        db = self._db
        self._runner.run(lambda: prepare_board(load_board(db)), on_success=self._on_loaded,
                         label="Loading the board…")

    def _on_loaded(self, board: PreparedBoard) -> None:
        self._model.load(board)
        self._feed.start(board.last_event_id)
        self._age_timer.start()
        self.loaded.emit()

    def _on_events(self, events: list[EventInfo]) -> None:
        ids = {e.task_id for e in events if e.task_id is not None}
        if ids and self._model.loaded:
            self._cards.request(ids)

    def _apply_cards(self, cards: object) -> None:
        assert isinstance(cards, list)
        self._moving = True
        try:
            self._model.apply(cards)
        finally:
            self._moving = False
        if self.selected_id is not None and (card := self._model.card(self.selected_id)) is not None:
            self._actions.set_card(card)

    @property
    def idle(self) -> bool:
        return self._cards.idle

    def stop(self) -> None:
        self._search_timer.stop()
        self._age_timer.stop()

    # -- filters -----------------------------------------------------------------------
    def _on_search_text(self, _text: str) -> None:
        self._apply_filter()  # titles at once
        self._search_timer.start()  # the full text a moment later

    def _apply_filter(self, matches: frozenset[int] | None = None) -> None:
        current = self._model.filter
        text = self._filters.search.text().strip()
        self._moving = True
        try:
            self._model.set_filter(BoardFilter(
                team=self._filters.team.currentData() or None, priority=self._filters.priority.currentData() or None,
                text=text,
                text_matches=(matches if matches is not None else current.text_matches) if text else frozenset()))
        finally:
            self._moving = False
        self._restore_selection()

    def show_only(self, ids: frozenset[int], description: str = "") -> None:
        """Show just these tasks (from Insights) until the founder changes a filter."""
        self._model.set_filter(replace(self._model.filter, only=frozenset(ids)))
        self._view.window().statusBar().showMessage(  # type: ignore[attr-defined]
            f"Showing {description or f'{len(ids)} task(s)'}; change a filter to see all.", 15000)

    def _search_full_text(self) -> None:
        text = self._filters.search.text().strip()
        if not text:
            return
        self._search_serial += 1
        serial = self._search_serial
        self._runner.run(lambda: search_task_ids(self._db, text),
                         on_success=lambda ids: self._on_search_result(serial, ids))

    def _on_search_result(self, serial: int, ids: frozenset[int]) -> None:
        if serial == self._search_serial and self._filters.search.text().strip():
            self._apply_filter(ids)

    # -- selection ---------------------------------------------------------------------
    def _on_current(self, status: Status, current: QModelIndex) -> None:
        if self._moving or not current.isValid():
            return
        task_id = int(current.data(CardRole.TASK_ID))
        for other, column in self._view.columns.items():
            if other != status:
                column.list.selectionModel().clearSelection()
        self._select(task_id)

    def _select(self, task_id: int | None) -> None:
        card = self._model.card(task_id) if task_id is not None else None
        changed = task_id != self.selected_id
        self.selected_id = task_id
        self._actions.set_card(card)
        if changed:
            self.selection_changed.emit(card)

    def select_task(self, task_id: int) -> bool:
        """Select the card of ``task_id`` in whatever column shows it; False when hidden."""
        card = self._model.card(task_id)
        if card is None:
            return False
        self.selected_id = task_id
        self._restore_selection()
        self._actions.set_card(card)
        self.selection_changed.emit(card)
        return self._index_of(card) is not None

    def _on_status_changed(self, old: CardRow | None, new: CardRow) -> None:
        if new.id == self.selected_id:
            self._restore_selection()

    def _restore_selection(self) -> None:
        if self.selected_id is None:
            return
        card = self._model.card(self.selected_id)
        found = self._index_of(card) if card is not None else None
        if found is None:
            return
        view, row = found
        index = view.model().index(row, 0)
        had_focus = any(c.list.hasFocus() for c in self._view.columns.values())
        for column in self._view.columns.values():
            if column.list is not view:
                column.list.selectionModel().clearSelection()
        view.selectionModel().blockSignals(True)
        view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        view.selectionModel().blockSignals(False)
        view.viewport().update()
        view.scrollTo(index)
        if had_focus:
            view.setFocus()

    def _index_of(self, card: CardRow) -> tuple[CardListView, int] | None:
        try:
            column = self._view.columns[Status(card.status)]
        except (KeyError, ValueError):
            return None
        row = self._model.columns[column.status].row_of(card)
        return None if row is None else (column.list, row)

    def _focus_neighbour(self, position: int, step: int, statuses: list[Status]) -> None:
        i = position + step
        while 0 <= i < len(statuses):
            column = self._view.columns[statuses[i]]
            if column.isVisible() and column.list.model().rowCount() > 0:
                column.list.setFocus()
                if not column.list.currentIndex().isValid():
                    column.list.setCurrentIndex(column.list.model().index(0, 0))
                else:
                    self._on_current(statuses[i], column.list.currentIndex())
                return
            i += step

    def focus_board(self) -> None:
        """Keyboard focus to the selected card, or to the first card on the board."""
        if self.selected_id is not None and (card := self._model.card(self.selected_id)) is not None:
            found = self._index_of(card)
            if found is not None:
                found[0].setFocus()
                return
        statuses = list(self._view.columns)
        self._focus_neighbour(-1, 1, statuses)

    def _context_menu(self, view: CardListView, pos: QPoint) -> None:
        index = view.indexAt(pos)
        if not index.isValid():
            return
        view.setCurrentIndex(index)
        menu = QMenu(view)
        menu.addActions(list(self._actions.ordered))
        menu.popup(view.context_point(pos))
