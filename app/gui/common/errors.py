"""How errors reach the founder: readable dialogs, and hooks for the unexpected ones."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType

import shiboken6
from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from agents.backends.base import BackendError
from app.core.errors import BureauError
from app.core.logs import write_crash_report

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadableError:
    """An exception said for a person: what happened, what to do, and details for a report."""

    title: str
    message: str
    fix: str | None
    details: str | None
    crash_report: Path | None = None  # the local file the details were written to (unexpected errors)

    @classmethod
    def of(cls, exc: BaseException) -> ReadableError:
        if isinstance(exc, BureauError | BackendError):
            return cls("Bureau", exc.message, exc.fix, None)
        if isinstance(exc, OSError):
            where = f" ({exc.filename})" if exc.filename else ""
            return cls("Bureau", f"A file could not be used{where}: {exc.strerror or exc}.",
                       "Check that the file exists and that you may read and write it.", None)
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return cls("Unexpected error", f"Something went wrong inside Bureau: {type(exc).__name__}: {exc}",
                   "Your tasks are saved. Try again; if it keeps happening, report it with the details below.",
                   details)


class ErrorReporter(QObject):
    """Shows errors as non-blocking dialogs over ``parent``; safe to call from any thread."""

    _from_thread = Signal(object)
    shown = Signal(object)  # the ReadableError, after its dialog opened

    def __init__(self, parent_widget: Callable[[], QWidget | None]) -> None:
        super().__init__()
        self._parent_widget = parent_widget
        self._open: list[QMessageBox] = []
        self._from_thread.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def report(self, exc: BaseException) -> None:
        if threading.current_thread() is threading.main_thread():
            self._show(exc)
        else:
            self._from_thread.emit(exc)

    @property
    def open_dialogs(self) -> list[QMessageBox]:
        self._open = [box for box in self._open if shiboken6.isValid(box) and box.isVisible()]
        return list(self._open)

    @Slot(object)
    def _show(self, exc: BaseException) -> None:
        error = ReadableError.of(exc)
        if error.details:
            log.error("%s", error.details)
            error = replace(error, crash_report=write_crash_report(error.details))
        if len(self.open_dialogs) >= 3:
            return  # a storm of the same failure: the first dialogs say it, the log keeps the rest
        parent = self._parent_widget()
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Critical if error.details else QMessageBox.Icon.Warning)
        box.setWindowTitle(error.title)
        box.setText(error.message)
        if error.fix:
            box.setInformativeText(error.fix)
        if error.details:
            box.setDetailedText(error.details)
        if error.crash_report is not None:  # stays on this computer; the founder decides what to share
            report = error.crash_report
            box.setInformativeText(f"{error.fix or ''}\n\nThe details are saved in {report}.".strip())
            button = box.addButton("Open crash report", QMessageBox.ButtonRole.ActionRole)
            button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(report))))
            box.addButton(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self._open.append(box)
        box.open()
        self.shown.emit(error)


class ExceptHooks:
    """Routes uncaught exceptions (GUI thread and other threads) to the reporter."""

    def __init__(self, reporter: ErrorReporter) -> None:
        self._reporter = reporter
        self._previous_sys = sys.excepthook
        self._previous_thread = threading.excepthook
        self._inside = False

    def install(self) -> None:
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        sys.excepthook = self._previous_sys
        threading.excepthook = self._previous_thread

    def _sys_hook(self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous_sys(kind, exc, tb)
            return
        log.error("uncaught exception", exc_info=(kind, exc, tb))
        if self._inside:
            return  # the dialog itself failed: the log has it
        self._inside = True
        try:
            self._reporter.report(exc.with_traceback(tb))
        finally:
            self._inside = False

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        log.error("uncaught exception in thread %s", args.thread.name if args.thread else "?",
                  exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
        self._reporter.report(args.exc_value)
