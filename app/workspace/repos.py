"""Linked repositories: add, list, change, remove; which one a task works in."""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import InvalidInput, NotFound
from app.store.db import Database, sql_ts, utcnow
from app.workspace.detect import detect_test_command
from app.workspace.git import inspect_repo
from app.workspace.store import Repository, repositories, task_repository

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
WORKSPACE_TEAMS = frozenset({"code", "devops"})
_UNSET = object()


@dataclass(frozen=True)
class Linked:
    repository: Repository
    detected: bool  # the test command was detected, not given: the founder should confirm it
    branch: str


class RepoService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, path: str | Path, *, name: str | None = None, test_command: str | None = None,
            test_timeout: float | None = None, memory_mb: int | None = None, prepare: bool = True) -> Linked:
        """Link the git repository at ``path``; without ``test_command`` one is detected.

        ``prepare``: also make Bureau's checkouts of it now (seconds for a big repository), so that
        the first task does not wait for them.
        """
        if not str(path).strip():
            raise InvalidInput("No folder given.", fix="Give the folder of a git repository: bureau repo add PATH "
                                                        "(`.` for the current one).")
        state = inspect_repo(Path(path).expanduser().resolve())
        name = (name or state.root.name).strip()
        if not _NAME.match(name):
            raise InvalidInput(f"{name!r} cannot name a repository.",
                               fix="Use letters, digits, dots, dashes and underscores (--name my-app).")
        detected = test_command is None
        command = detect_test_command(state.root) if detected else (test_command or "").strip() or None
        timeout = _timeout(test_timeout)
        memory = _memory(memory_mb)
        with self.db.raw_write() as conn:
            for other in repositories(conn, "name = ? OR path = ?", (name, str(state.root))):
                if other.path == str(state.root):
                    raise InvalidInput(f"{state.root} is already linked as {other.name}.",
                                       fix=f"Change it with `bureau repo set {other.name} ...`.")
                raise InvalidInput(f"A repository named {name} is already linked ({other.path}).",
                                   fix="Choose another name with --name.")
            cursor = conn.execute(
                "INSERT INTO repository (name, path, test_command, test_timeout, memory_mb, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)", (name, str(state.root), command, timeout, memory, sql_ts(utcnow())))
            repo = repositories(conn, "id = ?", (cursor.lastrowid,))[0]
        if prepare:  # the checkouts tasks will use, made now rather than on the first task's clock
            from app.workspace.worktree import prepare as prepare_checkouts

            prepare_checkouts(state.root, self.db.home / "workspaces" / name, base=state.head)
        return Linked(repository=repo, detected=detected, branch=state.branch)

    def list(self) -> list[Repository]:
        with self.db.raw_read() as conn:
            return repositories(conn)

    def get(self, name: str) -> Repository:
        with self.db.raw_read() as conn:
            return _find(conn, name)

    def update(self, name: str, *, test_command: object = _UNSET, test_timeout: float | None = None,
               memory_mb: int | None = None) -> Repository:
        """Change the test command (None or "" for none) or the limits of a linked repository."""
        with self.db.raw_write() as conn:
            repo = _find(conn, name)
            if test_command is not _UNSET:
                command = str(test_command).strip() if test_command else None
                conn.execute("UPDATE repository SET test_command = ? WHERE id = ?", (command or None, repo.id))
            if test_timeout is not None:
                conn.execute("UPDATE repository SET test_timeout = ? WHERE id = ?", (_timeout(test_timeout), repo.id))
            if memory_mb is not None:
                conn.execute("UPDATE repository SET memory_mb = ? WHERE id = ?", (_memory(memory_mb), repo.id))
            return repositories(conn, "id = ?", (repo.id,))[0]

    def remove(self, name: str) -> Repository:
        """Unlink a repository: Bureau's checkouts of it go; its files and the delivered diffs stay."""
        with self.db.raw_write() as conn:
            repo = _find(conn, name)
            conn.execute("DELETE FROM task_repository WHERE repository_id = ?", (repo.id,))
            conn.execute("DELETE FROM repository WHERE id = ?", (repo.id,))
        shutil.rmtree(self.db.home / "workspaces" / repo.name, ignore_errors=True)  # Bureau's mirror and checkouts
        return repo

    def use(self, task_id: int, name: str) -> Repository:
        """The founder picks the repository a task works in (before its workspace step starts)."""
        with self.db.raw_write() as conn:
            repo = _find(conn, name)
            if conn.execute("SELECT 1 FROM task WHERE id = ?", (task_id,)).fetchone() is None:
                from app.core.errors import task_not_found

                raise task_not_found(task_id)
            chosen = task_repository(conn, task_id)
            if chosen is not None and chosen.base_commit and chosen.repository_id != repo.id:
                raise InvalidInput(f"Task {task_id} already works in another repository.",
                                   fix="Submit a new task for this repository.")
            conn.execute("INSERT INTO task_repository (task_id, repository_id) VALUES (?, ?) "
                         "ON CONFLICT (task_id) DO UPDATE SET repository_id = excluded.repository_id",
                         (task_id, repo.id))
            return repo


def repository_for(conn: sqlite3.Connection, task_id: int, text: str) -> Repository | None:
    """The founder's pick; else the one linked repository named in the task; else the only one linked."""
    chosen = task_repository(conn, task_id)
    if chosen is not None:
        found = repositories(conn, "id = ?", (chosen.repository_id,))
        if found:
            return found[0]
    linked = repositories(conn)
    words = set(re.findall(r"[A-Za-z0-9._-]+", text.lower()))
    named = [r for r in linked if r.name.lower() in words]
    if len(named) == 1:
        return named[0]
    return linked[0] if len(linked) == 1 else None


def _find(conn: sqlite3.Connection, name: str) -> Repository:
    found = repositories(conn, "name = ?", (name,))
    if not found and name.isdigit():
        found = repositories(conn, "id = ?", (int(name),))
    if not found:
        raise NotFound(f"No linked repository is called {name}.", fix="See them with `bureau repo list`.")
    return found[0]


def _timeout(value: float | None) -> float:
    if value is None:
        return 300.0
    if not 1 <= value <= 86400:
        raise InvalidInput(f"A test time limit of {value} s is out of range.", fix="Use 1 to 86400 seconds.")
    return float(value)


def _memory(value: int | None) -> int:
    if value is None:
        return 4096
    if value != 0 and not 64 <= value <= 1_048_576:
        raise InvalidInput(f"A memory limit of {value} MB is out of range.", fix="Use 64 MB or more (0: no limit).")
    return int(value)
