"""Signals that a task needs the founder: the window title, the tray icon, a desktop notification."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QSystemTrayIcon

from app.tasks.queries import CardRow
from app.core.settings import Notifications
from app.core.status import Status

APP_TITLE = "Bureau"


def app_icon(waiting: int = 0) -> QIcon:
    """A rounded square with a B, and a red badge with the count when tasks wait."""
    pixmap = QPixmap(64, 64)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor("#2563eb"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(2, 2, 60, 60), 14, 14)
    font = QFont()
    font.setPixelSize(40)
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(QRectF(0, 0, 64, 64), Qt.AlignmentFlag.AlignCenter, "B")
    if waiting:
        p.setBrush(QColor("#dc2626"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(QRectF(34, 0, 30, 30))
        font.setPixelSize(20 if waiting < 10 else 15)
        p.setFont(font)
        p.setPen(QColor("white"))
        p.drawText(QRectF(34, 0, 30, 30), Qt.AlignmentFlag.AlignCenter, str(waiting) if waiting < 100 else "99+")
    p.end()
    return QIcon(pixmap)


def window_title(waiting: int, overdue: int = 0) -> str:
    """``waiting``: tasks waiting for the founder; ``overdue``: other open tasks past their due date."""
    parts = []
    if waiting:
        parts.append(f"{waiting} need{'s' if waiting == 1 else ''} you")
    if overdue:
        parts.append(f"{overdue} overdue")
    return APP_TITLE if not parts else f"{APP_TITLE} ({' · '.join(parts)})"


class FounderSignals(QObject):
    """Keeps the title and tray current; notifies when a task starts waiting for the founder."""

    show_task = Signal(int)  # the founder clicked a notification about this task

    def __init__(self, window: QMainWindow, preferences: Callable[[], Notifications] = Notifications,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._preferences = preferences  # Settings ▸ Notifications, read at each notification
        self._waiting: tuple[int, int] = (-1, -1)  # (waiting, overdue)
        self._last_task: int | None = None
        self.notifications: list[tuple[str, str]] = []  # (title, message), newest last
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(app_icon(), self)
            menu = QMenu(window)
            menu.addAction("Show Bureau", self._raise)
            menu.addSeparator()
            menu.addAction("Quit", window.close)
            self.tray.setContextMenu(menu)
            self.tray.activated.connect(lambda reason: self._raise()
                                        if reason == QSystemTrayIcon.ActivationReason.Trigger else None)
            self.tray.messageClicked.connect(self._open_last)
            self.tray.show()
        self.set_waiting(0)

    def set_waiting(self, count: int, overdue: int = 0) -> None:
        """The needs-you signal: tasks waiting for the founder, and other tasks past their due date."""
        if (count, overdue) == self._waiting:
            return
        self._waiting = (count, overdue)
        title = window_title(count, overdue)
        self._window.setWindowTitle(title)
        icon = app_icon(count + overdue)
        self._window.setWindowIcon(icon)
        if self.tray is not None:
            self.tray.setIcon(icon)
            self.tray.setToolTip(title)

    def on_status_changed(self, old: CardRow | None, new: CardRow) -> None:
        if old is None or old.status == new.status:
            return
        wants = self._preferences()
        if new.status == Status.NEEDS_DECISION and wants.needs_decision:
            title, message = "A task needs your decision", new.title
        elif new.status == Status.DELIVERED and wants.delivered:
            title, message = "Work delivered", f"{new.title} ({new.team or 'team'}) is ready for you to accept."
        elif new.status == Status.FAILED and wants.failed:
            title, message = "A task failed", f"{new.title}: {new.waiting_reason or 'see the task for why'}"
        else:
            return
        self.notifications.append((title, message))
        del self.notifications[:-20]
        self._last_task = new.id
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 8000)
        QApplication.alert(self._window)
        if wants.sound:
            QApplication.beep()

    def hide(self) -> None:
        if self.tray is not None:
            self.tray.hide()

    def _raise(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()

    def _open_last(self) -> None:
        self._raise()
        if self._last_task is not None:
            self.show_task.emit(self._last_task)
