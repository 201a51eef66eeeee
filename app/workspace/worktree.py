"""A private git worktree per task, on branch ``bureau/task-N``, in Bureau's data folder.

The founder's repository is only read. Bureau keeps a bare repository of its own per linked
repository (``workspaces/<name>/mirror.git``) that borrows the founder's objects through git's
alternates, so it needs no copy and sees every commit of theirs at once. A task's worktree is a
worktree of that mirror, checked out at the task's base commit on the mirror's branch
``bureau/task-N``: the founder's refs, index, worktree list and files stay byte-identical until
they apply the work. Git runs without hooks and without optional index writes.

Writing thousands of files dominates the making of a fresh checkout, so checkouts are slots
that are reused: a task takes a free slot (a file lock, so several engine processes can share
the data folder), checks out its base there (git rewrites only the files that differ) and, when
the step ends, the slot is reset and cleaned (`git reset --hard`, `git clean -ffdx`) and its
branch deleted; a slot that cannot be cleaned is removed.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from agents.edits import Edit, EditApplyError, EditFormatError, apply_to_text, check_path
from app.core.errors import BureauError
from app.workspace.git import GitError, git

_LOCKS: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)  # git admin work, one per mirror
MAX_EDIT_BYTES = 2_000_000
MAX_SLOTS = 8


def task_branch(task_id: int) -> str:
    return f"bureau/task-{task_id}"


def repo_lock(root: Path) -> threading.Lock:
    return _LOCKS[str(root)]


def mirror_for(repo_root: Path, folder: Path) -> Path:
    """Bureau's bare repository for ``repo_root`` (made on first use), borrowing its objects."""
    mirror = folder / "mirror.git"
    common = Path(git(repo_root, "rev-parse", "--git-common-dir").stdout.strip())
    objects = (common if common.is_absolute() else repo_root / common).resolve() / "objects"
    alternates = mirror / "objects" / "info" / "alternates"
    with repo_lock(mirror):
        if not (mirror / "HEAD").exists():
            folder.mkdir(parents=True, exist_ok=True)
            git(folder, "init", "--quiet", "--bare", str(mirror))
        if not alternates.exists() or alternates.read_text().strip() != str(objects):
            alternates.parent.mkdir(parents=True, exist_ok=True)
            alternates.write_text(f"{objects}\n")
    return mirror


@dataclass(frozen=True)
class DiffStat:
    diff: str
    files_changed: int
    added: int
    removed: int


class Worktree:
    """A checkout of ``base`` at ``path``; use as a context manager so that it is always cleaned."""

    def __init__(self, mirror: Path, path: Path, branch: str | None, base: str, lock: FileLock) -> None:
        self.mirror = mirror
        self.path = path
        self.branch = branch or "(detached)"
        self._branch = branch
        self.base = base
        self._lock = lock

    @classmethod
    def create(cls, repo_root: Path, folder: Path, *, task_id: int, base: str, branch: str | None = None,
               detach: bool = False) -> Worktree:
        """A free slot checked out at ``base`` on ``branch`` (default ``bureau/task-N``; none if ``detach``)."""
        mirror = mirror_for(repo_root, folder)
        wanted = None if detach else branch or task_branch(task_id)
        for n in range(MAX_SLOTS):
            lock = FileLock(str(folder / f"slot-{n}.lock"))
            try:
                lock.acquire(timeout=0)
            except Timeout:
                continue
            try:
                path = folder / f"slot-{n}"
                used = _checkout(mirror, path, base, wanted)
                return cls(mirror, path, used, base, lock)
            except BaseException:
                lock.release()
                raise
        raise BureauError(f"{MAX_SLOTS} tasks already work in this repository at once.",
                          fix="Wait for one of them to finish; the task is retried.")

    def __enter__(self) -> Worktree:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cleanup()

    def cleanup(self) -> None:
        """Reset and clean the slot for the next task; remove it if that fails. Always frees it."""
        try:
            with repo_lock(self.mirror):
                try:
                    git(self.path, "checkout", "--quiet", "--force", "--detach")
                    git(self.path, "reset", "--quiet", "--hard")
                    git(self.path, "clean", "-ffdxq")
                except GitError:
                    _remove(self.mirror, self.path)
                if self._branch:
                    git(self.mirror, "branch", "-D", self._branch, check=False)
        finally:
            self._lock.release()

    def keep_branch(self) -> None:
        """Keep the branch after cleanup (a commit to apply lives on it)."""
        self._branch = None

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


def _checkout(mirror: Path, path: Path, base: str, branch: str | None) -> str | None:
    """Check ``base`` out in the slot at ``path`` on ``branch`` (detached if another slot has it)."""
    with repo_lock(mirror):
        if (path / ".git").exists():
            try:
                _switch(path, base, branch)
                git(path, "clean", "-ffdxq")
                return branch if branch and _on_branch(path, branch) else None
            except GitError:
                _remove(mirror, path)  # a broken slot: make it anew
        elif path.exists():
            shutil.rmtree(path, ignore_errors=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        # --force: a registration left by a crash for this very path is replaced.
        git(mirror, "worktree", "add", "--quiet", "--force", "--detach", str(path), base)
        _switch(path, base, branch)
        return branch if branch and _on_branch(path, branch) else None


def _switch(path: Path, base: str, branch: str | None) -> None:
    done = git(path, "checkout", "--quiet", "--force", "-B", branch, base, check=False) if branch else None
    if done is None or done.returncode != 0:  # the branch is checked out in another slot (two steps of one task at once)
        git(path, "checkout", "--quiet", "--force", "--detach", base)


def _on_branch(path: Path, branch: str) -> bool:
    return git(path, "symbolic-ref", "-q", "--short", "HEAD", check=False).stdout.strip() == branch


def _remove(mirror: Path, path: Path) -> None:
    try:
        git(mirror, "worktree", "remove", "--force", "--force", str(path), check=False)
    finally:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)


def prepare(repo_root: Path, folder: Path, *, base: str, slots: int = 2) -> None:
    """Make the mirror and ``slots`` checkouts at ``base`` ahead of the first task (when a repository is linked)."""
    made = [Worktree.create(repo_root, folder, task_id=0, base=base, detach=True) for _ in range(slots)]
    for tree in made:
        tree.cleanup()
