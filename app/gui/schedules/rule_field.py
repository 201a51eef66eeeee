"""A rule in the founder's words, read back in plain words with its next runs as the founder types.

Shared by the Schedules window's Add dialog and the New task dialog's "Repeat…": the widgets
(``RuleField``: the rule line and its preview line) and the behaviour (``RulePreviewer``: a short
pause after typing, then ``ScheduleService.preview`` on the op helper).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from app.gui.common.errors import ReadableError
from app.gui.common.ops import TaskRunner
from app.schedules.service import ScheduleService

PREVIEW_MS = 300
RULE_EXAMPLES = "every monday at 9 · every weekday at 8:30 · on the 1st of every month"
EMPTY_PREVIEW = "Type a rule to see when it runs."


class RuleField:
    """The rule line and the line under it that says the rule back (two widgets for a form's rows)."""

    def __init__(self) -> None:
        self.rule = QLineEdit()
        self.rule.setPlaceholderText(RULE_EXAMPLES)
        self.preview = QLabel(EMPTY_PREVIEW)
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)


class LocalPreview:
    """A preview with its times already in local words (made on the worker)."""

    def __init__(self, preview: Any) -> None:
        from app.schedules.timing import resolve_tz

        zone = resolve_tz(preview.tz)
        self.words = preview.words
        self.tz = preview.tz
        self.occurrences_local = [t.astimezone(zone).strftime("%a %Y-%m-%d %H:%M") for t in preview.occurrences]

    def sentence(self) -> str:
        return f"{self.words} ({self.tz}). Next: {', '.join(self.occurrences_local)}"


class RulePreviewer(QObject):
    """Says ``field``'s rule back (words and the next three runs) a moment after the founder stops typing."""

    def __init__(self, field: RuleField, service: Callable[[], ScheduleService], runner: TaskRunner, *,
                 tz: Callable[[], str | None] = lambda: None, owner: QWidget) -> None:
        super().__init__(owner)
        self._field = field
        self._service = service
        self._runner = runner
        self._tz = tz
        self._owner = owner
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_MS)
        self.timer.timeout.connect(self.refresh)
        field.rule.textChanged.connect(lambda _text: self.timer.start())

    def watch(self, signal: Any) -> None:
        """Preview again when ``signal`` fires (the time zone changed)."""
        signal.connect(lambda *_args: self.timer.start())

    def refresh(self) -> None:
        rule, tz, service = self._field.rule.text(), self._tz(), self._service
        if not rule.strip():
            self._field.preview.setText(EMPTY_PREVIEW)
            return

        def shown(preview: LocalPreview) -> None:
            if self._field.rule.text() == rule:
                self._field.preview.setText(preview.sentence())

        def failed(exc: BaseException) -> None:
            error = ReadableError.of(exc)
            if self._field.rule.text() == rule:
                self._field.preview.setText(f"{error.message} {error.fix or ''}".strip())

        self._runner.run(lambda: LocalPreview(service().preview(rule, tz=tz, count=3)), on_success=shown,
                         on_failure=failed, owner=self._owner)
