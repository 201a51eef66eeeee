"""A card on the board: how it is painted, and the list view that holds one column of them."""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.tasks.queries import CardRow
from app.gui.board.item_models import TASK_MIME, CardRole
from app.gui.common.theme import OVERDUE_COLOR, PRIORITY_COLORS, is_dark

DRAFT_COLOR = "#2563eb"  # an outbound draft waits for the founder: the one thing on a card that asks for a click

log = logging.getLogger(__name__)
CARD_HEIGHT = 92
_PAD = 9


class CardDelegate(QStyledItemDelegate):
    """Paints a card: team stripe, two lines of title, team and confidence, priority, due date and age."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._failed = False

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(max(160, option.rect.width()), CARD_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        card: CardRow | None = index.data(CardRole.CARD)
        if card is None:
            return
        painter.save()
        try:
            self._paint(painter, option, index, card)
        except Exception:  # an exception escaping into Qt's painting can take the process down
            if not self._failed:
                self._failed = True
                log.exception("cannot paint the card of task %s", card.id)
        finally:
            painter.restore()

    def _paint(self, painter: QPainter, option: QStyleOptionViewItem,
               index: QModelIndex | QPersistentModelIndex, card: CardRow) -> None:
        palette: QPalette = option.palette  # type: ignore[attr-defined]
        state = option.state  # type: ignore[attr-defined]
        rect: QRect = option.rect.adjusted(6, 4, -6, -4)  # type: ignore[attr-defined]
        selected = bool(state & QStyle.StateFlag.State_Selected)
        focused = bool(state & QStyle.StateFlag.State_HasFocus)
        dark = is_dark(palette)
        team_color = QColor(index.data(CardRole.TEAM_COLOR) or palette.color(QPalette.ColorRole.Mid))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)

        path = QPainterPath()
        path.addRoundedRect(rect, 7, 7)
        base = palette.color(QPalette.ColorRole.Base)
        painter.fillPath(path, base.lighter(112) if dark else base)
        border = palette.color(QPalette.ColorRole.Highlight) if selected else palette.color(QPalette.ColorRole.Mid)
        painter.setPen(QPen(border, 2.0 if selected or focused else 1.0))
        painter.drawPath(path)

        stripe = QPainterPath()
        stripe.addRoundedRect(rect.x() + 1, rect.y() + 1, 5, rect.height() - 2, 2.5, 2.5)
        painter.fillPath(stripe, team_color)

        inner = rect.adjusted(_PAD + 4, _PAD - 2, -_PAD, -_PAD + 2)
        text_color = palette.color(QPalette.ColorRole.Text)
        muted = QColor(text_color)
        muted.setAlphaF(0.62)

        title_font = QFont(option.font)  # type: ignore[attr-defined]
        title_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(text_color)
        fm = QFontMetrics(title_font)
        lines = _two_lines(card.title, fm, inner.width())
        y = inner.y()
        for line in lines:
            painter.drawText(QRect(inner.x(), y, inner.width(), fm.height()), Qt.AlignmentFlag.AlignLeft, line)
            y += fm.height()

        small = QFont(option.font)  # type: ignore[attr-defined]
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.88))
        sfm = QFontMetrics(small)
        line_h = sfm.height()
        meta_y = inner.bottom() - 2 * line_h - 1
        painter.setFont(small)

        bold_small = QFont(small)
        bold_small.setWeight(QFont.Weight.DemiBold)
        age = index.data(CardRole.AGE) or ""
        plan = index.data(CardRole.PLAN) or ()
        if plan:
            team_w = _paint_chips(painter, plan, QRect(inner.x(), meta_y, inner.width() - sfm.horizontalAdvance(age) - 6,
                                                       line_h), small, palette)
        else:
            team_text = card.team or "not routed yet"
            painter.setFont(bold_small)
            painter.setPen(team_color if card.team else muted)
            team_w = QFontMetrics(bold_small).horizontalAdvance(team_text)
            painter.drawText(QRect(inner.x(), meta_y, team_w + 2, line_h), Qt.AlignmentFlag.AlignLeft, team_text)
        painter.setFont(small)
        confidence = index.data(CardRole.CONFIDENCE)
        if confidence:
            room = inner.width() - team_w - 6 - sfm.horizontalAdvance(age) - 8
            painter.setPen(muted)
            painter.drawText(QRect(inner.x() + team_w + 6, meta_y, max(0, room), line_h), Qt.AlignmentFlag.AlignLeft,
                             sfm.elidedText(f"{confidence} sure", Qt.TextElideMode.ElideRight, max(0, room)))
        painter.setPen(muted)
        painter.drawText(QRect(inner.x(), meta_y, inner.width(), line_h), Qt.AlignmentFlag.AlignRight, age)

        bottom_y = meta_y + line_h + 1
        x = inner.x()
        priority_color = PRIORITY_COLORS.get(card.priority) or ""
        painter.setPen(QColor(priority_color) if priority_color else muted)
        priority_text = card.priority
        painter.drawText(QRect(x, bottom_y, inner.width(), line_h), Qt.AlignmentFlag.AlignLeft, priority_text)
        x += sfm.horizontalAdvance(priority_text) + 10
        due = index.data(CardRole.DUE)
        if due:
            painter.setPen(QColor(OVERDUE_COLOR) if index.data(CardRole.OVERDUE) else muted)
            painter.drawText(QRect(x, bottom_y, inner.width(), line_h), Qt.AlignmentFlag.AlignLeft, due)
            x += sfm.horizontalAdvance(due) + 10
        drafts = index.data(CardRole.DRAFTS)
        if drafts:
            painter.setPen(QColor(DRAFT_COLOR))
            painter.drawText(QRect(x, bottom_y, inner.width(), line_h), Qt.AlignmentFlag.AlignLeft, drafts)
            x += sfm.horizontalAdvance(drafts) + 10
        extras = []
        if card.round:
            extras.append(f"round {card.round}")
        if card.sensitive:
            extras.append("sensitive")
        if extras:
            painter.setPen(muted)
            painter.drawText(QRect(x, bottom_y, max(0, inner.right() - x), line_h), Qt.AlignmentFlag.AlignLeft,
                             sfm.elidedText(" · ".join(extras), Qt.TextElideMode.ElideRight, max(0, inner.right() - x)))
        painter.setPen(muted)
        painter.drawText(QRect(inner.x(), bottom_y, inner.width(), line_h), Qt.AlignmentFlag.AlignRight,
                         f"#{card.id}")


def _paint_chips(painter: QPainter, plan: tuple[tuple[str, str, bool], ...], room: QRect, font: QFont,
                 palette: QPalette) -> int:
    """One chip per step's team (the running one filled, with ▶); returns the width used."""
    fm = QFontMetrics(font)
    painter.setFont(font)
    x = room.x()
    for i, (team, color, running) in enumerate(plan):
        text = ("▶ " if running else "") + team
        w = fm.horizontalAdvance(text) + 6
        if x + w > room.right():
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            painter.drawText(QRect(x, room.y(), room.right() - x, room.height()), Qt.AlignmentFlag.AlignLeft,
                             f"+{len(plan) - i}")
            return room.right() - room.x()
        chip = QRect(x, room.y(), w, room.height())
        c = QColor(color or palette.color(QPalette.ColorRole.Mid))
        path = QPainterPath()
        path.addRoundedRect(chip.adjusted(0, 1, 0, -1), 4, 4)
        if running:
            painter.fillPath(path, c)
            painter.setPen(QColor("white"))
        else:
            painter.setPen(QPen(c, 1.0))
            painter.drawPath(path)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        x += w + 2
    return x - room.x()


def _two_lines(text: str, fm: QFontMetrics, width: int) -> list[str]:
    """The title on at most two lines, the second elided."""
    if fm.horizontalAdvance(text) <= width:
        return [text]
    words = text.split()
    first = ""
    rest_at = 0
    for i, word in enumerate(words):
        candidate = f"{first} {word}".strip()
        if fm.horizontalAdvance(candidate) > width:
            break
        first, rest_at = candidate, i + 1
    if not first:  # one very long word
        return [fm.elidedText(text, Qt.TextElideMode.ElideRight, width)]
    rest = " ".join(words[rest_at:])
    return [first, fm.elidedText(rest, Qt.TextElideMode.ElideRight, width)]


class CardListView(QListView):
    """One column's cards. Dropping a card from another column emits ``task_dropped``."""

    task_dropped = Signal(int)  # task id
    neighbour_requested = Signal(int)  # -1: column to the left, +1: to the right
    activated_by_key = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(CardDelegate(self))
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.setAutoFillBackground(False)
        self.viewport().setAutoFillBackground(False)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(TASK_MIME) and event.source() is not self:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(TASK_MIME) and event.source() is not self:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        raw = bytes(event.mimeData().data(TASK_MIME).data()).decode(errors="replace")
        if not raw.isdigit() or event.source() is self:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)  # the store moves the card, not the drag
        event.accept()
        self.task_dropped.emit(int(raw))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and not event.modifiers():
            self.neighbour_requested.emit(-1 if key == Qt.Key.Key_Left else 1)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.activated_by_key.emit()
            return
        super().keyPressEvent(event)

    def context_point(self, pos: QPoint) -> QPoint:
        return self.viewport().mapToGlobal(pos)
