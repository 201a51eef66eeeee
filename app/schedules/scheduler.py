"""The scheduler: schedules rebuilt from the database into memory, fired exactly once.

Nothing is pickled: at start every schedule row is read, its rule parsed and its next fire
time computed with APScheduler's triggers; a heap orders them. ``tick`` fires what is due:

- on time (within ``GRACE`` of its time): one task for the occurrence;
- after sleep or downtime: ``catch_up="once"`` makes one task for the latest missed occurrence,
  noting how many were missed and since when; ``"skip"`` settles them without a task.

Each task is created in the same transaction as its occurrence row (see store.py), so two
processes on one data folder, or a crash and restart, never make a duplicate. Another process's
changes to the schedules are noticed on the next tick (a cheap signature query).
"""

from __future__ import annotations

import heapq
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from app.core.errors import BureauError
from app.schedules import store
from app.schedules.deadlines import raise_priorities
from app.schedules.store import FireOutcome, FireRequest, ScheduleRow
from app.schedules.timing import CompiledRule, resolve_tz
from app.store.db import Database, utcnow
from app.tasks.service import TaskService

log = logging.getLogger(__name__)

GRACE = timedelta(minutes=5)  # later than this, an occurrence counts as missed (APScheduler's default is 1 s)
BATCH = 200  # occurrences fired in one transaction
POLL_SECONDS = 1.0  # the loop looks at the clock at least this often (a laptop waking from sleep is noticed)
DEADLINE_EVERY = timedelta(minutes=1)


@dataclass
class _Entry:
    row: ScheduleRow
    rule: CompiledRule
    cursor: datetime
    next_at: datetime | None


class Scheduler:
    def __init__(self, db: Database, tasks: TaskService, *, name: str = "scheduler",
                 clock: Callable[[], datetime] = utcnow, grace: timedelta = GRACE,
                 material: store.Material = store.no_material) -> None:
        self.db = db
        self.material = material  # read before the write transaction (it may read the store itself)
        self.tasks = tasks
        self.name = name
        self.clock = clock
        self.grace = grace
        self.entries: dict[int, _Entry] = {}
        self._heap: list[tuple[datetime, int]] = []
        self._signature: tuple[object, ...] | None = None
        self._deadlines_at: datetime | None = None
        self.broken: dict[int, str] = {}  # schedules whose rule cannot be read any more

    # -- building ---------------------------------------------------------------------------
    def rebuild(self) -> int:
        """Read every schedule and compute its next fire time; returns how many are active."""
        with self.db.raw_read() as conn:
            rows = store.load_schedules(conn)
            self._signature = store.signature(conn)
        self.entries.clear()
        self.broken.clear()
        for row in rows:
            if row.paused:
                continue
            try:
                rule = CompiledRule.parse(row.rule, tz=resolve_tz(row.tz), anchor=row.anchor)
            except BureauError as exc:
                self.broken[row.id] = exc.message
                log.warning("schedule %s cannot be read: %s", row.id, exc.message)
                continue
            self.entries[row.id] = _Entry(row, rule, row.cursor, rule.next_after(row.cursor))
        self._heap = [(e.next_at, i) for i, e in self.entries.items() if e.next_at is not None]
        heapq.heapify(self._heap)
        return len(self.entries)

    def _sync(self) -> None:
        with self.db.raw_read() as conn:
            current = store.signature(conn)
        if current != self._signature:
            self.rebuild()

    # -- firing -------------------------------------------------------------------------------
    def next_fire_time(self) -> datetime | None:
        while self._heap:
            at, schedule_id = self._heap[0]
            entry = self.entries.get(schedule_id)
            if entry is not None and entry.next_at == at:
                return at
            heapq.heappop(self._heap)  # stale
        return None

    def tick(self, now: datetime | None = None) -> list[FireOutcome]:
        """Fire everything due at ``now``; returns what happened to each occurrence."""
        now = now or self.clock()
        self._sync()
        self._deadlines(now)
        due: list[_Entry] = []
        while (at := self.next_fire_time()) is not None and at <= now:
            _, schedule_id = heapq.heappop(self._heap)
            due.append(self.entries[schedule_id])
        outcomes: list[FireOutcome] = []
        for start in range(0, len(due), BATCH):
            outcomes += self._fire(due[start:start + BATCH], now)
        return outcomes

    def _fire(self, due: list[_Entry], now: datetime) -> list[FireOutcome]:
        requests: list[FireRequest] = []
        skips: dict[int, datetime] = {}
        for entry in due:
            request, settled = self._decide(entry, now)
            if request is not None:
                files = self.material(entry.row)
                requests.append(replace(request, attachments=files) if files else request)
            if settled is not None:
                skips[entry.row.id] = settled
        try:
            outcomes = store.fire_many(self.db, self.tasks, requests, fired_by=self.name, skips=skips) \
                if requests or skips else []
        except BaseException:  # nothing was committed: keep them due, the next tick tries again
            for entry in due:
                if entry.next_at is not None:
                    heapq.heappush(self._heap, (entry.next_at, entry.row.id))
            raise
        for entry in due:
            settled_at = skips.get(entry.row.id)
            for o in outcomes:
                if o.request.schedule_id == entry.row.id:
                    settled_at = max(settled_at or o.request.scheduled_for, o.request.scheduled_for)
            entry.cursor = max(entry.cursor, settled_at or now)
            entry.next_at = entry.rule.next_after(entry.cursor)
            if entry.next_at is not None:
                heapq.heappush(self._heap, (entry.next_at, entry.row.id))
        for o in outcomes:
            if o.created:
                log.info("schedule %s: task %s for %s", o.request.schedule_id, o.task_id, o.request.scheduled_for)
        return outcomes

    def _decide(self, entry: _Entry, now: datetime) -> tuple[FireRequest | None, datetime | None]:
        """The occurrence to create (if any), and how far the occurrences are settled without a task."""
        missed = entry.rule.missed(entry.cursor, now)
        if missed is None:
            return None, None
        row, zone = entry.row, entry.rule.tz
        on_time = now - missed.last <= self.grace
        when = missed.last.astimezone(zone).strftime("%a %Y-%m-%d %H:%M %Z")
        if on_time and missed.count == 1:
            return FireRequest(row.id, missed.last, "on_time",
                               note=f"Created by schedule {row.id} ({entry.rule.words}) for {when}."), None
        if row.catch_up == "skip":
            if on_time:
                return FireRequest(row.id, missed.last, "on_time", note=(
                    f"Created by schedule {row.id} ({entry.rule.words}) for {when}; {missed.count - 1} earlier "
                    "occurrence(s) were skipped while Bureau was not running.")), missed.last
            return None, missed.last
        since = missed.first.astimezone(zone).strftime("%a %Y-%m-%d %H:%M %Z")
        about = "about " if missed.estimated else ""
        return FireRequest(row.id, missed.last, "caught_up", missed=missed.count, missed_since=missed.first, note=(
            f"Caught up once for schedule {row.id} ({entry.rule.words}): {about}{missed.count} occurrence(s) "
            f"were missed since {since} while Bureau was not running; this one task stands for them "
            f"(the latest was {when}).")), None

    def _deadlines(self, now: datetime) -> None:
        if self._deadlines_at is not None and now - self._deadlines_at < DEADLINE_EVERY:
            return
        self._deadlines_at = now
        try:
            raise_priorities(self.db, today=_local_today(now))
        except BureauError:
            log.warning("could not raise the priorities of tasks due soon", exc_info=True)


def _local_today(now: datetime) -> date:
    return now.astimezone(resolve_tz(None)).date()


class SchedulerLoop:
    """The scheduler on its own thread: fires schedules while the app or `bureau run` is up."""

    def __init__(self, scheduler: Scheduler, *, poll_seconds: float = POLL_SECONDS) -> None:
        self.scheduler = scheduler
        self.poll_seconds = poll_seconds
        self.stopping = threading.Event()
        self.lateness: list[float] = []  # seconds between an occurrence's time and its task's commit
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self.stopping.clear()
        self._thread = threading.Thread(target=self._run, name="bureau-scheduler", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> bool:
        self.stopping.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        try:
            self.scheduler.rebuild()
        except BureauError:
            log.exception("the scheduler could not read the schedules")
        while not self.stopping.is_set():
            try:
                for outcome in self.scheduler.tick():
                    if outcome.created and outcome.request.kind == "on_time":
                        late = (utcnow() - outcome.request.scheduled_for).total_seconds()
                        self.lateness.append(late)
                        del self.lateness[:-10_000]
            except Exception:  # a broken store must not end the loop: log it and try again
                log.exception("the scheduler tick failed")
            nxt = self.scheduler.next_fire_time()
            wait = self.poll_seconds if nxt is None else (nxt - utcnow()).total_seconds()
            self.stopping.wait(min(max(wait, 0.01), self.poll_seconds))

