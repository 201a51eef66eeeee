"""A small real git repository for the workspace tests, and a fingerprint of what the founder owns.

The fingerprint covers the working tree (every file outside .git, with its mode), the index
(the founder's staging area), every ref and reflog, HEAD and the registered worktrees: what must
be byte-identical after Bureau worked in the repository (objects it wrote are not the founder's
and are left out).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

CORE = "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n"
TEST = ("from calc.core import add, mul\n\n\ndef test_add():\n    assert add(2, 3) == 5\n\n\n"
        "def test_mul():\n    assert mul(2, 3) == 6\n")
TEST_COMMAND = f"{sys.executable} -m pytest -q -p no:cacheprovider tests"


def run_git(repo: Path, *args: str) -> str:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(repo.parent), "GIT_AUTHOR_NAME": "Founder",
           "GIT_AUTHOR_EMAIL": "f@example.com", "GIT_COMMITTER_NAME": "Founder", "GIT_COMMITTER_EMAIL": "f@example.com",
           "LC_ALL": "C"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def make_repo(root: Path, *, dirty: bool = True) -> Path:
    """A Python package whose test fails (add subtracts), committed on main, with uncommitted changes."""
    repo = root / "founder-app"
    (repo / "calc").mkdir(parents=True)
    (repo / "tests").mkdir()
    (repo / "calc" / "__init__.py").write_text("")
    (repo / "calc" / "core.py").write_text(CORE)
    (repo / "tests" / "test_core.py").write_text(TEST)
    (repo / "README.md").write_text("# calc\n\nA tiny calculator.\n")
    (repo / ".gitignore").write_text("__pycache__/\n")
    run_git(repo, "init", "-q", "-b", "main")
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-q", "-m", "first")
    if dirty:
        (repo / "README.md").write_text("# calc\n\nA tiny calculator. (founder is editing this)\n")
        (repo / "notes.txt").write_text("untracked notes of the founder\n")
    return repo


def fingerprint(repo: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(repo.rglob("*")):
        rel = path.relative_to(repo)
        if rel.parts[0] == ".git" or path.is_dir() and not path.is_symlink():
            continue
        h.update(str(rel).encode())
        h.update(oct(path.lstat().st_mode).encode())
        h.update(os.readlink(path).encode() if path.is_symlink() else path.read_bytes())
    git_dir = repo / ".git"
    for name in ("HEAD", "index", "packed-refs", "config"):
        if (git_dir / name).exists():
            h.update(name.encode() + (git_dir / name).read_bytes())
    for folder in ("refs", "logs", "worktrees"):
        for path in sorted((git_dir / folder).rglob("*")):
            if path.is_file():
                h.update(str(path.relative_to(git_dir)).encode() + path.read_bytes())
    h.update(run_git(repo, "for-each-ref").encode())
    h.update(run_git(repo, "worktree", "list", "--porcelain").encode())
    return h.hexdigest()


def leftovers(home: Path, name: str) -> list[str]:
    """What a finished task left in Bureau's checkouts of ``name``: changed or extra files, branches."""
    folder = home / "workspaces" / name
    found: list[str] = []
    for slot in sorted(folder.glob("slot-*")):
        if slot.is_dir():
            found += [f"{slot.name}: {line}" for line in
                      run_git(slot, "status", "--porcelain", "--ignored", "--untracked-files=all").splitlines()]
    if (folder / "mirror.git").exists():
        found += run_git(folder / "mirror.git", "for-each-ref", "--format=%(refname)").split()
    return found
