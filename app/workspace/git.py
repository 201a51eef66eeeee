"""Git, always as a subprocess, never with the founder's hooks, never refreshing their index."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import BureauError, InvalidInput

# Options for every call: no hooks of the repository run, no optional index writes in the
# founder's checkout (`git status` would otherwise refresh .git/index), no pager, no prompts.
_SAFE = ("-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "commit.gpgsign=false",
         "-c", "core.autocrlf=false", "-c", "advice.detachedHead=false", "-c", "gc.auto=0")
BOT_NAME = "Bureau"
BOT_EMAIL = "bureau@localhost"


class GitError(BureauError):
    """A git command failed."""


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")}
    env.update({"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C",
                "GIT_AUTHOR_NAME": BOT_NAME, "GIT_AUTHOR_EMAIL": BOT_EMAIL, "GIT_COMMITTER_NAME": BOT_NAME,
                "GIT_COMMITTER_EMAIL": BOT_EMAIL})
    return env


def git(cwd: Path, *args: str, check: bool = True, input_text: str | None = None,
        timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(["git", *_SAFE, *args], cwd=cwd, env=git_env(), capture_output=True, text=True,
                              input=input_text, timeout=timeout, errors="replace",
                              stdin=None if input_text is not None else subprocess.DEVNULL)
    except FileNotFoundError as exc:
        raise GitError("Git is not installed (the `git` command was not found).",
                       fix="Install git and make sure it is on PATH.") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"`git {' '.join(args[:2])}` did not finish within {timeout:.0f} s in {cwd}.",
                       fix="Check the repository (a very large checkout, or a lock held by another program).") from exc
    if check and done.returncode != 0:
        raise GitError(f"`git {' '.join(args[:3])}` failed in {cwd}: {(done.stderr or done.stdout).strip()[:500]}",
                       fix="Check the repository with `git status`.")
    return done


@dataclass(frozen=True)
class RepoState:
    root: Path  # the top folder of the working tree
    branch: str  # the checked-out branch (short name)
    head: str  # its commit


def inspect_repo(path: Path) -> RepoState:
    """The repository at ``path`` if Bureau can work from it; otherwise ``InvalidInput`` naming the fix."""
    if not path.exists():
        raise InvalidInput(f"{path} does not exist.", fix="Give the folder of a git repository.")
    if not path.is_dir():
        raise InvalidInput(f"{path} is a file, not a folder.", fix="Give the folder of a git repository.")
    top = git(path, "rev-parse", "--show-toplevel", check=False)
    if top.returncode != 0:
        bare = git(path, "rev-parse", "--is-bare-repository", check=False)
        if bare.returncode == 0 and bare.stdout.strip() == "true":
            raise InvalidInput(f"{path} is a bare repository (no working tree).",
                               fix="Link a clone with a working tree instead.")
        raise InvalidInput(f"{path} is not a git repository.",
                           fix="Give the folder of a git repository (run `git init` there first if it is new).")
    root = Path(top.stdout.strip())
    head = git(root, "rev-parse", "--verify", "-q", "HEAD^{commit}", check=False)
    if head.returncode != 0:
        raise InvalidInput(f"The repository {root} has no commit yet.", fix="Make a first commit, then try again.")
    branch = git(root, "symbolic-ref", "-q", "--short", "HEAD", check=False)
    if branch.returncode != 0:
        raise InvalidInput(f"The repository {root} has a detached HEAD (no branch is checked out).",
                           fix="Check out a branch there (`git switch main`), then try again.")
    unfinished = unfinished_operation(root)
    if unfinished:
        raise InvalidInput(f"The repository {root} is in the middle of a {unfinished}.",
                           fix=f"Finish or abort the {unfinished} there (`git status` says how), then try again.")
    return RepoState(root=root, branch=branch.stdout.strip(), head=head.stdout.strip())


def unfinished_operation(root: Path) -> str | None:
    """A merge, rebase, cherry-pick, revert or bisect left unfinished in the founder's checkout."""
    marks = (("MERGE_HEAD", "merge"), ("rebase-merge", "rebase"), ("rebase-apply", "rebase or `git am`"),
             ("CHERRY_PICK_HEAD", "cherry-pick"), ("REVERT_HEAD", "revert"), ("BISECT_LOG", "bisect"))
    args = [a for m, _ in marks for a in ("--git-path", m)]
    paths = git(root, "rev-parse", *args).stdout.splitlines()
    for (mark, name), rel in zip(marks, paths, strict=False):
        target = Path(rel) if Path(rel).is_absolute() else root / rel
        if target.exists():
            return name
    return None


def branch_exists(root: Path, branch: str) -> bool:
    return git(root, "rev-parse", "--verify", "-q", f"refs/heads/{branch}", check=False).returncode == 0


def checked_out_at(root: Path, branch: str) -> Path | None:
    """The working tree where ``branch`` is checked out, if any."""
    current: Path | None = None
    for line in git(root, "worktree", "list", "--porcelain").stdout.splitlines():
        if line.startswith("worktree "):
            current = Path(line[9:])
        elif line == f"branch refs/heads/{branch}":
            return current
    return None
