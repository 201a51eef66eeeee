"""The one helper that runs blocking work off the GUI thread (Anki's taskman and QueryOp, in small).

Feature code says what to run and what to do with the outcome, in the manner of Anki's
``QueryOp``/``CollectionOp``::

    Op(runner, lambda: service.assign(role, chain), owner=self.view) \
        .success(self.show_assignment).errors_in(self.view.status).progress("Assigning…").run()

``fn`` runs on a worker thread; ``success`` and ``failure`` run on the GUI thread. A callback
whose ``owner`` widget was deleted in the meantime is skipped (``shiboken6.isValid``). A
failure goes, in this order, to ``failure(...)``, to the ``errors_in(...)`` sink (a form
dialog or a status line shows the message inline, and a bug also opens the error dialog),
or to the default handler: a readable dialog. No exception is ever swallowed.

``TaskRunner.run`` is the lower level the board's loaders use directly.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")
FailureHandler = Callable[[BaseException], None]


class ErrorSink(Protocol):
    """Where an operation's expected failure is said inline: a ``FormDialog``, a ``StatusLine``."""

    def show_error(self, message: str, fix: str | None = None) -> None: ...
    def set_busy(self, busy: bool) -> None: ...


LOW_PRIORITY_NICE = 10


def _lower_priority() -> None:
    """This worker (and the threads it starts, such as llama.cpp's while it loads a model) yields the
    CPU to the GUI thread when both want it; Linux keeps a nice value per thread."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOW_PRIORITY_NICE)
    except (AttributeError, OSError):  # not on this platform: the work just runs at normal priority
        pass


class TaskRunner(QObject):
    """A small thread pool whose callbacks run on the thread that owns the runner.

    ``low_priority=True`` work (loading a model: seconds of CPU on every core) runs on a separate
    worker with a lower OS priority, so the window keeps its frames while it runs.
    """

    _deliver = Signal(object)  # a zero-argument callable to run on the GUI thread
    activity_changed = Signal(str)  # the label of the oldest labelled job still running, or ""

    def __init__(self, on_error: FailureHandler, *, max_workers: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_error = on_error
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="bureau-bg")
        self._low = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bureau-bg-low", initializer=_lower_priority)
        self._closed = False
        self._labels: dict[int, str] = {}
        self._ids = itertools.count(1)
        self._in_flight = 0
        self._idle = threading.Condition()
        self._deliver.connect(self._run_callback)

    def run(self, fn: Callable[[], T], *, on_success: Callable[[T], None] | None = None,
            on_failure: FailureHandler | None = None, owner: QObject | None = None,
            label: str | None = None, low_priority: bool = False) -> Future[T] | None:
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

        try:
            return (self._low if low_priority else self._pool).submit(work)
        except RuntimeError:  # the pool was shut down under this call: the runner is closed
            if not self._closed:
                raise
            self._job_done(job)
            return None

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
        self._low.shutdown(wait=False, cancel_futures=True)

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


class Op(Generic[T]):
    """One background operation: ``Op(runner, fn, owner=w).success(...).errors_in(...).progress(...).run()``."""

    def __init__(self, runner: TaskRunner, fn: Callable[[], T], *, owner: QObject | None = None) -> None:
        self._runner = runner
        self._fn = fn
        self._owner = owner
        self._success: Callable[[T], None] | None = None
        self._failure: FailureHandler | None = None
        self._sink: ErrorSink | None = None
        self._label: str | None = None
        self._low_priority = False

    def low_priority(self) -> Op[T]:
        """Heavy CPU work (loading a model): run it at a lower OS priority than the window."""
        self._low_priority = True
        return self

    def success(self, callback: Callable[[T], None]) -> Op[T]:
        self._success = callback
        return self

    def failure(self, handler: FailureHandler) -> Op[T]:
        self._failure = handler
        return self

    def errors_in(self, sink: ErrorSink) -> Op[T]:
        """Say failures in ``sink`` (busy while it runs); unexpected ones (bugs) also open the dialog."""
        self._sink = sink
        return self

    def progress(self, label: str) -> Op[T]:
        """The status bar shows ``label`` with a busy bar while the operation runs."""
        self._label = label
        return self

    def run(self) -> Future[T] | None:
        sink = self._sink
        if sink is not None:
            sink.set_busy(True)
        return self._runner.run(self._fn, on_success=self._succeeded, on_failure=self._failed,
                                owner=self._owner, label=self._label, low_priority=self._low_priority)

    def _sink_alive(self) -> ErrorSink | None:
        sink = self._sink
        if sink is None or (isinstance(sink, QObject) and not shiboken6.isValid(sink)):
            return None
        return sink

    def _succeeded(self, result: T) -> None:
        sink = self._sink_alive()
        if sink is not None:
            sink.set_busy(False)
        if self._success is not None:
            self._success(result)

    def _failed(self, exc: BaseException) -> None:
        from app.gui.common.errors import ReadableError  # errors imports Qt widgets; keep ops light

        sink = self._sink_alive()
        if sink is not None:
            sink.set_busy(False)
        if self._failure is not None:
            self._failure(exc)
            return
        if sink is None:
            self._runner.report(exc)
            return
        error = ReadableError.of(exc)
        sink.show_error(error.message, error.fix)
        if error.details:  # a bug, not a mistake: the founder gets the details to report
            self._runner.report(exc)
