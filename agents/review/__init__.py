"""The CEO's review: checks that need no model first, then a model's verdict when that model can judge.

``review_work`` is the entry point the engine and `bureau review` use. What was asked comes
from ``agents.review.asked``; the checks from ``agents.review.checks`` and ``agents.review.form``;
whether a model may judge at all from ``agents.review.calibrate``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from agents.backends.base import CancelCheck, ChatMessage, ChatOptions, ModelBackend
from agents.prompts import render
from agents.review.asked import Asked, what_was_asked
from agents.review.checks import (
    Check,
    items_covered,
    length,
    no_echo,
    no_leak,
    no_placeholders,
    no_refusal,
    no_repetition,
    not_empty,
    note_checks,
    on_topic,
)
from agents.review.form import form
from agents.review.text import stems
from agents.structured import ask_structured
from teams.base import TeamSpec

__all__ = ["Asked", "Check", "Review", "ReviewVerdict", "CHECKS_ONLY", "check_work", "review_work",
           "what_was_asked"]

CHECKS_ONLY = "reviewed by checks only"


class ReviewVerdict(BaseModel):
    """What the model must answer when it reviews."""

    verdict: Literal["pass", "rework"]
    notes: str = Field(default="", max_length=800)


@dataclass(frozen=True)
class Review:
    verdict: Literal["pass", "rework"]
    notes: str
    failed_checks: tuple[str, ...]  # the notes of the checks that failed
    model: str | None = None  # the model whose verdict counted; None: reviewed by checks only
    tokens_in: int = 0
    tokens_out: int = 0
    attempts: int = 0
    checks: tuple[Check, ...] = ()
    asked: Asked | None = None

    @property
    def reviewed_by(self) -> str:
        return f"checks and {self.model}" if self.model else CHECKS_ONLY


def check_work(*, task_text: str, output: str, step_text: str | None = None, note: str | None = None,
               previous_output: str | None = None, asked: Asked | None = None) -> tuple[Asked, list[Check]]:
    """Every check that needs no model, in the order a reader would notice the problems."""
    asked = asked or what_was_asked(task_text, step=step_text)
    task = step_text or task_text
    checks = [not_empty(output)]
    if not checks[0].passed:
        return asked, checks
    checks += [no_refusal(asked, output), no_leak(asked, output), no_echo(asked, output, task),
               no_placeholders(asked, output), on_topic(asked, output)]
    if asked.items:
        checks.append(items_covered(asked, output))
    checks += [length(asked, output), *form(asked, output), no_repetition(asked, output)]
    if note and note.strip():
        checks += note_checks(note.strip(), output, previous_output, task=task)
    return asked, checks


def review_work(
    *,
    team: TeamSpec,
    task_text: str,
    output: str,
    backend: ModelBackend | None,
    options: ChatOptions,
    focus: str = "the criteria as a whole",
    short_ok: bool = False,
    step_text: str | None = None,
    note: str | None = None,
    previous_output: str | None = None,
    cancelled: CancelCheck | None = None,
) -> Review:
    """Pass or rework with notes. ``backend`` only when that model has shown it can judge (see calibrate).

    Raises ``StructuredOutputError`` when the model never answers validly. ``short_ok``: the task
    runs in a loop with its own check (brevity is judged by that check, not by a minimum length).
    """
    asked, checks = check_work(task_text=task_text, output=output, step_text=step_text, note=note,
                               previous_output=previous_output)
    if short_ok:
        checks = [c for c in checks if not (c.name == "length" and c.note.startswith("Too short"))]
    problems = tuple(c.note for c in checks if not c.passed)
    if problems:
        return Review(verdict="rework", notes=" ".join(problems), failed_checks=problems, checks=tuple(checks),
                      asked=asked)
    if backend is None:
        return Review(verdict="pass", notes=f"Meets every check for {asked.label} ({CHECKS_ONLY}).",
                      failed_checks=(), checks=tuple(checks), asked=asked)
    answer = ask_structured(backend, [ChatMessage("user", model_prompt(team, asked, step_text or task_text, output,
                                                                   focus))],
                            ReviewVerdict, options, cancelled=cancelled)
    verdict = answer.value
    notes = verdict.notes.strip()
    if verdict.verdict == "rework" and _restates_rubric(notes, team):
        notes = (f"The reviewing model ({answer.model}) found it weak on {focus.rstrip('.:?')} but named no "
                 f"specific problem; read it against the task before accepting.")
    elif len(notes.split()) < 3:
        notes = f"Meets every check for {asked.label}, and {answer.model} passed it." if verdict.verdict == "pass" \
            else f"{answer.model} judged it weak on {focus.rstrip('.:?')}; make it more specific to the task."
    model_check = Check("model_verdict", verdict.verdict == "pass", f"{answer.model}: {verdict.verdict}",
                        "" if verdict.verdict == "pass" else notes)
    return Review(verdict=verdict.verdict, notes=notes, failed_checks=(), model=answer.model,
                  tokens_in=answer.tokens_in, tokens_out=answer.tokens_out, attempts=answer.attempts,
                  checks=(*checks, model_check), asked=asked)


def model_prompt(team: TeamSpec, asked: Asked, task: str, output: str, focus: str) -> str:
    return render(
        "ceo_review.md",
        team=team.name,
        task=task[:3000],
        output=output[:6000],
        rubric="\n".join(f"- {c}" for c in team.rubric.criteria),
        focus=focus,
        kind=asked.label,
    )


def _restates_rubric(notes: str, team: TeamSpec) -> bool:
    """True when the model's notes are only the rubric's words, not a named problem."""
    mine = stems(notes)
    if len(mine) < 3:
        return True
    rubric = set().union(*(stems(c) for c in team.rubric.criteria), stems("improve it against the criteria rubric"))
    return len(mine - rubric) <= 2 or bool(re.match(r"^\W*improve it against", notes, re.I))
