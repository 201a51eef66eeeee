"""What the founder can do with schedules; shared by the CLI and the desktop app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from app.core.errors import InvalidInput
from app.core.validation import clean_task_text, make_title
from app.schedules import store
from app.schedules.store import FireRequest, OccurrenceRow, ScheduleRow
from app.schedules.timing import CompiledRule, check_fires, resolve_tz
from app.store.db import Database, utcnow
from app.tasks.service import NewTask, TaskService

CatchUp = Literal["once", "skip"]
CATCH_UP_MODES: tuple[str, ...] = ("once", "skip")


@dataclass(frozen=True, kw_only=True)
class NewSchedule:
    text: str
    rule: str
    title: str | None = None
    team: str | None = None
    priority: str | None = None
    sensitive: bool = False
    budget: dict[str, float] | None = None
    tz: str | None = None  # IANA name; the system's when empty
    catch_up: str = "once"
    paused: bool = False


@dataclass(frozen=True)
class RulePreview:
    """A rule said back in words with its next occurrences (UTC; shown in ``tz``)."""

    rule: str
    words: str
    tz: str
    kind: str
    occurrences: tuple[datetime, ...]

    def to_json(self) -> dict[str, Any]:
        zone = resolve_tz(self.tz)
        return {"rule": self.rule, "words": self.words, "tz": self.tz, "kind": self.kind,
                "next": [t.astimezone(zone).isoformat() for t in self.occurrences]}


@dataclass(frozen=True)
class ScheduleView:
    """A schedule as the founder sees it."""

    row: ScheduleRow
    words: str
    next_run: datetime | None
    last: OccurrenceRow | None
    upcoming: tuple[datetime, ...] = field(default=())
    history: tuple[OccurrenceRow, ...] = field(default=())

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def state(self) -> str:
        if self.row.paused:
            return "paused"
        return "finished" if self.next_run is None else "active"

    def local(self, moment: datetime | None) -> str:
        return "" if moment is None else moment.astimezone(resolve_tz(self.row.tz)).strftime("%a %Y-%m-%d %H:%M")

    def to_json(self) -> dict[str, Any]:
        zone = resolve_tz(self.row.tz)
        r = self.row
        data: dict[str, Any] = {
            "id": r.id, "text": r.text, "title": r.title or make_title(r.text), "team": r.team,
            "priority": r.priority, "sensitive": r.sensitive, "rule": r.rule, "words": self.words, "tz": r.tz,
            "catch_up": r.catch_up, "state": self.state, "paused": r.paused,
            "next_run": self.next_run.astimezone(zone).isoformat() if self.next_run else None,
            "last_run": self.last.scheduled_for.astimezone(zone).isoformat() if self.last else None,
            "last_task": self.last.task_id if self.last else None,
            "created_at": r.created_at.isoformat(),
        }
        if self.upcoming:
            data["next"] = [t.astimezone(zone).isoformat() for t in self.upcoming]
        if self.history:
            data["occurrences"] = [{"scheduled_for": o.scheduled_for.astimezone(zone).isoformat(), "task": o.task_id,
                                    "kind": o.kind, "missed": o.missed} for o in self.history]
        return data


class ScheduleService:
    def __init__(self, db: Database, tasks: TaskService, *, clock: Callable[[], datetime] = utcnow,
                 material: store.Material = store.no_material) -> None:
        self.db = db
        self.material = material
        self.tasks = tasks
        self.clock = clock

    def preview(self, rule: str, *, tz: str | None = None, start: datetime | None = None,
                count: int = 5) -> RulePreview:
        """The rule in words and its next ``count`` occurrences after ``start`` (now); saves nothing."""
        if not 1 <= count <= 500:
            raise InvalidInput(f"Cannot list {count} occurrences.", fix="Use a --count from 1 to 500.")
        zone = resolve_tz(tz)
        start = start or self.clock()
        start = (start if start.tzinfo else start.replace(tzinfo=zone)).astimezone(UTC)
        compiled = CompiledRule.parse(rule, tz=zone, anchor=start)
        first = check_fires(compiled, rule, now=start)
        more = compiled.upcoming(first[-1], count=count - len(first)) if count > len(first) else []
        return RulePreview(rule=rule.strip(), words=compiled.words, tz=zone.key, kind=compiled.spec.kind,
                           occurrences=tuple((first + more)[:count]))

    def add(self, new: NewSchedule) -> ScheduleView:
        """Validate everything first; then one transaction saves the schedule."""
        text = clean_task_text(new.text)
        self.tasks.prepare(NewTask(text=text, title=new.title, priority=new.priority, team=new.team,
                                 budget=new.budget, source="schedule"))
        if new.catch_up not in CATCH_UP_MODES:
            raise InvalidInput(f"Unknown catch-up {new.catch_up!r}.",
                               fix="Use 'once' (one task for what was missed) or 'skip'.")
        now = self.clock()
        preview = self.preview(new.rule, tz=new.tz, start=now)
        with self.db.raw_write() as conn:
            schedule_id = store.insert_schedule(
                self.db, conn, text=text, title=new.title.strip() if new.title and new.title.strip() else None,
                team=new.team.strip().lower() if new.team else None, priority=(new.priority or "normal").lower(),
                sensitive=new.sensitive, budget=dict(new.budget or {}), rule=preview.rule, tz=preview.tz,
                catch_up=new.catch_up, paused=new.paused, anchor=now)
        return self.get(schedule_id)

    def list_schedules(self) -> list[ScheduleView]:
        with self.db.raw_read() as conn:
            rows = store.load_schedules(conn)
            last = store.last_occurrences(conn)
        return [self._view(r, last.get(r.id)) for r in rows]

    def get(self, schedule_id: int, *, upcoming: int = 0, history: int = 0) -> ScheduleView:
        with self.db.raw_read() as conn:
            row = store.get_schedule(conn, schedule_id)
            last = store.last_occurrences(conn, schedule_id).get(schedule_id)
            past = tuple(store.occurrences(conn, schedule_id, limit=history)) if history else ()
        return self._view(row, last, upcoming=upcoming, history=past)

    def pause(self, schedule_id: int) -> ScheduleView:
        with self.db.raw_write() as conn:
            store.set_paused(self.db, conn, schedule_id, True)
        return self.get(schedule_id)

    def resume(self, schedule_id: int) -> ScheduleView:
        """Go on from now: occurrences that passed while paused are not caught up."""
        with self.db.raw_write() as conn:
            store.set_paused(self.db, conn, schedule_id, False, cursor=self.clock())
        return self.get(schedule_id)

    def remove(self, schedule_id: int) -> None:
        """Delete the schedule and its occurrence records; the tasks it created stay."""
        with self.db.raw_write() as conn:
            store.delete_schedule(self.db, conn, schedule_id)

    def run_now(self, schedule_id: int) -> int:
        """Create the schedule's task now (an extra run; the schedule's own times are unchanged)."""
        view = self.get(schedule_id)
        now = self.clock()
        request = FireRequest(schedule_id=schedule_id, scheduled_for=now, kind="run_now",
                              note=f"Run now by the founder from schedule {schedule_id} ({view.words}).",
                              attachments=self.material(view.row))
        outcome = store.fire_many(self.db, self.tasks, [request], fired_by="founder")[0]
        if outcome.task_id is None:
            raise store.not_found(schedule_id)
        return outcome.task_id

    def _view(self, row: ScheduleRow, last: OccurrenceRow | None, *, upcoming: int = 0,
              history: tuple[OccurrenceRow, ...] = ()) -> ScheduleView:
        try:
            compiled = CompiledRule.parse(row.rule, tz=resolve_tz(row.tz), anchor=row.anchor)
        except InvalidInput as exc:  # saved by a Bureau that read rules differently
            return ScheduleView(row=row, words=f"(cannot be read: {exc.message})", next_run=None, last=last,
                                history=history)
        after = max(row.cursor, self.clock()) if row.paused else row.cursor
        next_run = compiled.next_after(after)
        more = tuple(compiled.upcoming(after, count=upcoming)) if upcoming else ()
        return ScheduleView(row=row, words=compiled.words, next_run=next_run, last=last, upcoming=more,
                            history=history)
