"""The workspace's rows: linked repositories, the repository of a task, each workspace step's run."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from app.workspace.sandbox import CommandResult


@dataclass(frozen=True)
class Repository:
    id: int
    name: str
    path: str
    test_command: str | None
    test_timeout: float
    memory_mb: int
    created_at: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "path": self.path, "test_command": self.test_command,
                "test_timeout": self.test_timeout, "memory_mb": self.memory_mb, "created_at": self.created_at}


_REPO_COLUMNS = "id, name, path, test_command, test_timeout, memory_mb, created_at"


def repositories(conn: sqlite3.Connection, where: str = "", params: tuple[Any, ...] = ()) -> list[Repository]:
    sql = f"SELECT {_REPO_COLUMNS} FROM repository" + (f" WHERE {where}" if where else "") + " ORDER BY id"
    return [Repository(*row) for row in conn.execute(sql, params).fetchall()]


@dataclass(frozen=True)
class TaskRepository:
    task_id: int
    repository_id: int
    base_commit: str | None
    base_branch: str | None
    applied_commit: str | None
    applied_branch: str | None
    applied_at: str | None


def task_repository(conn: sqlite3.Connection, task_id: int) -> TaskRepository | None:
    row = conn.execute("SELECT task_id, repository_id, base_commit, base_branch, applied_commit, applied_branch, "
                       "applied_at FROM task_repository WHERE task_id = ?", (task_id,)).fetchone()
    return TaskRepository(*row) if row else None


@dataclass(frozen=True, kw_only=True)
class WorkspaceRun:
    """One workspace step: what the agent changed, the diff, and the project's tests before and after."""

    task_id: int
    step_key: str  # the journal key (s1.r0)
    repo_name: str
    branch: str
    base_commit: str
    paths: tuple[str, ...] = ()
    refused: str | None = None  # why the edits were not applied
    diff: str = ""
    files_changed: int = 0
    added: int = 0
    removed: int = 0
    tests_before: CommandResult | None = None
    tests_after: CommandResult | None = None
    problems: tuple[str, ...] = ()  # files that do not parse or lint (DevOps checks)
    timings: dict[str, float] = field(default_factory=dict)
    created_at: str = ""

    @property
    def ok(self) -> bool:
        """Edits applied, files valid, tests (if any) pass."""
        return (self.refused is None and not self.problems
                and (self.tests_after is None or self.tests_after.passed))

    def to_json(self, *, output: bool = True) -> dict[str, Any]:
        def tests(r: CommandResult | None) -> dict[str, Any] | None:
            if r is None:
                return None
            data = r.to_json()
            if not output:
                data.pop("output")
            return data
        return {"task_id": self.task_id, "step": self.step_key, "repository": self.repo_name, "branch": self.branch,
                "base_commit": self.base_commit, "paths": list(self.paths), "refused": self.refused,
                "files_changed": self.files_changed, "added": self.added, "removed": self.removed,
                "tests_before": tests(self.tests_before), "tests_after": tests(self.tests_after),
                "problems": list(self.problems), "ok": self.ok, "timings": self.timings, "diff": self.diff}


_RUN_COLUMNS = ("task_id, step_key, repo_name, branch, base_commit, paths, refused, diff, files_changed, added, "
                "removed, tests_before, tests_after, problems, timings, created_at")


def save_run(conn: sqlite3.Connection, run: WorkspaceRun) -> None:
    conn.execute(
        f"INSERT OR REPLACE INTO workspace_run ({_RUN_COLUMNS}) VALUES ({', '.join('?' * 16)})",
        (run.task_id, run.step_key, run.repo_name, run.branch, run.base_commit, json.dumps(list(run.paths)),
         run.refused, run.diff, run.files_changed, run.added, run.removed,
         json.dumps(run.tests_before.to_json()) if run.tests_before else None,
         json.dumps(run.tests_after.to_json()) if run.tests_after else None,
         json.dumps(list(run.problems)), json.dumps(run.timings), run.created_at))


def load_runs(conn: sqlite3.Connection, task_id: int) -> list[WorkspaceRun]:
    """The task's workspace runs, oldest first."""
    rows = conn.execute(f"SELECT {_RUN_COLUMNS} FROM workspace_run WHERE task_id = ? ORDER BY id",
                        (task_id,)).fetchall()
    return [_run(row) for row in rows]


def load_run(conn: sqlite3.Connection, task_id: int, step_key: str) -> WorkspaceRun | None:
    row = conn.execute(f"SELECT {_RUN_COLUMNS} FROM workspace_run WHERE task_id = ? AND step_key = ?",
                       (task_id, step_key)).fetchone()
    return _run(row) if row else None


def _run(row: tuple[Any, ...]) -> WorkspaceRun:
    (task_id, step_key, repo_name, branch, base, paths, refused, diff, files_changed, added, removed, before,
     after, problems, timings, created_at) = row
    return WorkspaceRun(task_id=task_id, step_key=step_key, repo_name=repo_name, branch=branch, base_commit=base,
                        paths=tuple(json.loads(paths)), refused=refused, diff=diff, files_changed=files_changed,
                        added=added, removed=removed,
                        tests_before=CommandResult.from_json(json.loads(before)) if before else None,
                        tests_after=CommandResult.from_json(json.loads(after)) if after else None,
                        problems=tuple(json.loads(problems)), timings=json.loads(timings), created_at=created_at)
