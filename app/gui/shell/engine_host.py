"""The engine in the background of the app: one thread, stopped and joined on close."""

from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import QObject, Signal

from app.engine.engine import Engine
from app.company import Company

log = logging.getLogger(__name__)


class EngineHost(QObject):
    """Runs ``Engine.run_forever`` on a thread; a crash is reported, never hidden."""

    crashed = Signal(object)  # the exception that ended the engine's loop

    def __init__(self, engine: Engine, company: Company, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.company = company
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def paused(self) -> bool:
        """The company's one pause switch: the app's Pause and `bureau pause` are the same."""
        return self.company.paused

    def set_paused(self, paused: bool) -> None:
        if paused:
            self.company.pause()
        else:
            self.company.resume()

    def start(self) -> None:
        if self.running:
            return
        self._thread = threading.Thread(target=self._run, name="bureau-engine", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Ask the engine to stop and wait for it; True when it stopped within ``timeout``."""
        self.engine.stop()
        thread = self._thread
        if thread is None:
            return True
        started = time.monotonic()
        thread.join(timeout)
        stopped = not thread.is_alive()
        log.info("engine %s in %.2f s", "stopped" if stopped else "still running", time.monotonic() - started)
        return stopped

    def _run(self) -> None:
        try:
            self.engine.run_forever()
        except Exception as exc:  # the loop itself broke: tell the founder (the engine catches task errors)
            log.exception("the engine stopped unexpectedly")
            self.crashed.emit(exc)


def load_default_model(company: Company) -> str:
    """Load the model the CEO uses now (blocking: call it on a worker); returns its name."""
    return company.models.preload("ceo")
