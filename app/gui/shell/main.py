"""Start the desktop app: ``run_gui(home)`` is what `bureau` (no subcommand) and `make run` call."""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.gui.shell.app_controller import AppController
from app.gui.common.compat import install_guard
from app.gui.common.errors import ErrorReporter, ExceptHooks, ReadableError
from app.gui.shell.founder import app_icon
from app.gui.common.ops import TaskRunner
from app.gui.common.theme import ThemeFollower
from app.company import Company
from app.core.errors import BureauError
from app.core.logs import setup_logging
from app.core.paths import data_home
from app.core.privacy import quiet_defaults
from app.store.backup import DamagedDatabase
from app.store.restore import restore as restore_backup

log = logging.getLogger(__name__)
EXIT_ERROR = 2
WINDOW_SHOWN = "window shown"  # logged once the main window is up (the bundle test and bench/startup.py wait for it)
# How long a busy worker thread may keep the GIL before the GUI thread gets it (Python's default
# is 5 ms): loading a model or reading 10,000 cards in the background then never holds a frame up.
GUI_SWITCH_INTERVAL = 0.001


class Launcher(QObject):
    """Opens the data folder off the GUI thread, then builds and starts the app."""

    def __init__(self, app: QApplication, home: str | os.PathLike[str] | None, reporter: ErrorReporter) -> None:
        super().__init__(app)
        self._app = app
        self._home = home
        self._reporter = reporter
        self._runner = TaskRunner(reporter.report, max_workers=1, parent=self)
        self.controller: AppController | None = None
        self.exit_code = 0
        self._started = time.monotonic()

    def start(self) -> None:
        home = Path(self._home) if self._home is not None else None
        self._runner.run(lambda: open_company(home), on_success=self._opened, on_failure=self._failed,
                         label="Opening the data folder…")

    def window(self) -> QWidget | None:
        return self.controller.window if self.controller is not None else None

    def _opened(self, company: Company) -> None:
        self._runner.close()
        self.controller = AppController(company, reporter=self._reporter)
        self._app.aboutToQuit.connect(self.controller.shutdown)
        self.controller.start()
        started = self._started
        QTimer.singleShot(0, lambda: log.info("%s %.2f s after the app started", WINDOW_SHOWN,
                                              time.monotonic() - started))

    def _failed(self, exc: BaseException) -> None:
        error = ReadableError.of(exc)
        box = QMessageBox(QMessageBox.Icon.Critical, "Bureau cannot start", error.message)
        if error.fix:
            box.setInformativeText(error.fix)
        if error.details:
            box.setDetailedText(error.details)
        restore = None
        if isinstance(exc, DamagedDatabase) and exc.backup is not None:  # offered, never done silently
            restore = box.addButton(f"Restore {exc.backup.name}", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if restore is not None and box.clickedButton() is restore:
            try:
                restore_backup(exc.path.parent, exc.backup)
            except BureauError as failed:
                QMessageBox.critical(None, "Bureau", str(failed))
            else:
                self.start()  # open again, now on the restored database
                return
        self._runner.close()
        self.exit_code = EXIT_ERROR
        self._app.exit(EXIT_ERROR)


def warm_imports() -> None:
    """Import llama.cpp's bindings (and numpy) before there is a window to keep responsive.

    Initialising their C extensions holds Python's GIL for tens of milliseconds at a time, which no
    switch interval can interrupt; done later, while the board is on screen, it shows as stalls.
    """
    try:
        import llama_cpp  # noqa: F401
    except ImportError:  # only Ollama or servers configured: nothing to warm
        pass


def start_app(home: str | os.PathLike[str] | Path | None = None) -> tuple[QApplication, Launcher, ExceptHooks]:
    """Set up Qt, the theme, the error hooks, and start opening ``home``; the caller runs the loop."""
    quiet_defaults()
    try:
        setup_logging(data_home(home))
    except BureauError:
        pass  # the launcher reports an unusable data folder with its fix
    sys.setswitchinterval(GUI_SWITCH_INTERVAL)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName("Bureau")
    app.setApplicationName("Bureau")
    app.setDesktopFileName("bureau")
    app.setWindowIcon(app_icon())
    ThemeFollower(app)
    install_guard(app)
    launcher: Launcher | None = None
    reporter = ErrorReporter(lambda: launcher.window() if launcher is not None else None)
    hooks = ExceptHooks(reporter)
    hooks.install()
    launcher = Launcher(app, home, reporter)
    launcher.start()
    _quit_on_signals(app)
    return app, launcher, hooks


class SignalQuit(QObject):
    """Ctrl+C or a SIGTERM closes the app in order, like closing the window.

    Python runs a signal handler between any two bytecodes of the GUI thread, in the middle of
    whatever runs there (a background job half submitted, a model half swapped). So the handler
    only notes the request; a timer quits from the event loop, where no other code is running.
    """

    def __init__(self, parent: QObject, quit_app: Callable[[], None], *, interval_ms: int = 300) -> None:
        super().__init__(parent)
        self._quit = quit_app
        self.requested = False
        self._wake = QTimer(self)  # Python runs signal handlers only when it gets control back from Qt
        self._wake.setInterval(interval_ms)
        self._wake.timeout.connect(self._check)
        self._wake.start()

    def install(self) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self.request)

    def request(self, _signum: int = 0, _frame: object = None) -> None:
        self.requested = True

    def _check(self) -> None:
        if self.requested:
            self.requested = False
            self._quit()


def _quit_on_signals(app: QApplication) -> None:
    SignalQuit(app, app.quit).install()


def open_company(home: Path | None) -> Company:
    """Open the data folder and make today's backup, off the GUI thread, before the window exists."""
    warm_imports()
    company = Company.open(home)
    try:
        company.daily_backup()
    except BureauError:
        log.exception("the daily backup failed")
    return company


def run_gui(home: str | os.PathLike[str] | Path | None = None) -> int:
    """Open the main window on the data folder ``home``; returns the exit code."""
    app, launcher, hooks = start_app(home)
    try:
        code = app.exec()
    finally:
        hooks.uninstall()
        if launcher.controller is not None:
            launcher.controller.shutdown()
    return launcher.exit_code or code
