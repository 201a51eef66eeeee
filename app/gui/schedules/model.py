"""The Schedules table: one row per schedule, built off the GUI thread from plain values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.gui.common.table import RowTable

COL_RULE, COL_TASK, COL_NEXT, COL_LAST, COL_STATE = range(5)
HEADERS = ("Rule", "Task", "Next run", "Last run", "State")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ScheduleRowData:
    """What one row shows (no ORM objects cross threads)."""

    id: int
    words: str
    rule: str
    tz: str
    title: str
    team: str | None
    next_run: str  # local, e.g. "Mon 2027-03-01 09:00", or ""
    last_run: str
    last_task: int | None
    state: str  # active | paused | finished


def rows_from(views: Sequence[Any]) -> list[ScheduleRowData]:
    """``ScheduleView``s as rows (call it on a worker)."""
    out = []
    for v in views:
        r = v.row
        out.append(ScheduleRowData(id=v.id, words=v.words, rule=r.rule, tz=r.tz,
                                   title=r.title or r.text.splitlines()[0][:80], team=r.team,
                                   next_run=v.local(v.next_run), last_run=v.local(v.last.scheduled_for) if v.last else "",
                                   last_task=v.last.task_id if v.last else None, state=v.state))
    return out


class SchedulesModel(RowTable[ScheduleRowData]):
    HEADERS = HEADERS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_data(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            match column:
                case 0:
                    return row.words
                case 1:
                    return row.title + (f" → {row.team}" if row.team else "")
                case 2:
                    return row.next_run or "—"
                case 3:
                    return f"{row.last_run} (task {row.last_task})" if row.last_run and row.last_task else \
                        (row.last_run or "never")
                case 4:
                    return row.state
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_RULE:
            return f"{row.rule} ({row.tz})"
        if role == Qt.ItemDataRole.ForegroundRole and row.state != "active":
            return QColor("#6b7280")
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None
