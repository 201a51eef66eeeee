"""The delivery of a workspace task: its diff, the patch file, and applying it to the founder's branch.

Applying commits the diff on ``bureau/task-N`` (made from the task's base commit in a temporary
worktree) and brings it onto the founder's branch: a fast-forward when the branch has not moved,
else a merge computed in memory (``git merge-tree``) that is refused, with the files, when it
conflicts. A branch that is checked out is updated by ``git merge --ff-only`` in its own checkout,
which git refuses rather than overwrite uncommitted changes; any refusal leaves the founder's
refs as they were.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.core.errors import BureauError, InvalidInput, InvalidTransition, NotFound, task_not_found
from app.store.db import Database, sql_ts, utcnow
from app.workspace.git import BOT_EMAIL, BOT_NAME, GitError, branch_exists, checked_out_at, git, inspect_repo, \
    unfinished_operation
from app.workspace.store import WorkspaceRun, load_runs, repositories, task_repository
from app.workspace.worktree import Worktree, repo_lock, task_branch

APPLICABLE = frozenset({"delivered", "needs_decision", "done"})


@dataclass(frozen=True)
class Delivery:
    task_id: int
    title: str
    status: str
    runs: tuple[WorkspaceRun, ...]  # the newest run of each workspace step
    base_branch: str | None
    applied_commit: str | None
    applied_branch: str | None

    @property
    def diff(self) -> str:
        return "".join(r.diff for r in self.runs if r.refused is None)

    @property
    def newest(self) -> WorkspaceRun:
        return self.runs[-1]

    def to_json(self) -> dict[str, object]:
        return {"id": self.task_id, "title": self.title, "status": self.status, "base_branch": self.base_branch,
                "files_changed": sum(r.files_changed for r in self.runs), "added": sum(r.added for r in self.runs),
                "removed": sum(r.removed for r in self.runs), "applied_commit": self.applied_commit,
                "applied_branch": self.applied_branch, "runs": [r.to_json(output=False) for r in self.runs],
                "diff": self.diff}

    def patch(self) -> str:
        """The diff as a mail-style patch: `git am` takes it, and so do `git apply` and `patch -p1`."""
        date = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
        body = f"Bureau task {self.task_id}, from {self.newest.base_commit[:12]}."
        tests = self.newest.tests_after
        if tests is not None:
            body += f" Tests (`{tests.command}`): {tests.summary()}."
        return (f"From {self.newest.base_commit} Mon Sep 17 00:00:00 2001\nFrom: {BOT_NAME} <{BOT_EMAIL}>\n"
                f"Date: {date}\nSubject: [PATCH] {self.title}\n\n{body}\n---\n{self.diff}-- \nbureau\n")


@dataclass(frozen=True)
class Applied:
    task_id: int
    branch: str  # the founder's branch that now has the work
    commit: str  # the task's commit on bureau/task-N
    tip: str  # the branch's new tip (the commit itself, or a merge)
    fast_forward: bool
    task_branch: str

    def to_json(self) -> dict[str, object]:
        return {"id": self.task_id, "branch": self.branch, "commit": self.commit, "tip": self.tip,
                "fast_forward": self.fast_forward, "task_branch": self.task_branch}


class DeliveryService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def delivery(self, task_id: int) -> Delivery:
        with self.db.raw_read() as conn:
            return _delivery(conn, task_id)

    def export_patch(self, task_id: int, target: Path) -> Path:
        delivery = self.delivery(task_id)
        if not delivery.diff:
            raise InvalidInput(f"Task {task_id} changed no file; there is no patch.", fix="See `bureau diff "
                               f"{task_id}` for what happened.")
        try:
            target.write_text(delivery.patch(), encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"Could not write {target}: {exc.strerror or exc}.", fix="Choose another file.") from exc
        return target

    def apply(self, task_id: int, *, branch: str | None = None) -> Applied:
        with self.db.raw_read() as conn:
            delivery = _delivery(conn, task_id)
            repo = repositories(conn, "name = ?", (delivery.newest.repo_name,))
        if delivery.applied_commit:
            raise InvalidTransition(f"Task {task_id} was already applied to {delivery.applied_branch} "
                                    f"({delivery.applied_commit[:10]}).", fix="Nothing more to do.")
        if delivery.status not in APPLICABLE:
            raise InvalidTransition(f"Task {task_id} is {delivery.status}; only delivered work can be applied.",
                                    fix="Wait until it is delivered.")
        if not delivery.diff:
            raise InvalidInput(f"Task {task_id} changed no file; there is nothing to apply.",
                               fix=f"Request rework with a note: `bureau rework {task_id} --note ...`.")
        if not repo:
            raise NotFound(f"The repository {delivery.newest.repo_name} is no longer linked.",
                           fix=f"Link it again with `bureau repo add PATH --name {delivery.newest.repo_name}`, "
                               f"or export the patch with `bureau diff {task_id} --patch FILE`.")
        root = inspect_repo(Path(repo[0].path)).root
        target = branch or delivery.base_branch
        if not target or not branch_exists(root, target):
            raise InvalidInput(f"The repository has no branch {target!r}.", fix="Name one with --branch B.")
        with repo_lock(root):
            applied = _apply(root, delivery, target, home=self.db.home)
        with self.db.raw_write() as conn:
            conn.execute("UPDATE task_repository SET applied_commit = ?, applied_branch = ?, applied_at = ? "
                         "WHERE task_id = ?", (applied.tip, target, sql_ts(utcnow()), task_id))
        return applied


def _delivery(conn: sqlite3.Connection, task_id: int) -> Delivery:
    row = conn.execute("SELECT title, status FROM task WHERE id = ?", (task_id,)).fetchone()
    if row is None:
        raise task_not_found(task_id)
    newest: dict[str, WorkspaceRun] = {}
    for run in load_runs(conn, task_id):
        base, _, rnd = run.step_key.rpartition(".r")
        if base not in newest or int(rnd or 0) >= int(newest[base].step_key.rpartition(".r")[2] or 0):
            newest[base] = run
    if not newest:
        raise NotFound(f"Task {task_id} did not work in a repository.",
                       fix="Only code and DevOps tasks with a linked repository have a diff (`bureau repo list`).")
    chosen = task_repository(conn, task_id)
    return Delivery(task_id=task_id, title=row[0], status=row[1], runs=tuple(newest.values()),
                    base_branch=chosen.base_branch if chosen else None,
                    applied_commit=chosen.applied_commit if chosen else None,
                    applied_branch=chosen.applied_branch if chosen else None)


def _apply(root: Path, delivery: Delivery, target: str, *, home: Path) -> Applied:
    base = delivery.newest.base_commit
    name = task_branch(delivery.task_id)
    if branch_exists(root, name):
        raise InvalidInput(f"The repository already has a branch {name}.",
                           fix=f"Delete or rename it (`git branch -m {name} old-task-{delivery.task_id}`), then apply again.")
    # The commit is made in Bureau's own mirror (it sees the founder's objects); nothing reaches the
    # founder's repository until the merge is known to work, so a refusal leaves it as it was.
    tree = Worktree.create(root, home / "workspaces" / delivery.newest.repo_name, task_id=delivery.task_id,
                           base=base, branch=name)
    mirror = tree.mirror
    keep = f"refs/bureau/commit-{delivery.task_id}"
    try:
        done = git(tree.path, "apply", "--index", "--whitespace=nowarn", "-", input_text=delivery.diff, check=False)
        if done.returncode != 0:
            raise BureauError(f"Task {delivery.task_id}'s diff does not apply to its own base commit: "
                              f"{done.stderr.strip()[:300]}", fix="Request rework, or export the patch and apply it by hand.")
        git(tree.path, "commit", "--quiet", "--no-verify", "-m", f"{delivery.title}\n\nBureau task {delivery.task_id}.")
        commit = git(tree.path, "rev-parse", "HEAD").stdout.strip()
        git(mirror, "update-ref", keep, commit)
    finally:
        tree.cleanup()
    try:
        return _bring_onto(root, mirror, delivery.task_id, target, commit, base, name)
    finally:
        git(mirror, "update-ref", "-d", keep, check=False)


def _bring_onto(root: Path, mirror: Path, task_id: int, target: str, commit: str, base: str, name: str) -> Applied:
    tip = git(root, "rev-parse", f"refs/heads/{target}").stdout.strip()
    fast = git(mirror, "merge-base", "--is-ancestor", tip, commit, check=False).returncode == 0
    if fast:
        new_tip = commit
    else:
        merged = git(mirror, "merge-tree", "--write-tree", "--name-only", "--no-messages", tip, commit, check=False)
        lines = merged.stdout.splitlines()
        if merged.returncode == 1:
            files = ", ".join(lines[1:8]) or "unknown files"
            raise InvalidTransition(
                f"Task {task_id}'s patch conflicts with what changed on {target} since the task started "
                f"(at {base[:10]}): {files}.",
                fix=f"Request rework so the team works from the new {target} (`bureau rework {task_id} --note ...`), "
                    f"or export the patch (`bureau diff {task_id} --patch FILE`) and merge it by hand.")
        if merged.returncode != 0 or not lines:
            raise GitError(f"git could not merge task {task_id} into {target}: {merged.stderr.strip()[:300]}",
                           fix="Export the patch with `bureau diff ID --patch FILE` and apply it by hand.")
        new_tip = git(mirror, "commit-tree", lines[0], "-p", tip, "-p", commit, "-m",
                      f"Merge {name} into {target}").stdout.strip()
    transfer = f"refs/bureau/tip-{task_id}"
    git(mirror, "update-ref", transfer, new_tip)
    try:  # the new objects into the founder's repository (objects only: no ref, no FETCH_HEAD)
        git(root, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", str(mirror), transfer)
    finally:
        git(mirror, "update-ref", "-d", transfer, check=False)
    checkout = checked_out_at(root, target)
    if checkout is None:
        git(root, "update-ref", "-m", f"bureau: apply task {task_id}", f"refs/heads/{target}", new_tip, tip)
    else:
        pending = unfinished_operation(checkout)
        if pending:
            raise InvalidInput(f"{checkout} is in the middle of a {pending}.", fix=f"Finish or abort the {pending} first.")
        done = git(checkout, "merge", "--ff-only", "--no-edit", "--quiet", new_tip, check=False)
        if done.returncode != 0:
            raise InvalidTransition(f"{target} is checked out in {checkout} and git would not update it: "
                                    f"{(done.stderr or done.stdout).strip()[:400]}",
                                    fix="Commit or stash your changes there, then apply again.")
    git(root, "branch", name, commit)  # the task's own branch, for the record
    return Applied(task_id=task_id, branch=target, commit=commit, tip=new_tip, fast_forward=fast, task_branch=name)
