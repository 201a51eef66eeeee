"""`bureau repo add|list|set|remove|use`, `bureau diff ID`, `bureau apply ID`: work in the founder's repositories."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import Handler, add_command, out

if TYPE_CHECKING:
    from app.company import Company
    from app.workspace.store import Repository


def register(sub: Any) -> dict[str, Handler]:
    top = add_command(sub, "repo", "Linked git repositories: code and DevOps tasks work in a private worktree of "
                      "one, run its tests and deliver a diff.")
    family = top.add_subparsers(dest="repo_command", metavar="ACTION", required=True)
    p = add_command(family, "add", "Link the git repository at PATH (its test command is detected; confirm or "
                    "change it with --test-command).")
    p.add_argument("path")
    p.add_argument("--name", help="how tasks and commands refer to it (default: the folder's name)")
    _limits(p)
    add_command(family, "list", "List the linked repositories and their test commands.")
    p = add_command(family, "set", "Change a linked repository's test command or limits.")
    p.add_argument("name")
    _limits(p)
    p.add_argument("--no-tests", action="store_true", help="run no test command")
    add_command(family, "remove", "Unlink a repository (its files are not touched).").add_argument("name")
    p = add_command(family, "use", "Make a task work in this repository (when several are linked).")
    p.add_argument("id", type=int)
    p.add_argument("name")
    p = add_command(sub, "diff", "Show the diff a code or DevOps task delivered, with its test results.")
    p.add_argument("id", type=int)
    p.add_argument("--patch", metavar="FILE", help="also write it as a .patch file (`git am` or `git apply` it)")
    p.add_argument("--stat", action="store_true", help="only the summary, not the diff")
    p = add_command(sub, "apply", "Commit a task's diff on bureau/task-N and bring it onto your branch "
                    "(refused when that branch changed in a conflicting way); accepts the task.")
    p.add_argument("id", type=int)
    p.add_argument("--branch", metavar="B", help="the branch to bring it onto (default: the one the task started from)")
    return {"repo": cmd_repo, "diff": cmd_diff, "apply": cmd_apply}


def _limits(p: argparse.ArgumentParser) -> None:
    p.add_argument("--test-command", metavar="CMD", help="how to run the project's tests, e.g. 'python -m pytest -q'")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="time limit of a test run (default 300)")
    p.add_argument("--memory-mb", type=int, metavar="MB", help="memory limit of a test run (default 4096; 0: none)")


def _line(r: Repository) -> str:
    return f"{r.name:<16} {r.path}  tests: {r.test_command or '(none)'}  limit {r.test_timeout:.0f} s"


def cmd_repo(company: Company, args: argparse.Namespace) -> int:
    service = company.repos
    action = args.repo_command
    if action == "add":
        linked = service.add(args.path, name=args.name, test_command=args.test_command, test_timeout=args.timeout,
                             memory_mb=args.memory_mb)
        r = linked.repository
        if r.test_command and linked.detected:
            note = (f"Test command (detected): {r.test_command}. Confirm it, or change it with "
                    f"`bureau repo set {r.name} --test-command CMD`.")
        elif r.test_command:
            note = f"Test command: {r.test_command}."
        else:
            note = (f"No test command found: code tasks will not be tested. Set one with "
                    f"`bureau repo set {r.name} --test-command CMD`.")
        return out(args, r.to_json() | {"detected": linked.detected, "branch": linked.branch},
                   f"Linked {r.name} ({r.path}, on {linked.branch}).\n{note}")
    if action == "list":
        repos = service.list()
        if getattr(args, "json", False):
            return out(args, [r.to_json() for r in repos], "")
        print("\n".join(_line(r) for r in repos) if repos else
              "No repository is linked. Link one: bureau repo add PATH")
        return 0
    if action == "set":
        changes: dict[str, Any] = {"test_timeout": args.timeout, "memory_mb": args.memory_mb}
        if args.no_tests:
            changes["test_command"] = None
        elif args.test_command is not None:
            changes["test_command"] = args.test_command
        r = service.update(args.name, **changes)
        return out(args, r.to_json(), _line(r))
    if action == "remove":
        r = service.remove(args.name)
        return out(args, r.to_json(), f"Unlinked {r.name}; {r.path} is untouched.")
    r = service.use(args.id, args.name)
    return out(args, {"id": args.id, "repository": r.name}, f"Task {args.id} will work in {r.name}.")


def cmd_diff(company: Company, args: argparse.Namespace) -> int:
    delivery = company.deliveries.delivery(args.id)
    if args.patch:
        company.deliveries.export_patch(args.id, Path(args.patch))
    lines = [f"Task {delivery.task_id}: {delivery.title} ({delivery.status})"]
    for run in delivery.runs:
        lines.append(f"  {run.step_key} in {run.repo_name} from {delivery.base_branch or '?'} at {run.base_commit[:10]}: "
                     + (f"edits refused: {run.refused}" if run.refused else
                        f"{run.files_changed} file(s), +{run.added} -{run.removed}"))
        before = run.tests_before.summary() if run.tests_before else "not run"
        after = run.tests_after.summary() if run.tests_after else "not run"
        lines.append(f"  tests: before {before}; after {after}")
        lines += [f"  check: {p}" for p in run.problems]
    if delivery.applied_commit:
        lines.append(f"  applied to {delivery.applied_branch} at {delivery.applied_commit[:10]}")
    if args.patch:
        lines.append(f"  patch written to {args.patch}")
    if not args.stat and delivery.diff:
        lines += ["", _coloured(delivery.diff.rstrip("\n"))]
    return out(args, delivery.to_json(), "\n".join(lines))


def cmd_apply(company: Company, args: argparse.Namespace) -> int:
    applied = company.deliveries.apply(args.id, branch=args.branch)
    task = company.tasks.get(args.id)
    if task.status == "delivered":
        task = company.tasks.accept(args.id)
    how = "fast-forward" if applied.fast_forward else "merge commit"
    return out(args, applied.to_json() | {"status": task.status},
               f"Applied task {args.id} to {applied.branch} ({how}, now at {applied.tip[:10]}); "
               f"the commit is also on {applied.task_branch}. Task {args.id} is {task.status}.")


def _coloured(diff: str) -> str:
    if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
        return diff
    colours = {"+": "\033[32m", "-": "\033[31m", "@": "\033[36m"}
    lines = []
    for line in diff.splitlines():
        code = "\033[1m" if line.startswith(("diff ", "+++", "---", "index ")) else colours.get(line[:1], "")
        lines.append(f"{code}{line}\033[0m" if code else line)
    return "\n".join(lines)
