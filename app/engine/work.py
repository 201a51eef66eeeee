"""The work phase: run the plan's ready steps, at most ``plan.concurrency`` at a time.

A step starts as soon as the steps it depends on are done, so items of a pipeline flow
through its stages without waiting for each other.
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from agents.backends.base import BackendError, Cancelled, ChatOptions, ReplyTruncated
from agents.ceo import PlannedStep
from agents.team_agent import AttachedFile, PriorWork, StepRequest, build_messages, run_step
from app.tasks.artifacts import files_for
from app.tasks.attachments import load_attachments
from app.engine.phases import PhaseContext
from app.core.errors import BureauError
from app.store.snapshot import StepRecord, TaskSnapshot, journal_key
from app.core.status import Status
from app.workspace.step import workspace_for

WORKING = (Status.QUEUED, Status.REWORK, Status.RUNNING)


class WorkPhase:
    def __init__(self, ctx: PhaseContext) -> None:
        self.ctx = ctx

    def run(self, task: TaskSnapshot) -> bool:
        """Work until every step of this round is done; False when the task must stop for now."""
        plan = task.plan
        if plan is None:
            raise BureauError(f"Task {task.id} has no plan.", fix="Reassign it to a team.")
        limit = max(1, plan.concurrency)
        if limit == 1:
            ok, snap = self._run_serially(task)
        else:
            ok, snap = self._run_concurrently(task, limit)
        if not ok or self.ctx.stopping.is_set():
            return False
        if snap.todo():
            return True  # the next phase goes on with what is left
        self.ctx.store.set_status(task.id, Status.IN_REVIEW, only_from=WORKING)
        return True

    def _run_serially(self, task: TaskSnapshot) -> tuple[bool, TaskSnapshot]:
        """One step at a time on this thread (most plans): no worker threads to start and join."""
        snap, ok = task, True
        while ok and not self.ctx.stopping.is_set():
            if snap.status not in {s.value for s in WORKING}:
                return False, snap  # cancelled or changed by the founder meanwhile
            ready = self._ready(snap, busy=set())
            if not ready:
                break
            ok = self._run_step(snap, ready[0])
            snap = self.ctx.store.snapshot(task.id)
        return ok, snap

    def _run_concurrently(self, task: TaskSnapshot, limit: int) -> tuple[bool, TaskSnapshot]:
        running: dict[Future[bool], str] = {}
        ok = True
        snap = task
        # The pool is left (every step finished) before a held retry releases the task's claim.
        with self.ctx.siblings_in_flight(task.id), \
                ThreadPoolExecutor(max_workers=limit, thread_name_prefix=f"task-{task.id}") as pool:
            while True:
                if ok and not self.ctx.stopping.is_set():
                    if snap.status not in {s.value for s in WORKING}:
                        ok = False  # cancelled or changed by the founder meanwhile
                    else:
                        for step in self._ready(snap, busy=set(running.values()))[: limit - len(running)]:
                            running[pool.submit(self._run_step, snap, step)] = step.key
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    running.pop(future)
                    ok = future.result() and ok  # re-raises a step's unexpected error
                snap = self.ctx.store.snapshot(task.id)
        return ok, snap

    def _ready(self, snap: TaskSnapshot, *, busy: set[str]) -> list[PlannedStep]:
        todo = snap.todo()
        outputs = snap.outputs()
        pending = {t.key for t in todo}
        ready = [st for st in todo if st.key not in busy
                 and all(d in outputs and d not in pending for d in st.depends_on)]
        if todo and not ready and not busy:
            raise BureauError(f"Task {snap.id}'s plan has steps whose dependencies can never finish.",
                              fix="Reassign the task to one team.")
        return ready

    def _attachments(self, task_id: int) -> tuple[AttachedFile, ...]:
        with self.ctx.deps.db.raw_read() as conn:
            return tuple(AttachedFile(a.name, a.content) for a in load_attachments(conn, task_id))

    def _received(self, task: TaskSnapshot, step: PlannedStep, outputs: dict[str, StepRecord]) -> tuple[PriorWork, ...]:
        """The work of every step this one waits for, directly or through others, in plan order, with files."""
        plan = task.plan
        by_key = {s.key: s for s in plan.steps} if plan else {}
        wanted: set[str] = set()
        todo = list(step.depends_on)
        while todo:
            key = todo.pop()
            if key not in wanted and key in by_key:
                wanted.add(key)
                todo.extend(by_key[key].depends_on)
        order = [k for k in by_key if k in wanted and k in outputs]
        with self.ctx.store.db.raw_read() as conn:
            files = {k: tuple(r[0] for r in conn.execute(
                "SELECT path FROM artifact WHERE task_id = ? AND step_key = ? ORDER BY id",
                (task.id, outputs[k].key))) for k in order}
        return tuple(PriorWork(outputs[k].team, outputs[k].output or "", key=k, task=by_key[k].text,
                               files=files[k]) for k in order)

    def _run_step(self, task: TaskSnapshot, step: PlannedStep) -> bool:
        ctx = self.ctx
        team = ctx.deps.teams[step.team]
        key = journal_key(step.key, task.round)
        outputs = task.outputs()
        previous = outputs.get(step.key)
        notes = task.notes_for(step.key)
        prior = self._received(task, step, outputs)
        whole = task.text if step.text.strip() != task.text.strip() else None
        hooks = ctx.deps.grounding
        prepared = hooks.prepare(task_id=task.id, team=team, step_text=step.text, task_text=task.text) \
            if hooks is not None and getattr(task.step(key), "status", None) != "done" else None
        if prepared is not None and prepared.wait_reason:  # nothing to answer from: ask the founder, never guess
            ctx.store.set_status(task.id, Status.NEEDS_DECISION, reason=prepared.wait_reason, only_from=WORKING)
            return False
        request = StepRequest(team=team, role=team.lead, task_text=step.text, whole_task=whole, prior=prior,
                              notes=notes, previous_output=previous.output if previous is not None and notes else None,
                              attachments=self._attachments(task.id),
                              grounding=prepared.grounding if prepared is not None else None)
        backend = ctx.deps.backend_for(step.team)
        if ctx.deps.offload is not None:
            backend = ctx.deps.offload(task.id, step.team, backend)
        payload = {"text": step.text, "notes": notes, "received": [p.receipt() for p in prior]}
        if prepared is not None and prepared.record:
            payload["grounding"] = prepared.record  # which profile facts and sections the step was given
        workspace, note = workspace_for(ctx, task, step)  # code and DevOps work in a linked repository
        attempt = ctx.store.start_step(task.id, key, team=step.team, role=team.lead.name, kind="work",
                                       model=backend.name, payload=payload, mark_running=True)
        if attempt is None:
            return True  # already finished: replayed from the journal
        limits = ctx.deps.settings().model
        # A retry must not repeat the same reply: vary the seed, and allow a longer answer.
        max_tokens = min(limits.step_max_tokens * attempt, max(limits.step_max_tokens, limits.n_ctx // 2))
        options = ChatOptions(max_tokens=max_tokens,
                              temperature=limits.temperature if attempt == 1 else max(limits.temperature, 0.5),
                              seed=limits.seed + 100 * task.round + attempt - 1)
        if workspace is not None:
            return workspace.run(task=task, step=step, key=key, attempt=attempt, request=request, backend=backend,
                                 options=options)
        try:
            result = run_step(backend, request, options, on_token=ctx.stream_to(task.id, key),
                              cancelled=ctx.cancel_check(task.id))
        except Cancelled:
            ctx.store.fail_step(task.id, key, "Cancelled.")
            return False
        except BackendError as exc:
            return ctx.step_failed(task.id, key, attempt, exc, **failed_tokens(request, exc))
        try:
            ctx.store.finish_step(task.id, key, output=result.text + note, model=result.model,
                                  tokens_in=result.tokens_in, tokens_out=result.tokens_out,
                                  files=files_for(team, key, result.text + note, title=task.text[:200]), attempt=attempt)
        except OSError as exc:
            raise BureauError(f"Could not save the result of step {key}: {exc.strerror or exc}.",
                              fix="Free disk space in the data folder, then retry the task.") from exc
        if hooks is not None:  # work meant for someone outside becomes a draft held for the founder
            hooks.after_work(task_id=task.id, step_key=step.key, team=team, step_text=step.text, task_text=task.text,
                             title=task.text.splitlines()[0][:80] if task.text else "",
                             output=result.text)
        return True


def failed_tokens(request: StepRequest, exc: BackendError) -> dict[str, int]:
    """Tokens a failed attempt used: a reply cut off at the limit generated that many; its prompt is
    estimated at four characters a token (backends do not report usage for a reply they cut off)."""
    if not isinstance(exc, ReplyTruncated):
        return {}
    prompt_chars = sum(len(m.content) for m in build_messages(request))
    return {"tokens_in": prompt_chars // 4, "tokens_out": exc.max_tokens}
