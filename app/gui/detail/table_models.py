"""Small typed table models for the task detail panel (steps, runner-ups, reviews, files, attachments, timeline)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.gui.common.table import RowTable
from app.gui.detail.data import Alternative, ArtifactView, AttachmentView, EventView, ReviewView, StepView

T = TypeVar("T")
AnyIndex = QModelIndex | QPersistentModelIndex


class DetailRole(IntEnum):
    ITEM = Qt.ItemDataRole.UserRole + 1  # the row's dataclass


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    text: Callable[[T], str]
    align_right: bool = False


class RowsModel(RowTable[T]):
    """A table of frozen dataclass rows whose cells are text; subclasses declare ``COLUMNS``."""

    COLUMNS: ClassVar[tuple[Column[Any], ...]] = ()

    def item(self, row: int) -> T:
        return self._rows[row]

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section].header
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == DetailRole.ITEM:
            return row
        return None


class StepsModel(RowsModel[StepView]):
    STEP, TEAM, KIND, STATE, ATTEMPTS, TOKENS, MODEL = range(7)
    COLUMNS = (
        Column[StepView]("Step", lambda s: s.key),
        Column[StepView]("Team", lambda s: s.team),
        Column[StepView]("Kind", lambda s: s.kind),
        Column[StepView]("State", lambda s: s.status + (f": {' '.join(s.error.split())}" if s.error else "")),
        Column[StepView]("Tries", lambda s: str(s.attempts), align_right=True),
        Column[StepView]("Tokens", lambda s: s.tokens, align_right=True),
        Column[StepView]("Model", lambda s: s.model),
    )


class AlternativesModel(RowsModel[Alternative]):
    TEAM, SCORE = range(2)
    COLUMNS = (
        Column[Alternative]("Runner-up team", lambda a: a.team),
        Column[Alternative]("Score", lambda a: f"{a.score:.2f}", align_right=True),
    )


class ReviewsModel(RowsModel[ReviewView]):
    ROUND, BY, TEAM, VERDICT, NOTES = range(5)
    COLUMNS = (
        Column[ReviewView]("Round", lambda r: str(r.round), align_right=True),
        Column[ReviewView]("By", lambda r: r.by),
        Column[ReviewView]("Team", lambda r: r.team),
        Column[ReviewView]("Verdict", lambda r: r.verdict),
        Column[ReviewView]("Notes", lambda r: r.notes),
    )


class ArtifactsModel(RowsModel[ArtifactView]):
    NAME, SIZE, KIND = range(3)
    COLUMNS = (
        Column[ArtifactView]("File", lambda a: a.name),
        Column[ArtifactView]("Size", lambda a: _size(a.size), align_right=True),
        Column[ArtifactView]("Type", lambda a: a.media_type),
    )


class AttachmentsModel(RowsModel[AttachmentView]):
    NAME, SIZE = range(2)
    COLUMNS = (
        Column[AttachmentView]("Attached by you", lambda a: a.name),
        Column[AttachmentView]("Size", lambda a: _size(a.size), align_right=True),
    )


class TimelineModel(RowsModel[EventView]):
    TIME, WHAT = range(2)
    COLUMNS = (
        Column[EventView]("Time", lambda e: _local(e.at)),
        Column[EventView]("What happened", lambda e: e.text),
    )


def _local(at: datetime) -> str:
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)  # the store keeps UTC
    return aware.astimezone().strftime("%d %b %H:%M:%S")


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"
