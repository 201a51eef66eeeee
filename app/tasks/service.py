"""Task services: everything the founder can do, shared by the GUI, the CLI and the relay."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from agents.ceo import single_plan
from app.core.errors import InvalidInput, InvalidTransition
from app.store.journal import add_decision, emit, get_task, plan_payload, set_status
from app.store.snapshot import TaskSnapshot, load_snapshot
from app.core.status import Status
from app.store.db import Database, utcnow
from app.store.tables import Artifact, Decision, Event, RoutingCorrection, Step, Task
from app.tasks.transitions import transition
from app.core.validation import check_team, clean_task_text, make_title, parse_due, parse_priority

MAX_IMPORT_ROWS = 10_000


@dataclass(frozen=True, kw_only=True)
class NewTask:
    text: str
    title: str | None = None
    priority: str | None = None
    due: str | date | None = None
    team: str | None = None
    sensitive: bool = False
    source: str = "cli"
    budget: dict[str, float] | None = None  # overrides: rounds, steps, tokens, minutes


BUDGET_KEYS = ("rounds", "steps", "tokens", "minutes")


@dataclass(frozen=True)
class TaskDetail:
    task: Task
    decisions: tuple[Decision, ...]
    steps: tuple[Step, ...]
    artifacts: tuple[Artifact, ...]
    events: tuple[Event, ...]


class TaskService:
    """Intake, queries and the founder's actions on tasks."""

    def __init__(self, db: Database, *, teams: Callable[[], Sequence[str]]) -> None:
        self.db = db
        self._teams = teams

    @property
    def teams(self) -> tuple[str, ...]:
        """The team names tasks can go to (built-in and the founder's)."""
        return tuple(self._teams())

    # -- intake -------------------------------------------------------------------
    def submit(self, new: NewTask) -> Task:
        task = self._validated(new)
        with self.db.write() as s:
            s.add(task)
            s.flush()
            emit(self.db, s, task, "created", source=new.source)
        return task

    def prepare(self, new: NewTask) -> Task:
        """The validated task, not saved; raises ``InvalidInput`` when ``new`` could not be submitted."""
        return self._validated(new)

    def import_file(self, path: Path) -> list[Task]:
        """Create many tasks from JSON Lines or CSV; all or nothing, errors name the line."""
        rows = _read_rows(path)
        tasks: list[Task] = []
        for line_no, row in rows:
            try:
                tasks.append(self._validated(NewTask(
                    text=str(row.get("text") or ""), title=row.get("title") or None,
                    priority=row.get("priority") or None, due=row.get("due") or None,
                    team=row.get("team") or None, source="import")))
            except InvalidInput as exc:
                raise InvalidInput(f"{path.name} line {line_no}: {exc.message}", fix=exc.fix) from None
        with self.db.write() as s:
            for task in tasks:
                s.add(task)
                s.flush()
                emit(self.db, s, task, "created", source="import")
        return tasks

    def _validated(self, new: NewTask) -> Task:
        text = clean_task_text(new.text)
        due = new.due if isinstance(new.due, date) else parse_due(new.due)
        now = utcnow()
        budget = dict(new.budget or {})
        for key, value in budget.items():
            if key not in BUDGET_KEYS or not isinstance(value, int | float) or value < 0:
                raise InvalidInput(f"Bad budget {key}={value!r}.", fix=f"Budgets are numbers for: {', '.join(BUDGET_KEYS)}.")
        return Task(
            budget=json.dumps(budget),
            title=make_title(text, new.title), text=text, priority=parse_priority(new.priority).value,
            due=due, requested_team=check_team(new.team, self.teams), sensitive=new.sensitive,
            source=new.source, created_at=now, updated_at=now,
        )

    # -- queries ------------------------------------------------------------------
    def list_tasks(self, *, status: str | None = None, team: str | None = None) -> list[Task]:
        if status is not None and status not in {s.value for s in Status}:
            raise InvalidInput(f"Unknown status {status!r}.", fix=f"Use one of: {', '.join(s.value for s in Status)}.")
        team = check_team(team, self.teams)
        with self.db.read() as s:
            query = select(Task).order_by(col(Task.id))
            if status is not None:
                query = query.where(Task.status == status)
            if team is not None:
                query = query.where(Task.team == team)
            return list(s.exec(query))

    def detail(self, task_id: int) -> TaskDetail:
        with self.db.read() as s:
            task = get_task(s, task_id)
            return TaskDetail(
                task=task,
                decisions=tuple(s.exec(select(Decision).where(Decision.task_id == task_id).order_by(col(Decision.id)))),
                steps=tuple(s.exec(select(Step).where(Step.task_id == task_id).order_by(col(Step.id)))),
                artifacts=tuple(s.exec(select(Artifact).where(Artifact.task_id == task_id).order_by(col(Artifact.id)))),
                events=tuple(s.exec(select(Event).where(Event.task_id == task_id).order_by(col(Event.id)))),
            )

    def counts(self) -> dict[str, int]:
        with self.db.read() as s:
            rows = s.connection().exec_driver_sql("SELECT status, COUNT(*) FROM task GROUP BY status").all()
        return {str(status): int(n) for status, n in rows}

    # -- the founder's actions ----------------------------------------------------
    def act(self, action: str, task_id: int, *, team: str | None = None, note: str | None = None) -> Task:
        """Run the founder's ``action`` (a name in ``TRANSITIONS``) on a task."""
        match transition(action).name:
            case "approve":
                return self.approve(task_id)
            case "reassign":
                if not team:
                    raise InvalidInput("Reassigning needs a team.", fix=f"Use one of: {', '.join(self.teams)}.")
                return self.reassign(task_id, team, note=note)
            case "rework":
                return self.rework(task_id, note=note or "")
            case "accept":
                return self.accept(task_id)
            case "cancel":
                return self.cancel(task_id)
            case "retry":
                return self.retry(task_id)

    def approve(self, task_id: int) -> Task:
        """Let a waiting decision proceed: the CEO's routing, or work the CEO would not pass."""
        with self.db.write() as s:
            task = self._expect(s, task_id, "approve")
            budget = json.loads(task.budget or "{}")
            if "stopped" in budget:  # a budget stopped it: continue with twice that budget
                limit = budget.pop("stopped")
                budget[limit] = float(budget[limit]) * 2
                task.budget = json.dumps(budget)
                add_decision(self.db, s, task, "founder", rationale=f"Approved: the {limit} budget is doubled to "
                             f"{budget[limit]:,.0f}.", payload={"action": "approve", "budget": budget})
                set_status(self.db, s, task, Status.QUEUED)
                return task
            delivered = _snapshot(s, task.id).has_delivered_work
            add_decision(self.db, s, task, "founder", team=task.team, rationale="Approved by the founder.",
                         payload={"action": "approve"})
            if delivered:
                set_status(self.db, s, task, Status.DELIVERED)
            elif _snapshot(s, task.id).plan is None:
                set_status(self.db, s, task, Status.INBOX)
            else:
                set_status(self.db, s, task, Status.QUEUED)
            return task

    def reassign(self, task_id: int, team: str, *, note: str | None = None) -> Task:
        """Give the task to ``team``; the correction teaches the router."""
        team_name = check_team(team, self.teams)
        assert team_name is not None
        with self.db.write() as s:
            task = self._expect(s, task_id, "reassign")
            new_round = task.round + 1 if _snapshot(s, task.id).has_delivered_work or task.round > 0 else 0
            plan = single_plan(team_name, task.text)
            payload = {"action": "reassign", "note": note, "from_team": task.team, **plan_payload(plan),
                       "starts_round": new_round, "redo": [st.key for st in plan.steps]}
            add_decision(self.db, s, task, "founder", team=team_name, confidence=1.0,
                         rationale=f"Reassigned by the founder from {task.team or 'no team'} to {team_name}."
                         + (f" Note: {note}" if note else ""), payload=payload)
            if task.team != team_name:
                s.add(RoutingCorrection(text=task.text, team=team_name, source="correction",
                                        task_id=task.id, created_at=utcnow()))
            task.team = team_name
            task.round = new_round
            set_status(self.db, s, task, Status.QUEUED)
            return task

    def rework(self, task_id: int, *, note: str) -> Task:
        if not note or not note.strip():
            raise InvalidInput("A rework request needs a note.", fix="Say what to change with --note.")
        with self.db.write() as s:
            task = self._expect(s, task_id, "rework")
            plan = _snapshot(s, task.id).plan
            if plan is None or not _snapshot(s, task.id).has_delivered_work:
                raise InvalidTransition(f"Task {task_id} has no work to rework yet.", fix="Approve or reassign it first.")
            task.round += 1
            add_decision(self.db, s, task, "founder", rationale=f"Rework requested by the founder: {note.strip()}",
                         payload={"action": "rework", "note": note.strip(), "starts_round": task.round,
                                  "redo": [st.key for st in plan.steps]})
            set_status(self.db, s, task, Status.REWORK)
            return task

    def accept(self, task_id: int) -> Task:
        with self.db.write() as s:
            task = self._expect(s, task_id, "accept")
            if not _snapshot(s, task.id).has_delivered_work:
                raise InvalidTransition(f"Task {task_id} has nothing delivered to accept yet.",
                                        fix="Approve it so the team can work on it first.")
            add_decision(self.db, s, task, "founder", rationale="Accepted by the founder.", payload={"action": "accept"})
            set_status(self.db, s, task, Status.DONE)
            return task

    def cancel(self, task_id: int) -> Task:
        with self.db.write() as s:
            task = self._expect(s, task_id, "cancel")
            add_decision(self.db, s, task, "founder", rationale="Cancelled by the founder.", payload={"action": "cancel"})
            set_status(self.db, s, task, Status.CANCELLED, reason="Cancelled by the founder.")
            return task

    def retry(self, task_id: int) -> Task:
        """Run a failed or cancelled task again from where it stopped (finished steps are kept)."""
        with self.db.write() as s:
            task = self._expect(s, task_id, "retry")
            for step in s.exec(select(Step).where(Step.task_id == task_id, col(Step.status).in_(("failed", "running")))):
                step.status = "pending"
                step.attempts = 0
                s.add(step)
            task.recoveries = 0
            add_decision(self.db, s, task, "founder", rationale="Retried by the founder.", payload={"action": "retry"})
            set_status(self.db, s, task, Status.QUEUED if _snapshot(s, task.id).plan else Status.INBOX)
            return task

    def corrections(self) -> list[RoutingCorrection]:
        with self.db.read() as s:
            return list(s.exec(select(RoutingCorrection).order_by(col(RoutingCorrection.id))))

    def _expect(self, s: Session, task_id: int, action: str) -> Task:
        task = get_task(s, task_id)
        rule = transition(action)
        if not rule.allows(task.status):
            raise InvalidTransition(
                f"Task {task_id} is {Status(task.status).label}; it cannot be {rule.past} now.",
                fix=f"`{action}` works on tasks that are: {', '.join(sorted(st.label for st in rule.allowed))}.",
            )
        return task


def _snapshot(s: Session, task_id: int) -> TaskSnapshot:
    return load_snapshot(s.connection().connection.dbapi_connection, task_id)  # type: ignore[arg-type]


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise InvalidInput(f"There is no file {path}.", fix="Check the path.")
    try:
        content = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name} is not UTF-8 text.", fix="Save it as UTF-8 (CSV or JSON Lines).") from None
    rows: list[tuple[int, dict[str, str]]] = []
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(content.splitlines())
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise InvalidInput(f"{path.name} has no `text` column.", fix="Add a header row with a `text` column.")
        rows = [(i + 2, dict(r)) for i, r in enumerate(reader)]
    else:
        for i, line in enumerate(content.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"{path.name} line {i} is not JSON: {exc.msg}.",
                                   fix="Write one JSON object per line with a `text` field, or use CSV.") from None
            if not isinstance(data, dict):
                raise InvalidInput(f"{path.name} line {i} is not a JSON object.", fix='Write {"text": "..."} per line.')
            rows.append((i, data))
    if not rows:
        raise InvalidInput(f"{path.name} holds no tasks.", fix="Add one task per line.")
    if len(rows) > MAX_IMPORT_ROWS:
        raise InvalidInput(f"{path.name} holds {len(rows)} tasks; the limit is {MAX_IMPORT_ROWS}.", fix="Split the file.")
    return rows
