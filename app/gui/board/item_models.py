"""Item models of the board: one list model per status column, fed incrementally by task id.

``BoardModel`` keeps every card (``CardRow``) by id and routes each to the column of its
status when it passes the filter. An update moves one card; only a filter change rebuilds
the columns. Nothing here touches the database: rows come from ``app.tasks.queries``.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import IntEnum
from operator import itemgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.schedules.deadlines import is_overdue
from app.tasks.queries import BoardSnapshot, CardRow
from app.core.status import TERMINAL, WAITING_FOR_FOUNDER, Priority, Status

log = logging.getLogger(__name__)
TASK_MIME = "application/x-bureau-task"
BOARD_STATUSES: tuple[Status, ...] = (Status.INBOX, Status.NEEDS_DECISION, Status.QUEUED, Status.RUNNING,
                                      Status.IN_REVIEW, Status.REWORK, Status.DELIVERED, Status.DONE)
CLOSED_STATUSES: tuple[Status, ...] = (Status.FAILED, Status.CANCELLED)
ALL_COLUMNS: tuple[Status, ...] = BOARD_STATUSES + CLOSED_STATUSES
_RANK = {p.value: p.rank for p in Priority}
_FAR_FUTURE = date.max

AnyIndex = QModelIndex | QPersistentModelIndex


class CardRole(IntEnum):
    TASK_ID = Qt.ItemDataRole.UserRole + 1
    CARD = Qt.ItemDataRole.UserRole + 2  # the whole CardRow, for the painter
    STATUS = Qt.ItemDataRole.UserRole + 3
    TEAM = Qt.ItemDataRole.UserRole + 4
    TEAM_COLOR = Qt.ItemDataRole.UserRole + 5
    CONFIDENCE = Qt.ItemDataRole.UserRole + 6  # "82%" or ""
    PRIORITY = Qt.ItemDataRole.UserRole + 7
    DUE = Qt.ItemDataRole.UserRole + 8  # "due 3 Mar" or ""
    AGE = Qt.ItemDataRole.UserRole + 9  # "5m", "3h", "2d"
    OVERDUE = Qt.ItemDataRole.UserRole + 10
    PLAN = Qt.ItemDataRole.UserRole + 11  # ((team, colour, running now), ...) for a plan of several steps
    DRAFTS = Qt.ItemDataRole.UserRole + 12  # "✉ draft" when outbound drafts wait for the founder's approval, or ""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def format_age(created: datetime, now: datetime) -> str:
    seconds = max(0, int((now - created).total_seconds()))
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def format_due(due: date | None) -> str:
    return "" if due is None else f"due {due.day} {due.strftime('%b')}"


def format_drafts(drafts: int) -> str:
    return "" if drafts <= 0 else ("✉ draft" if drafts == 1 else f"✉ {drafts} drafts")


def format_confidence(confidence: float | None) -> str:
    return "" if confidence is None else f"{confidence:.0%}"


def plan_chips(card: CardRow, colors: Mapping[str, str]) -> tuple[tuple[str, str, bool], ...]:
    """(label, colour, running now) per team of a plan, in order; a team's steps in a row make one
    chip ("marketing ×3" for a fan-out)."""
    chips: list[list[Any]] = []
    for team in card.plan_teams:
        if chips and chips[-1][0] == team:
            chips[-1][1] += 1
        else:
            chips.append([team, 1])
    return tuple((team if n == 1 else f"{team} ×{n}", colors.get(team, ""), team in card.active_teams)
                 for team, n in chips)


def sort_key(card: CardRow) -> tuple[Any, ...]:
    """Open work: most urgent first, then earliest due, then oldest. Closed: newest first."""
    if card.status in TERMINAL:
        return (-card.updated_at.timestamp(), -card.id)
    return (-_RANK.get(card.priority, 1), card.due or _FAR_FUTURE, card.id)


@dataclass(frozen=True)
class BoardFilter:
    team: str | None = None
    priority: str | None = None
    text: str = ""
    text_matches: frozenset[int] = field(default_factory=frozenset)  # ids whose full text matched
    only: frozenset[int] | None = None  # just these tasks (a bar clicked in Insights)

    def accepts(self, card: CardRow) -> bool:
        if self.only is not None and card.id not in self.only:
            return False
        if self.team is not None and card.team != self.team:
            return False
        if self.priority is not None and card.priority != self.priority:
            return False
        if self.text:
            return self.text.casefold() in card.title.casefold() or card.id in self.text_matches
        return True


class ColumnModel(QAbstractListModel):
    """The cards of one status, in board order."""

    def __init__(self, status: Status, team_colors: Mapping[str, str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.status = status
        self._team_colors = team_colors
        self._cards: list[CardRow] = []
        self._keys: list[tuple[Any, ...]] = []
        self.now: Callable[[], datetime] = _utc_now
        self._failed_roles: set[int] = set()

    # -- Qt ------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cards)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cards):
            return None
        try:
            return self._data(self._cards[index.row()], role)
        except Exception:  # an exception escaping into Qt's painting can take the process down
            if role not in self._failed_roles:
                self._failed_roles.add(role)
                log.exception("the board cannot show role %s of task %s", role, self._cards[index.row()].id)
            return None

    def _data(self, card: CardRow, role: int) -> Any:
        match role:
            case Qt.ItemDataRole.DisplayRole:
                return card.title
            case Qt.ItemDataRole.ToolTipRole:
                plan = f"\nPlan: {' → '.join(card.plan_teams)}" if card.plan_teams else ""
                running = f" (now: {', '.join(card.active_teams)})" if card.active_teams and card.plan_teams else ""
                drafts = (f"\n{format_drafts(card.drafts)} waiting for your approval (Drafts tab)"
                          if card.drafts else "")
                return (card.title + plan + running + drafts
                        + (f"\n\n{card.waiting_reason}" if card.waiting_reason else ""))
            case Qt.ItemDataRole.AccessibleTextRole:
                team = " then ".join(card.plan_teams) if card.plan_teams else card.team or "no team yet"
                parts = [card.title, team, f"{card.priority} priority",
                         format_confidence(card.confidence), format_due(card.due),
                         f"{card.drafts} outbound draft{'s' if card.drafts != 1 else ''} to approve" if card.drafts else ""]
                return ", ".join(p for p in parts if p)
            case CardRole.TASK_ID:
                return card.id
            case CardRole.CARD:
                return card
            case CardRole.STATUS:
                return card.status
            case CardRole.TEAM:
                return card.team or ""
            case CardRole.TEAM_COLOR:
                return self._team_colors.get(card.team or "", "")
            case CardRole.CONFIDENCE:
                return format_confidence(card.confidence)
            case CardRole.PRIORITY:
                return card.priority
            case CardRole.DUE:
                return format_due(card.due)
            case CardRole.AGE:
                return format_age(card.created_at, self.now())
            case CardRole.PLAN:
                return plan_chips(card, self._team_colors)
            case CardRole.DRAFTS:
                return format_drafts(card.drafts)
            case CardRole.OVERDUE:
                return card.due is not None and card.status not in TERMINAL and card.due < self.now().date()
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        return [TASK_MIME]

    def mimeData(self, indexes: Iterable[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        ids = [str(self._cards[i.row()].id) for i in indexes if i.isValid()]
        if ids:
            mime.setData(TASK_MIME, QByteArray(ids[0].encode()))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    # -- feeding -------------------------------------------------------------------
    def reset(self, keyed: list[tuple[tuple[Any, ...], CardRow]], *, presorted: bool = False) -> None:
        """All the cards at once, each with its ``sort_key``."""
        if not presorted:
            keyed.sort(key=itemgetter(0))
        self.beginResetModel()
        self._cards = [card for _key, card in keyed]
        self._keys = [key for key, _card in keyed]
        self.endResetModel()

    def insert(self, card: CardRow) -> None:
        key = sort_key(card)
        row = bisect.bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._cards.insert(row, card)
        self._keys.insert(row, key)
        self.endInsertRows()

    def remove(self, card: CardRow) -> None:
        row = self.row_of(card)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._cards[row]
        del self._keys[row]
        self.endRemoveRows()

    def replace(self, old: CardRow, new: CardRow) -> None:
        """Same column: change in place, or move when the order changed."""
        row = self.row_of(old)
        if row is None:
            self.insert(new)
            return
        if sort_key(new) == self._keys[row]:
            self._cards[row] = new
            index = self.index(row)
            self.dataChanged.emit(index, index)
            return
        self.remove(old)
        self.insert(new)

    def row_of(self, card: CardRow) -> int | None:
        key = sort_key(card)
        row = bisect.bisect_left(self._keys, key)
        if row < len(self._cards) and self._cards[row].id == card.id:
            return row
        return None

    def card_at(self, row: int) -> CardRow:
        return self._cards[row]

    def touch_all(self) -> None:
        """Ages changed: repaint every row (cheap: views repaint only what is visible)."""
        if self._cards:
            self.dataChanged.emit(self.index(0), self.index(len(self._cards) - 1), [CardRole.AGE])


SortKey = tuple[Any, ...]


@dataclass(frozen=True)
class PreparedBoard:
    """A snapshot made ready for the board off the GUI thread: cards by id, sort keys, sorted columns."""

    last_event_id: int
    cards: dict[int, CardRow]
    keys: dict[int, SortKey]
    columns: dict[str, list[tuple[SortKey, CardRow]]]  # by status, sorted, unfiltered


def prepare_board(snapshot: BoardSnapshot) -> PreparedBoard:
    """Pure Python, no Qt: run it on a worker thread."""
    keys = {c.id: sort_key(c) for c in snapshot.cards}
    columns: dict[str, list[tuple[SortKey, CardRow]]] = {}
    for card in snapshot.cards:
        columns.setdefault(card.status, []).append((keys[card.id], card))
    for keyed in columns.values():
        keyed.sort(key=itemgetter(0))
    return PreparedBoard(snapshot.last_event_id, {c.id: c for c in snapshot.cards}, keys, columns)


class BoardModel(QObject):
    """Every card by id, and one ``ColumnModel`` per status."""

    counts_changed = Signal()
    status_changed = Signal(object, object)  # the card before (or None), the card now

    def __init__(self, team_colors: Mapping[str, str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cards: dict[int, CardRow] = {}
        self._keys: dict[int, tuple[Any, ...]] = {}  # sort_key of each card, computed once per change
        self._visible: set[int] = set()
        self._filter = BoardFilter()
        self._totals: dict[str, int] = {}
        self.columns: dict[Status, ColumnModel] = {s: ColumnModel(s, team_colors, self) for s in ALL_COLUMNS}
        self.loaded = False
        self._version = 0  # counts changes to the cards: a filter computed before one is stale

    @property
    def filter(self) -> BoardFilter:
        return self._filter

    def card(self, task_id: int) -> CardRow | None:
        return self._cards.get(task_id)

    def total(self, status: Status) -> int:
        return self._totals.get(status.value, 0)

    def visible_count(self, status: Status) -> int:
        return self.columns[status].rowCount()

    @property
    def task_count(self) -> int:
        return len(self._cards)

    @property
    def waiting_for_founder(self) -> int:
        return sum(self._totals.get(s.value, 0) for s in WAITING_FOR_FOUNDER)

    def overdue_elsewhere(self, today: date) -> int:
        """Open tasks past their due date that do not already wait for the founder (those are counted there)."""
        waiting = {s.value for s in WAITING_FOR_FOUNDER}
        return sum(1 for c in self._cards.values() if c.status not in waiting and is_overdue(c.due, c.status, today))

    def load(self, board: BoardSnapshot | PreparedBoard) -> None:
        prepared = board if isinstance(board, PreparedBoard) else prepare_board(board)
        self._cards = prepared.cards
        self._keys = prepared.keys
        self._version += 1
        self.loaded = True
        self._rebuild(prepared.columns)

    def set_filter(self, board_filter: BoardFilter) -> None:
        if board_filter != self._filter:
            self._filter = board_filter
            self._rebuild()

    def apply(self, cards: Iterable[CardRow]) -> None:
        """Changed cards from the store: each moves to its column, or changes in place."""
        changed = False
        self._version += 1
        for new in cards:
            old = self._cards.get(new.id)
            if old == new:
                continue
            changed = True
            self._cards[new.id] = new
            self._keys[new.id] = sort_key(new)
            if old is not None:
                self._totals[old.status] = self._totals.get(old.status, 1) - 1
            self._totals[new.status] = self._totals.get(new.status, 0) + 1
            was_visible = new.id in self._visible
            now_visible = self._filter.accepts(new) and _status(new.status) in self.columns
            if was_visible and now_visible and old is not None and old.status == new.status:
                self.columns[Status(new.status)].replace(old, new)
            else:
                if was_visible and old is not None:
                    self.columns[Status(old.status)].remove(old)
                    self._visible.discard(new.id)
                if now_visible:
                    self.columns[Status(new.status)].insert(new)
                    self._visible.add(new.id)
            if old is None or old.status != new.status:
                self.status_changed.emit(old, new)
        if changed:
            self.counts_changed.emit()

    def touch_ages(self) -> None:
        for column in self.columns.values():
            column.touch_all()

    def _rebuild(self, presorted: dict[str, list[tuple[SortKey, CardRow]]] | None = None) -> None:
        if presorted is not None and self._filter == BoardFilter():
            self._totals = {status: len(keyed) for status, keyed in presorted.items()}
            self._visible = {c.id for status, keyed in presorted.items() if _status(status) for _k, c in keyed}
            for status, column in self.columns.items():
                column.reset(list(presorted.get(status.value, [])))
            self.counts_changed.emit()
            return
        self._install(bucket_cards(self._cards, self._keys, self._filter))

    # -- filtering off the GUI thread ----------------------------------------------------
    def filter_job(self, board_filter: BoardFilter) -> Callable[[], FilteredBoard]:
        """The work of ``board_filter`` over a copy of the cards, to run on a worker thread."""
        cards, keys, version = dict(self._cards), dict(self._keys), self._version
        return lambda: replace(bucket_cards(cards, keys, board_filter), version=version)

    def install_filter(self, board_filter: BoardFilter, filtered: FilteredBoard) -> bool:
        """Show a filter computed by ``filter_job``; False when cards changed meanwhile (run it again)."""
        if filtered.version != self._version:
            return False
        self._filter = board_filter
        self._install(filtered)
        return True

    def _install(self, filtered: FilteredBoard) -> None:
        self._totals = filtered.totals
        self._visible = filtered.visible
        for status, column in self.columns.items():
            column.reset(filtered.buckets.get(status.value, []), presorted=True)
        self.counts_changed.emit()


@dataclass(frozen=True)
class FilteredBoard:
    buckets: dict[str, list[tuple[SortKey, CardRow]]]  # by status, sorted
    totals: dict[str, int]
    visible: set[int]
    version: int = 0


def bucket_cards(cards: Mapping[int, CardRow], keys: Mapping[int, SortKey], board_filter: BoardFilter) -> FilteredBoard:
    """Pure Python: each card that passes the filter into its status column, sorted."""
    accepts = None if board_filter == BoardFilter() else board_filter.accepts
    buckets: dict[str, list[tuple[SortKey, CardRow]]] = {s.value: [] for s in ALL_COLUMNS}
    totals: dict[str, int] = {}
    visible: set[int] = set()
    for card in cards.values():
        totals[card.status] = totals.get(card.status, 0) + 1
        bucket = buckets.get(card.status)
        if bucket is not None and (accepts is None or accepts(card)):
            bucket.append((keys[card.id], card))
            visible.add(card.id)
    for keyed in buckets.values():
        keyed.sort(key=itemgetter(0))
    return FilteredBoard(buckets, totals, visible)


_STATUSES: dict[str, Status] = {s.value: s for s in Status}


def _status(value: str) -> Status | None:
    return _STATUSES.get(value)
