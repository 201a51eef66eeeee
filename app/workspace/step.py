"""A code or DevOps step in the founder's repository: worktree, files, edits, tests, diff, cleanup.

The engine's work phase hands a step here when its team works in a linked repository. The
model's reply is parsed as edits (agents/edits.py) and applied in a private worktree; the
project's test command runs there after them (sandbox.py), and on the untouched base in a
second checkout while the model thinks (the "before" of the delivery); changed DevOps files are validated; the diff, the test results and the checks are
recorded with the step, and the worktree and its branch are removed whatever happened.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from agents.backends.base import BackendError, Cancelled, ChatOptions, ModelBackend
from agents.ceo import PlannedStep
from agents.edits import EditApplyError, EditFormatError, parse_edits
from agents.repo_context import Selection, WorkspaceRequest, build_messages, pack, score_files, search_words
from agents.team_agent import StepRequest
from app.core.errors import BureauError, InvalidInput
from app.engine.phases import PhaseContext
from app.store.db import sql_ts, utcnow
from app.store.snapshot import TaskSnapshot
from app.tasks.artifacts import FileToWrite
from app.workspace.git import inspect_repo
from app.workspace.repos import WORKSPACE_TEAMS, repository_for
from app.workspace.sandbox import CommandResult, run_bounded
from app.workspace.store import Repository, WorkspaceRun, load_runs, save_run, task_repository
from app.workspace.validate import validate_files
from app.workspace.worktree import Worktree, task_branch

MAX_DIFF_IN_OUTPUT = 20_000
MAX_FILES_IN_OUTPUT = 12_000  # changed files shown whole in the step's output (the rest: in the diff)
NO_REPOSITORY_NOTE = ("\n\n---\n_Bureau: no repository is linked, so this code was not run. Link yours with "
                      "`bureau repo add PATH` and the {team} team will edit it in a private worktree, run your "
                      "tests on its work and deliver a patch you apply._\n")
SEVERAL_NOTE = ("\n\n---\n_Bureau: several repositories are linked and this task names none of them, so this code "
                "was not run. Pick one with `bureau repo use {task} NAME` and retry, or name it in the task._\n")


def workspace_for(ctx: PhaseContext, task: TaskSnapshot, step: PlannedStep) -> tuple[WorkspaceStep | None, str]:
    """(the workspace step, None) when ``step`` works in a linked repository; else (None, a note for the output)."""
    if step.team not in WORKSPACE_TEAMS:
        return None, ""
    with ctx.deps.db.raw_read() as conn:
        repo = repository_for(conn, task.id, task.text)
        several = repo is None and conn.execute("SELECT COUNT(*) FROM repository").fetchone()[0] > 1
    if repo is None:
        return None, (SEVERAL_NOTE.format(task=task.id) if several else NO_REPOSITORY_NOTE.format(team=step.team))
    return WorkspaceStep(ctx, repo), ""


@dataclass
class _Baseline:
    """The test command on the untouched worktree, run while the model thinks."""

    result: CommandResult | None = None
    thread: threading.Thread | None = None
    error: str | None = None


class WorkspaceStep:
    def __init__(self, ctx: PhaseContext, repo: Repository) -> None:
        self.ctx = ctx
        self.repo = repo
        self.stop = threading.Event()

    def run(self, *, task: TaskSnapshot, step: PlannedStep, key: str, attempt: int, request: StepRequest,
            backend: ModelBackend, options: ChatOptions) -> bool:
        ctx, repo = self.ctx, self.repo
        timings: dict[str, float] = {}
        started = time.perf_counter()
        try:
            state = inspect_repo(Path(repo.path))
        except InvalidInput as exc:
            ctx.store.fail_step(task.id, key, str(exc))
            raise BureauError(f"The {step.team} team cannot work in repository {repo.name}: {exc.message}",
                              fix=(exc.fix or "") + f" Then retry the task (`bureau retry {task.id}`).") from exc
        base, base_branch, before = self._base(task.id, state.head, state.branch)
        tree = Worktree.create(state.root, ctx.deps.db.home / "workspaces" / repo.name, task_id=task.id, base=base)
        baseline = _Baseline(result=before)
        threading.Thread(target=self._watch, args=(ctx.cancel_check(task.id),), daemon=True,
                         name=f"cancel-watch-{task.id}").start()
        try:
            timings["worktree"] = time.perf_counter() - started
            if before is None and repo.test_command:
                baseline.thread = threading.Thread(target=self._baseline, args=(state.root, task.id, base, baseline),
                                                   daemon=True, name=f"baseline-{task.id}")
                baseline.thread.start()
            mark = time.perf_counter()
            selection = self._select(tree, request)
            timings["select"] = time.perf_counter() - mark
            messages = build_messages(WorkspaceRequest(
                team=request.team, role=request.role, task_text=request.task_text, repo=repo.name,
                test_command=repo.test_command, selection=selection, whole_task=request.whole_task,
                context=_prior_context(request), notes=request.notes,
                previous_edits=self._previous_diff(task.id) if request.notes else None))
            mark = time.perf_counter()
            try:
                result = backend.chat(messages, options, on_token=ctx.stream_to(task.id, key),
                                      cancelled=ctx.cancel_check(task.id))
            except Cancelled:
                ctx.store.fail_step(task.id, key, "Cancelled.")
                return False
            except BackendError as exc:
                return ctx.step_failed(task.id, key, attempt, exc)
            timings["model"] = time.perf_counter() - mark
            run = self._after(tree, task.id, key, result.text, baseline, timings, base_branch)
            if self.stop.is_set():  # cancelled or the engine stops: the test runs were killed
                ctx.store.fail_step(task.id, key, "Cancelled.")
                return False
            timings["total_without_model"] = time.perf_counter() - started - timings["model"]
            if "result_at" in timings:  # from the step's start to the test result, model time excluded
                timings["to_result"] = timings.pop("result_at") - started - timings["model"]
            run = WorkspaceRun(**{**run.__dict__, "timings": {k: round(v, 4) for k, v in timings.items()}})
            with ctx.deps.db.raw_write() as conn:
                save_run(conn, run)
            contents = {p: t for p in run.paths if run.refused is None and (t := tree.read(p)) is not None}
            output = _summary(run, result.text, repo, base_branch, contents)
            ctx.store.finish_step(task.id, key, output=output, model=result.model, tokens_in=result.tokens_in,
                                  tokens_out=result.tokens_out, files=_files(run, key, request.team.name, output),
                                  attempt=attempt)
            return True
        finally:
            self.stop.set()
            if baseline.thread is not None:
                baseline.thread.join()
            tree.cleanup()

    # -- pieces ------------------------------------------------------------------------
    def _watch(self, cancelled: Callable[[], bool]) -> None:
        """Stop the test runs as soon as the task is cancelled or the engine stops."""
        while not self.stop.wait(0.25):
            if cancelled():
                self.stop.set()

    def _base(self, task_id: int, head: str, branch: str) -> tuple[str, str, CommandResult | None]:
        """The commit the task's work starts from (fixed at its first step), and the tests there if known."""
        with self.ctx.deps.db.raw_write() as conn:
            chosen = task_repository(conn, task_id)
            if chosen is None or chosen.repository_id != self.repo.id or not chosen.base_commit:
                conn.execute("INSERT INTO task_repository (task_id, repository_id, base_commit, base_branch) "
                             "VALUES (?, ?, ?, ?) ON CONFLICT (task_id) DO UPDATE SET repository_id = "
                             "excluded.repository_id, base_commit = excluded.base_commit, "
                             "base_branch = excluded.base_branch", (task_id, self.repo.id, head, branch))
                return head, branch, None
            runs = [r for r in load_runs(conn, task_id) if r.base_commit == chosen.base_commit and r.tests_before]
            return chosen.base_commit, chosen.base_branch or branch, runs[-1].tests_before if runs else None

    def _baseline(self, root: Path, task_id: int, base: str, baseline: _Baseline) -> None:
        """The tests on the untouched base, in a checkout of their own, alongside the model and the edits."""
        assert self.repo.test_command
        try:
            with Worktree.create(root, self.ctx.deps.db.home / "workspaces" / self.repo.name, task_id=task_id,
                                 base=base, detach=True) as tree:
                baseline.result = run_bounded(self.repo.test_command, cwd=tree.path, timeout=self.repo.test_timeout,
                                              memory_mb=self.repo.memory_mb, stop=self.stop)
        except BureauError as exc:  # no free checkout: the delivery says so instead of a baseline
            baseline.error = str(exc)

    def _select(self, tree: Worktree, request: StepRequest) -> Selection:
        limits = self.ctx.deps.settings().model
        budget = max(1500, (limits.n_ctx - limits.step_max_tokens - 700) * 3)
        return select_files(tree, (request.task_text, request.notes or ""), budget_chars=budget)

    def _previous_diff(self, task_id: int) -> str | None:
        with self.ctx.deps.db.raw_read() as conn:
            runs = load_runs(conn, task_id)
        return runs[-1].diff if runs else None

    def _after(self, tree: Worktree, task_id: int, key: str, reply: str, baseline: _Baseline,
               timings: dict[str, float], base_branch: str) -> WorkspaceRun:
        """Wait for the baseline, apply the edits, run the tests, validate, take the diff."""
        def common() -> dict[str, object]:
            if baseline.thread is not None:
                mark = time.perf_counter()
                baseline.thread.join()
                timings["baseline_wait"] = timings.get("baseline_wait", 0.0) + time.perf_counter() - mark
            return dict(task_id=task_id, step_key=key, repo_name=self.repo.name, branch=task_branch(task_id),
                        base_commit=tree.base, tests_before=baseline.result, created_at=sql_ts(utcnow()) or "")

        mark = time.perf_counter()
        try:
            parsed = parse_edits(reply)
            paths = tree.apply(parsed.edits)
        except (EditFormatError, EditApplyError) as exc:
            return WorkspaceRun(**common(), refused=str(exc))  # type: ignore[arg-type]
        timings["edits"] = time.perf_counter() - mark
        mark = time.perf_counter()
        checks = validate_files(tree.path, list(paths))
        timings["checks"] = time.perf_counter() - mark
        after = None
        if self.repo.test_command:
            mark = time.perf_counter()
            after = run_bounded(self.repo.test_command, cwd=tree.path, timeout=self.repo.test_timeout,
                                memory_mb=self.repo.memory_mb, stop=self.stop)
            timings["tests"] = time.perf_counter() - mark
        timings["result_at"] = time.perf_counter()  # the test result is in (bench/workspace.py measures up to here)
        stat = tree.diff(paths)
        return WorkspaceRun(**common(), paths=paths, diff=stat.diff, files_changed=stat.files_changed,  # type: ignore[arg-type]
                            added=stat.added, removed=stat.removed, tests_after=after,
                            problems=tuple(checks.problems))


def select_files(tree: Worktree, texts: tuple[str, ...], *, budget_chars: int) -> Selection:
    """The files most likely to matter for ``texts``, by path and content, within ``budget_chars``."""
    paths = tree.list_files()
    words, mentioned = search_words(*texts)
    hits = tree.grep_counts(words)
    ranked = [p for p, _ in score_files(paths, hits, words, mentioned)][:80]
    if not ranked and len(paths) <= 30:
        ranked = sorted(paths, key=len)
    contents = {p: text for p in ranked if (text := tree.read(p)) is not None}
    return pack(ranked, contents, budget_chars=budget_chars, total=len(paths))


def _prior_context(request: StepRequest) -> str:
    text = ""
    for prior in request.prior:
        text += f"\nWork already done by the {prior.team} team:\n{prior.output[:3000]}\n"
    return text


def _summary(run: WorkspaceRun, reply: str, repo: Repository, base_branch: str,
             contents: dict[str, str] | None = None) -> str:
    try:
        explanation = parse_edits(reply).explanation
    except (EditFormatError, EditApplyError):
        explanation = ""
    lines = [explanation or "(no explanation)", "",
             f"**Repository** {repo.name}: worked on `{run.branch}` from {base_branch} at {run.base_commit[:10]}."]
    if run.refused:
        lines.append(f"**Edits refused**: {run.refused}")
    else:
        lines.append(f"**Changed** {run.files_changed} file(s), +{run.added} -{run.removed}: {', '.join(run.paths)}")
    if run.tests_before is not None or run.tests_after is not None:
        before = run.tests_before.summary() if run.tests_before else "not run"
        after = run.tests_after.summary() if run.tests_after else "not run"
        lines.append(f"**Tests** (`{repo.test_command}`): before {before}; after {after}.")
    else:
        lines.append("**Tests**: no test command is set for this repository "
                     f"(`bureau repo set {repo.name} --test-command CMD`).")
    if run.problems:
        lines.append("**Files that do not pass their checks**:\n" + "\n".join(f"- {p}" for p in run.problems))
    shown = 0
    for path, text in (contents or {}).items():  # the changed files as they are now, for the reviewer and you
        if shown + len(text) > MAX_FILES_IN_OUTPUT:
            lines.append(f"\n(`{path}` is in the diff below.)")
            continue
        shown += len(text)
        lines += ["", f"`{path}`:", f"```{_language(path)}", text.rstrip("\n"), "```"]
    if run.diff:
        diff = run.diff if len(run.diff) <= MAX_DIFF_IN_OUTPUT else run.diff[:MAX_DIFF_IN_OUTPUT] + "\n[... clipped]"
        lines += ["", "The diff:", "```diff", diff.rstrip(), "```"]
    return "\n".join(lines) + "\n"


_LANGUAGES = {".py": "python", ".yml": "yaml", ".yaml": "yaml", ".json": "json", ".sh": "bash", ".bash": "bash",
              ".js": "javascript", ".ts": "typescript", ".go": "go", ".rs": "rust", ".toml": "toml", ".sql": "sql",
              ".tf": "hcl", ".md": "markdown", ".html": "html", ".css": "css", ".java": "java", ".rb": "ruby"}


def _language(path: str) -> str:
    name = path.rsplit("/", 1)[-1].lower()
    if name in ("dockerfile", "containerfile") or name.endswith(".dockerfile"):
        return "dockerfile"
    return _LANGUAGES.get("." + name.rsplit(".", 1)[-1], "text") if "." in name else "text"


def _files(run: WorkspaceRun, key: str, team: str, output: str) -> list[FileToWrite]:
    files = [FileToWrite(f"{key}-{team}.md", output, "text/markdown")]
    if run.diff:
        files.append(FileToWrite(f"{key}-{team}.patch", run.diff, "text/x-diff"))
    if run.tests_after is not None:
        files.append(FileToWrite(f"{key}-tests.txt", run.tests_after.output, "text/plain"))
    return files
