"""The Knowledge view's tables: the indexed sources, and the search results. Built from plain values."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.gui.common.table import RowTable

Index = QModelIndex | QPersistentModelIndex
PROBLEM_COLOR = "#b45309"

COL_PATH, COL_KIND, COL_FILES, COL_SECTIONS, COL_PROBLEMS, COL_INDEXED = range(6)
SOURCE_HEADERS = ("Source", "Kind", "Files", "Sections", "Problems", "Indexed")

COL_HIT_SOURCE, COL_HIT_SECTION, COL_HIT_SNIPPET = range(3)
HIT_HEADERS = ("Source", "Heading", "Snippet")


@dataclass(frozen=True)
class SourceRow:
    """One indexed file or folder, with the files in it that could not be read."""

    id: int
    path: str
    kind: str
    files: int
    sections: int
    errors: int
    indexed_at: str
    error: str  # the source's own problem (missing folder), or ""
    problems: tuple[tuple[str, str], ...] = ()  # (file, why)

    @property
    def problem_text(self) -> str:
        lines = ([self.error] if self.error else []) + [f"{Path(f).name}: {why}" for f, why in self.problems]
        return "\n".join(lines)


@dataclass(frozen=True)
class HitRow:
    source: str
    section: str
    snippet: str
    citation: str


class SourcesModel(RowTable[SourceRow]):
    HEADERS = SOURCE_HEADERS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: SourceRow | None = self.row_data(index.row())
        if row is None:
            return None
        column = index.column()
        problems = len(row.problems) + (1 if row.error else 0)
        if role == Qt.ItemDataRole.DisplayRole:
            match column:
                case 0:
                    return row.path
                case 1:
                    return row.kind
                case 2:
                    return f"{row.files:,}"
                case 3:
                    return f"{row.sections:,}"
                case 4:
                    return f"⚠ {problems}" if problems else "—"
                case 5:
                    return row.indexed_at[:16].replace("T", " ") if row.indexed_at else "not yet"
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_PROBLEMS and problems:
                return row.problem_text
            if column == COL_PATH:
                return row.path
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_PROBLEMS and problems:
            return QColor(PROBLEM_COLOR)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_FILES, COL_SECTIONS, COL_PROBLEMS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None


class HitsModel(RowTable[HitRow]):
    HEADERS = HIT_HEADERS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: HitRow | None = self.row_data(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.source, row.section, row.snippet)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.citation if column != COL_HIT_SNIPPET else row.snippet
        return None


def source_rows(kb: Any) -> list[SourceRow]:
    """The knowledge base's sources as rows (call it on a worker)."""
    out = []
    for s in kb.sources():
        problems = tuple(kb.errors(s.id)) if s.errors else ()
        out.append(SourceRow(id=s.id, path=s.path, kind=s.kind, files=s.files, sections=s.sections, errors=s.errors,
                             indexed_at=s.indexed_at or "", error=s.error or "", problems=problems))
    return out


def hit_rows(kb: Any, query: str, *, limit: int = 20) -> list[HitRow]:
    return [HitRow(source=h.source, section=h.section, snippet=h.snippet, citation=h.citation)
            for h in kb.search(query, limit=limit)]
