"""Light or dark, following the desktop; the few colours the board adds to the palette."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from app.core.status import Status

STATUS_COLORS: dict[str, str] = {
    Status.INBOX: "#64748b", Status.NEEDS_DECISION: "#d97706", Status.QUEUED: "#6366f1",
    Status.RUNNING: "#0ea5e9", Status.IN_REVIEW: "#a855f7", Status.REWORK: "#f97316",
    Status.DELIVERED: "#16a34a", Status.DONE: "#0d9488", Status.FAILED: "#dc2626", Status.CANCELLED: "#94a3b8",
}
PRIORITY_COLORS: dict[str, str] = {"urgent": "#dc2626", "high": "#ea580c", "normal": "", "low": ""}
OVERDUE_COLOR = "#dc2626"


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _dark_palette() -> QPalette:
    p = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#1f2329", QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#2a2f37", QPalette.ColorRole.AlternateBase: "#252a31",
        QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#2c3139",
        QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#3b82f6",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#2a2f37",
        QPalette.ColorRole.ToolTipText: "#e6e6e6", QPalette.ColorRole.PlaceholderText: "#8b949e",
        QPalette.ColorRole.Link: "#60a5fa", QPalette.ColorRole.Mid: "#4b5563",
        QPalette.ColorRole.Midlight: "#374151", QPalette.ColorRole.Dark: "#111418",
        QPalette.ColorRole.Light: "#3a404a", QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.BrightText: "#ffffff",
    }
    for role, color in colors.items():
        p.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b7280"))
    return p


_choice = {"theme": "system"}  # Settings ▸ Appearance ▸ Theme: "system", "light" or "dark"


def wants_dark(choice: str) -> bool:
    if choice in ("light", "dark"):
        return choice == "dark"
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_theme(choice: str | None = None) -> None:
    """Apply the founder's theme choice (or the last one) to the running app."""
    if choice is not None:
        _choice["theme"] = choice
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    dark = wants_dark(_choice["theme"])
    palette = _dark_palette() if dark else app.style().standardPalette()
    if app.palette() != palette:
        app.setPalette(palette)


class ThemeFollower(QObject):
    """Applies Fusion with a light or dark palette, and again whenever the desktop switches (for "system")."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        app.setStyle("Fusion")
        self.apply()
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: self.apply())

    def apply(self) -> None:
        apply_theme()
