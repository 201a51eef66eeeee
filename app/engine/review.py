"""The review phase: a loop's check, then the CEO's critics against the team's rubric.

Pass, or rework with notes (bounded by the rework budget, or by the loop's iterations);
past the bound the task goes to the founder. Every critic's verdict is journalled.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

from agents.backends.base import BackendError, Cancelled, ChatOptions, ModelBackend
from agents.ceo import PlannedStep
from agents.review import Review, review_work
from agents.structured import StructuredOutputError
from app.core.settings import Settings
from app.core.status import Status
from app.engine.phases import PhaseContext
from app.store.payloads import FounderPayload, ReviewPayload
from app.store.snapshot import TaskSnapshot, review_key
from teams.base import TeamSpec
from app.workspace.review import workspace_verdicts

CRITIC_FOCUS = (
    "the criteria as a whole",
    "accuracy and completeness: is anything wrong or missing?",
    "clarity and tone for the reader",
    "whether it does exactly what the task asked",
    "concreteness: specific details instead of generalities",
)


def founder_note(task: TaskSnapshot, step_key: str) -> tuple[str | None, str | None]:
    """The founder's rework note for this round, and the version it was written about."""
    start = task.round_start(task.round) if task.round > 0 else None
    payload = start.payload if start is not None else None
    if not isinstance(payload, FounderPayload) or payload.action != "rework" or not payload.note:
        return None, None
    before = task.outputs(up_to_round=task.round - 1).get(step_key)
    return payload.note, (before.output if before is not None else None)


class ReviewPhase:
    def __init__(self, ctx: PhaseContext) -> None:
        self.ctx = ctx

    def run(self, task: TaskSnapshot) -> None:
        plan = task.plan
        assert plan is not None
        outputs = task.outputs()
        targets = [s for s in task.reviewed_this_round() if s.review]
        if plan.check is not None or plan.shape == "loop":
            if self._loop_check(task, targets, outputs):
                return
        verdicts: list[dict[str, object]] = []
        evidence = workspace_verdicts(self.ctx.store.db, task, targets, outputs)  # the project's own tests
        for step in targets:
            if step.key in evidence:
                verdicts.append(evidence[step.key])
                continue
            grounded = self._grounding(task, step, outputs)  # citations and figures against the founder's material
            if grounded is not None:
                verdicts.append(grounded)
                continue
            try:
                verdicts.append(self._judge(task, step, outputs[step.key].output or ""))
            except StructuredOutputError as exc:
                self.ctx.store.set_status(task.id, Status.NEEDS_DECISION, reason=(
                    f"The CEO could not review the {step.team} team's work: {exc.reason}. "
                    "Read it and accept it, or request rework with a note."))
                return
            except Cancelled:
                return  # stopped or changed by the founder: the review is asked again later
            except BackendError as exc:
                self.ctx.step_failed(task.id, review_key(step.key, task.round), 1, exc)
                return
        failing = [v for v in verdicts if v["verdict"] == "rework"]
        max_rounds = int(task.budget.get("rounds", self.ctx.deps.settings().budgets.max_rework_rounds))
        summary = "; ".join(f"{v['team']}: {v['verdict']} ({v['notes']})" for v in verdicts) or "nothing to review"
        if not failing:
            self._decide(task, verdicts, Status.DELIVERED, summary=summary)
        elif task.round < max_rounds:
            self._decide(task, verdicts, Status.REWORK, summary=summary, redo=[str(v["step"]) for v in failing],
                         reason=f"Rework round {task.round + 1}: {summary}")
        else:
            self._decide(task, verdicts, Status.NEEDS_DECISION, summary=summary, reason=(
                f"The CEO sent this back {task.round} time(s) and is still not satisfied ({summary}). "
                "Accept it, request rework with a note, or reassign it."))

    def _loop_check(self, task: TaskSnapshot, targets: list[PlannedStep], outputs: dict) -> bool:  # type: ignore[type-arg]
        """Rework until the loop's check passes; True when this phase is decided by the check."""
        plan = task.plan
        assert plan is not None
        verdicts: list[dict[str, object]] = []
        for step in targets:
            output = outputs[step.key].output or ""
            problems = plan.check.problems(output) if plan.check is not None else ()
            if problems:
                verdicts.append({"step": step.key, "team": step.team, "verdict": "rework", "check": True,
                                 "notes": " ".join(problems), "failed_checks": list(problems)})
        if not verdicts:
            return False  # the check passes: the critics judge the rest
        summary = "; ".join(f"{v['team']}: {v['notes']}" for v in verdicts)
        if task.round < plan.max_iterations:
            self._decide(task, verdicts, Status.REWORK, summary=f"Check failed: {summary}",
                         redo=[str(v["step"]) for v in verdicts],
                         reason=f"Loop iteration {task.round + 1} of {plan.max_iterations}: {summary}")
        else:
            self._decide(task, verdicts, Status.NEEDS_DECISION, summary=f"Check failed: {summary}", reason=(
                f"The check ({plan.check.describe() if plan.check else 'rubric'}) still fails after "
                f"{plan.max_iterations} iterations: {summary.rstrip('.')}. "
                "Accept it, rework it with a note, or cancel it."))
        return True

    def _grounding(self, task: TaskSnapshot, step: PlannedStep, outputs: dict) -> dict[str, object] | None:  # type: ignore[type-arg]
        """A rework verdict naming each unsupported figure or unknown citation (agents.grounding); None when fine."""
        hooks = self.ctx.deps.grounding
        if hooks is None:
            return None
        record = outputs[step.key]
        notes = hooks.problems(task_id=task.id, journal_key=record.key, output=record.output or "", task_text=task.text)
        if not notes:
            return None
        return {"step": step.key, "team": step.team, "verdict": "rework", "notes": " ".join(notes),
                "failed_checks": notes, "grounding": True, "reviewed_by": "grounding checks"}

    def _judge(self, task: TaskSnapshot, step: PlannedStep, output: str) -> dict[str, object]:
        """Ask ``plan.critics`` critics; the step passes when at least ``plan.threshold`` of them pass it."""
        plan = task.plan
        assert plan is not None
        reviews = [self._critic(task, step, output, n) for n in range(1, max(1, plan.critics) + 1)]
        passes = sum(r.verdict == "pass" for r in reviews)
        verdict = "pass" if passes >= max(1, plan.threshold) else "rework"
        notes = " ".join(dict.fromkeys(r.notes for r in reviews if r.verdict == verdict)) or reviews[0].notes
        result: dict[str, object] = {"step": step.key, "team": step.team, "verdict": verdict, "notes": notes,
                                     "failed_checks": sorted({c for r in reviews for c in r.failed_checks}),
                                     "model_used": reviews[0].model, "reviewed_by": reviews[0].reviewed_by}
        if len(reviews) > 1:
            result["critics"] = [{"verdict": r.verdict, "notes": r.notes} for r in reviews]
            result["passes"] = f"{passes} of {len(reviews)} (needs {plan.threshold})"
        return result

    def _critic(self, task: TaskSnapshot, step: PlannedStep, output: str, n: int) -> Review:
        key = review_key(step.key, task.round) + (f".c{n}" if n > 1 else "")
        recorded = task.step(key)
        if recorded is not None and recorded.status == "done" and recorded.output:
            data = json.loads(recorded.output)
            return Review(verdict=data["verdict"], notes=data["notes"], failed_checks=tuple(data["failed_checks"]),
                          model=data.get("model_used"))
        settings = self.ctx.deps.settings()
        options = ChatOptions(max_tokens=settings.model.review_max_tokens, temperature=0.0 if n == 1 else 0.3,
                              seed=settings.model.seed + n - 1)
        ceo = self.ctx.deps.backend_for("ceo") if settings.review_with_model else None
        attempt = self.ctx.store.start_step(task.id, key, team=step.team, role="ceo" if n == 1 else f"critic {n}",
                                  kind="review", model=ceo.name if ceo else "checks",
                                  payload={"step": step.key, "critic": n})
        judge = None
        if ceo is not None:  # its verdict counts only if its calibration (run once, on first use) allows
            from app.llm.calibration import judge_for

            judge, _ = judge_for(self.ctx.deps.db.home, ceo, self.ctx.deps.teams,
                                 ChatOptions(max_tokens=settings.model.review_max_tokens, temperature=0.0,
                                             seed=settings.model.seed))
        note, previous = founder_note(task, step.key)
        review = review_work(team=self.ctx.deps.teams[step.team], task_text=task.text, step_text=step.text,
                             output=output, backend=judge, options=options,
                             focus=CRITIC_FOCUS[(n - 1) % len(CRITIC_FOCUS)], note=note, previous_output=previous,
                             short_ok=task.plan is not None and task.plan.check is not None,
                             cancelled=self.ctx.cancel_check(task.id, allowed=frozenset({Status.IN_REVIEW.value})))
        self.ctx.store.finish_step(task.id, key, output=json.dumps(
            {"verdict": review.verdict, "notes": review.notes, "failed_checks": list(review.failed_checks),
             "model_used": review.model, "reviewed_by": review.reviewed_by,
             "checks": [{"name": c.name, "passed": c.passed, "detail": c.detail} for c in review.checks]}),
            model=review.model or "checks", tokens_in=review.tokens_in, tokens_out=review.tokens_out, files=[],
            attempt=attempt)
        return review

    def _decide(self, task: TaskSnapshot, verdicts: list[dict[str, object]], status: Status, *, summary: str,
                redo: list[str] | None = None, reason: str | None = None) -> None:
        rework = status == Status.REWORK
        payload = ReviewPayload.model_validate({
            "round": task.round, "verdicts": verdicts,
            "starts_round": task.round + 1 if rework else None, "redo": (redo or []) if rework else None})
        self.ctx.store.record_review(task.id, team=task.team, rationale=summary, payload=payload, status=status,
                                     reason=reason)


def review_once(*, home: Path, settings: Settings, teams: Mapping[str, TeamSpec],
                backend_for: Callable[[str], ModelBackend], team: str, task_text: str, output: str,
                note: str | None = None, previous_output: str | None = None, with_model: bool = True) -> Review:
    """The engine's review of one output, without a task (`bureau review`): same checks, same judge."""
    options = ChatOptions(max_tokens=settings.model.review_max_tokens, temperature=0.0, seed=settings.model.seed)
    judge = None
    if with_model and settings.review_with_model:
        from app.llm.calibration import judge_for

        judge, _ = judge_for(home, backend_for("ceo"), teams, options)
    return review_work(team=teams[team], task_text=task_text, output=output, backend=judge, options=options,
                       note=note, previous_output=previous_output)
