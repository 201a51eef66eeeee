"""The one helper that runs blocking work off the GUI thread (Anki's taskman, in small).

``runner.run(fn, on_success=..., on_failure=...)`` calls ``fn`` on a worker thread and
delivers its result or its exception back on the GUI thread. A callback whose ``owner``
widget was deleted in the meantime is dropped; a failure without its own handler goes to
the default one (a dialog), so no exception is ever swallowed.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")
FailureHandler = Callable[[BaseException], None]


class TaskRunner(QObject):
    """A small thread pool whose callbacks run on the thread that owns the runner."""

    _deliver = Signal(object)  # a zero-argument callable to run on the GUI thread
    activity_changed = Signal(str)  # the label of the oldest labelled job still running, or ""

    def __init__(self, on_error: FailureHandler, *, max_workers: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_error = on_error
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="bureau-bg")
        self._closed = False
        self._labels: dict[int, str] = {}
        self._ids = itertools.count(1)
        self._in_flight = 0
        self._idle = threading.Condition()
        self._deliver.connect(self._run_callback)

    def run(self, fn: Callable[[], T], *, on_success: Callable[[T], None] | None = None,
            on_failure: FailureHandler | None = None, owner: QObject | None = None,
            label: str | None = None) -> Future[T] | None:
        """Run ``fn`` in the background; None when the runner is already closed."""
        if self._closed:
            return None
        job = next(self._ids)
        if label:
            self._labels[job] = label
            self.activity_changed.emit(self.activity)

        def work() -> T:
            with self._idle:
                self._in_flight += 1
            try:
                result = fn()
            except BaseException as exc:  # delivered to a handler on the GUI thread, and kept in the future
                self._deliver.emit(lambda error=exc: self._failed(job, owner, error, on_failure))
                raise
            else:
                self._deliver.emit(lambda: self._succeeded(job, owner, result, on_success))
                return result
            finally:
                with self._idle:
                    self._in_flight -= 1
                    self._idle.notify_all()

        return self._pool.submit(work)

    def report(self, exc: BaseException) -> None:
        """Hand a failure to the default handler (the founder sees it)."""
        self._on_error(exc)

    @property
    def activity(self) -> str:
        return next(iter(self._labels.values()), "")

    @property
    def busy(self) -> bool:
        return bool(self._labels)

    def close(self) -> None:
        """Take no new work; queued work is dropped, running work finishes without callbacks."""
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)

    def wait_idle(self, timeout: float) -> bool:
        """Block until running work is finished (for shutdown); True when it did in time."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout)

    # -- GUI thread ----------------------------------------------------------------
    def _job_done(self, job: int) -> None:
        if self._labels.pop(job, None) is not None:
            self.activity_changed.emit(self.activity)

    def _succeeded(self, job: int, owner: QObject | None, result: Any,
                   callback: Callable[[Any], None] | None) -> None:
        self._job_done(job)
        if callback is None or self._closed:
            return
        if owner is not None and not shiboken6.isValid(owner):
            return  # the widget that asked is gone
        callback(result)

    def _failed(self, job: int, owner: QObject | None, exc: BaseException, handler: FailureHandler | None) -> None:
        self._job_done(job)
        if self._closed:
            log.error("background work failed during shutdown", exc_info=exc)
            return
        if handler is None or (owner is not None and not shiboken6.isValid(owner)):
            handler = self._on_error  # the asker is gone: the founder still hears of it
        handler(exc)

    @Slot(object)
    def _run_callback(self, callback: Any) -> None:
        callback()
