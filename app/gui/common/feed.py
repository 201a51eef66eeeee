"""The store's changes and the model's tokens, brought to the GUI thread.

``StoreFeed``: events committed in this process arrive through ``Database.subscribe``
(called on the committing thread, marshalled with a signal); events from other
processes (a ``bureau run`` in a terminal) arrive by polling ``events_since`` once a
second on a worker thread. Each event is delivered once.

``StreamBuffer``: ``on_stream`` pieces from the engine thread, flushed to the GUI at
most ~30 times a second.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app.gui.common.ops import TaskRunner
from app.store.db import ChangeEvent, Database
from app.store.rows import EventRow as Event

POLL_MS = 1000
FLUSH_MS = 33


@dataclass(frozen=True, slots=True)
class EventInfo:
    """A plain copy of a stored event (ORM rows never cross threads)."""

    id: int
    task_id: int | None
    kind: str
    status: str | None

    @classmethod
    def of(cls, event: Event | ChangeEvent) -> EventInfo:
        return cls(id=int(event.id or 0), task_id=event.task_id, kind=event.kind, status=event.status)


class StoreFeed(QObject):
    events = Signal(object)  # list[EventInfo], on the GUI thread
    trouble = Signal(object)  # an exception from polling (shown inline; polling goes on)

    _committed = Signal(object)

    def __init__(self, db: Database, runner: TaskRunner, *, poll_ms: int = POLL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self._cursor = 0
        self._seen: set[int] = set()  # delivered from this process, not yet passed by the poll
        self._polling = False
        self._closed = False
        self._unsubscribe: object | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.poll)
        self._committed.connect(self._on_committed)

    @property
    def cursor(self) -> int:
        return self._cursor

    def start(self, last_event_id: int) -> None:
        """Deliver every event after ``last_event_id`` from now on."""
        self._cursor = last_event_id
        self._unsubscribe = self._db.subscribe(self._listener)
        self._timer.start()

    def stop(self) -> None:
        self._closed = True
        self._timer.stop()
        unsubscribe = self._unsubscribe
        self._unsubscribe = None
        if callable(unsubscribe):
            unsubscribe()

    # -- committing thread ------------------------------------------------------------
    def _listener(self, events: list[ChangeEvent]) -> None:
        if not self._closed:
            self._committed.emit([EventInfo.of(e) for e in events])

    # -- GUI thread -------------------------------------------------------------------
    @Slot(object)
    def _on_committed(self, infos: list[EventInfo]) -> None:
        fresh = [e for e in infos if e.id > self._cursor and e.id not in self._seen]
        self._seen.update(e.id for e in fresh)
        if fresh and not self._closed:
            self.events.emit(fresh)

    @Slot()
    def poll(self) -> None:
        if self._polling or self._closed:
            return
        self._polling = True
        cursor, db = self._cursor, self._db
        self._runner.run(lambda: [EventInfo.of(e) for e in db.events_since(cursor)],
                         on_success=self._on_polled, on_failure=self._on_poll_failed)

    def _on_polled(self, infos: list[EventInfo]) -> None:
        self._polling = False
        if not infos:
            return
        fresh = [e for e in infos if e.id not in self._seen]
        self._cursor = max(self._cursor, max(e.id for e in infos))
        self._seen = {i for i in self._seen if i > self._cursor}
        if fresh and not self._closed:
            self.events.emit(fresh)
        if len(infos) >= 1000:
            QTimer.singleShot(0, self.poll)  # more are waiting

    def _on_poll_failed(self, exc: BaseException) -> None:
        self._polling = False
        self.trouble.emit(exc)


class StreamBuffer(QObject):
    """Collects streamed pieces from any thread; ``flushed`` hands them over in batches."""

    flushed = Signal(object)  # dict[(task id, journal key), new text]

    _wake = Signal()

    def __init__(self, *, interval_ms: int = FLUSH_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: dict[tuple[int, str], list[str]] = {}
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.flush)
        self._wake.connect(self._schedule)

    def push(self, task_id: int, key: str, piece: str) -> None:
        """The engine's ``on_stream`` callback (runs on the engine thread)."""
        with self._lock:
            if self._closed:
                return
            was_empty = not self._pending
            self._pending.setdefault((task_id, key), []).append(piece)
        if was_empty:
            self._wake.emit()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._pending.clear()
        self._timer.stop()

    @Slot()
    def _schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
        if pending:
            self.flushed.emit({key: "".join(pieces) for key, pieces in pending.items()})
