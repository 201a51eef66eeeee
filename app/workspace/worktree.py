"""A private git worktree per task under the data folder, for the work that becomes ``bureau/task-N``.

The founder's checkout is never touched: the worktree is a separate folder checked out at the
task's base commit (detached: the branch ``bureau/task-N`` is created only when the founder
applies the work, so their refs stay byte-identical until then), git runs without hooks and
without optional index writes, and the worktree is removed when the step ends (the diff is kept
in the store).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from agents.edits import Edit, EditApplyError, EditFormatError, apply_to_text, check_path
from app.workspace.git import git

_LOCKS: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)  # git admin work, one per repository
MAX_EDIT_BYTES = 2_000_000


def task_branch(task_id: int) -> str:
    return f"bureau/task-{task_id}"


def repo_lock(root: Path) -> threading.Lock:
    return _LOCKS[str(root)]


@dataclass(frozen=True)
class DiffStat:
    diff: str
    files_changed: int
    added: int
    removed: int


class Worktree:
    """A checkout of ``base`` at ``path``; use as a context manager so that it is always removed."""

    def __init__(self, repo_root: Path, path: Path, branch: str, base: str) -> None:
        self.repo_root = repo_root
        self.path = path
        self.branch = branch
        self.base = base

    @classmethod
    def create(cls, repo_root: Path, folder: Path, *, task_id: int, base: str) -> Worktree:
        path = folder / f"task-{task_id}"
        with repo_lock(repo_root):
            if path.exists():  # left by a crash
                _remove(repo_root, path)
            path.parent.mkdir(parents=True, exist_ok=True)
            # --force: a registration left by a crash for this very path is replaced (never `worktree prune`,
            # which would drop the founder's own worktrees on an unplugged disk).
            git(repo_root, "worktree", "add", "--quiet", "--force", "--detach", str(path), base)
        return cls(repo_root, path, task_branch(task_id), base)

    def __enter__(self) -> Worktree:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()

    def cleanup(self) -> None:
        with repo_lock(self.repo_root):
            _remove(self.repo_root, self.path)

    # -- the agent's edits ----------------------------------------------------------------
    def apply(self, edits: tuple[Edit, ...]) -> tuple[str, ...]:
        """Apply all edits or none; ``EditApplyError``/``EditFormatError`` says which one does not fit."""
        root = self.path.resolve()
        by_path: dict[str, list[Edit]] = {}
        for edit in edits:
            by_path.setdefault(check_path(edit.path), []).append(edit)
        new: dict[Path, str] = {}
        for rel, group in by_path.items():
            target = self._inside(root, rel)
            original = None
            if target.exists():
                if not target.is_file():
                    raise EditApplyError(f"{rel} is a folder, not a file.")
                data = target.read_bytes()
                if b"\x00" in data[:8192]:
                    raise EditApplyError(f"{rel} is a binary file; it cannot be edited as text.")
                original = data.decode("utf-8", errors="surrogateescape")
            content = apply_to_text(original, group, path=rel)
            if len(content.encode("utf-8", errors="surrogateescape")) > MAX_EDIT_BYTES:
                raise EditApplyError(f"{rel} would be larger than {MAX_EDIT_BYTES // 1_000_000} MB.")
            new[target] = content
        for target, content in new.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            mode = target.stat().st_mode if target.exists() else None
            tmp = target.with_name(f".{target.name}.bureau-tmp")
            tmp.write_bytes(content.encode("utf-8", errors="surrogateescape"))
            if mode is not None:
                os.chmod(tmp, mode)
            os.replace(tmp, target)
        return tuple(by_path)

    def _inside(self, root: Path, rel: str) -> Path:
        """``rel`` under the worktree, refusing a symlink (of the file or a folder on the way) that leads out."""
        target = root / rel
        current = root
        for part in Path(rel).parts:
            current = current / part
            if current.is_symlink():
                resolved = current.resolve()
                if not resolved.is_relative_to(root):
                    raise EditFormatError(f"The path {rel} goes through a symbolic link that leads outside "
                                          f"the repository ({current.relative_to(root)} -> {os.readlink(current)}).")
                if resolved.is_relative_to(root / ".git"):
                    raise EditFormatError(f"The path {rel} leads into .git through a symbolic link.")
        if not target.resolve().is_relative_to(root):
            raise EditFormatError(f"The path {rel} leads outside the repository.")
        return target

    # -- what changed -------------------------------------------------------------------
    def diff(self, paths: tuple[str, ...]) -> DiffStat:
        """The diff of ``paths`` against the base (only what the agent edited: test byproducts stay out)."""
        if not paths:
            return DiffStat("", 0, 0, 0)
        git(self.path, "add", "-A", "--", *paths)
        diff = git(self.path, "diff", "--cached", "--no-color", "--no-ext-diff", "--binary", self.base).stdout
        added = removed = files = 0
        for line in git(self.path, "diff", "--cached", "--numstat", self.base).stdout.splitlines():
            a, r, _ = line.split("\t", 2)
            files += 1
            added += int(a) if a.isdigit() else 0
            removed += int(r) if r.isdigit() else 0
        return DiffStat(diff, files, added, removed)

    def list_files(self) -> list[str]:
        return [p for p in git(self.path, "ls-files", "-z").stdout.split("\0") if p]

    def grep_counts(self, words: list[str]) -> dict[str, int]:
        """Lines per file that contain any of ``words`` (whole words, any case)."""
        if not words:
            return {}
        args = ["grep", "-I", "-i", "-w", "-F", "-c", "-z", "--no-color"]
        for w in words:
            args += ["-e", w]
        done = git(self.path, *args, check=False)
        counts: dict[str, int] = {}
        for line in done.stdout.splitlines():
            path, _, n = line.partition("\0")
            if n.strip().isdigit():
                counts[path] = int(n)
        return counts

    def read(self, rel: str, *, limit: int = 200_000) -> str | None:
        target = self.path / rel
        try:
            if target.is_symlink() or not target.is_file() or target.stat().st_size > limit:
                return None
            data = target.read_bytes()
        except OSError:
            return None
        if b"\x00" in data[:8192]:
            return None
        return data.decode("utf-8", errors="replace")


def _remove(repo_root: Path, path: Path) -> None:
    try:
        git(repo_root, "worktree", "remove", "--force", "--force", str(path), check=False)
    finally:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)
