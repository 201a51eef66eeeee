"""The CEO's review: deterministic rubric checks first, then the model's verdict."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from agents.backends.base import CancelCheck, ChatMessage, ChatOptions, ModelBackend
from agents.prompts import render
from agents.structured import ask_structured
from teams.base import TeamSpec

_REFUSAL = re.compile(r"\b(as an ai( language model)?|i (cannot|can't|am unable to) (help|assist|do that))\b", re.I)


class ReviewVerdict(BaseModel):
    """What the model must answer when it reviews."""

    verdict: Literal["pass", "rework"]
    notes: str = Field(default="", max_length=800)


@dataclass(frozen=True)
class Review:
    verdict: Literal["pass", "rework"]
    notes: str
    failed_checks: tuple[str, ...]
    model: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    attempts: int = 0


def rubric_checks(team: TeamSpec, output: str, *, short_ok: bool = False) -> tuple[str, ...]:
    """Problems any reader would see, found without a model (``short_ok``: the task asked for brevity)."""
    problems: list[str] = []
    words = len(output.split())
    if not output.strip():
        problems.append("It is empty.")
    elif words < team.rubric.min_words and not short_ok:
        problems.append(f"Too short: {words} words; the {team.name} team's work needs at least {team.rubric.min_words}.")
    if team.rubric.must_match_any and not any(
        re.search(p, output, re.MULTILINE) for p in team.rubric.must_match_any
    ):
        problems.append(team.rubric.must_match_hint or "The expected form is missing.")
    if _REFUSAL.search(output):
        problems.append("It refuses or talks about itself instead of doing the task.")
    lines = [ln.strip() for ln in output.splitlines() if len(ln.strip()) > 20]
    if len(lines) >= 6 and len(set(lines)) < len(lines) * 0.6:
        problems.append("It repeats the same lines; write each point once.")
    return tuple(problems)


def review_work(
    *,
    team: TeamSpec,
    task_text: str,
    output: str,
    backend: ModelBackend | None,
    options: ChatOptions,
    focus: str = "the criteria as a whole",
    short_ok: bool = False,
    cancelled: CancelCheck | None = None,
) -> Review:
    """Pass or rework with notes. Raises ``StructuredOutputError`` when the model never answers validly."""
    problems = rubric_checks(team, output, short_ok=short_ok)
    if problems:
        return Review(verdict="rework", notes=" ".join(problems), failed_checks=problems)
    if backend is None:
        return Review(verdict="pass", notes="Meets the rubric's checks.", failed_checks=())
    prompt = render(
        "ceo_review.md",
        team=team.name,
        task=task_text[:3000],
        output=output[:6000],
        rubric="\n".join(f"- {c}" for c in team.rubric.criteria),
        focus=focus,
    )
    answer = ask_structured(backend, [ChatMessage("user", prompt)], ReviewVerdict, options, cancelled=cancelled)
    verdict = answer.value
    notes = verdict.notes.strip()
    if len(notes.split()) < 3:  # small models answer "rework" or nothing: say something useful
        notes = "Meets the rubric." if verdict.verdict == "pass" else "Improve it against: " + "; ".join(team.rubric.criteria)
    return Review(verdict=verdict.verdict, notes=notes, failed_checks=(), model=answer.model,
                  tokens_in=answer.tokens_in, tokens_out=answer.tokens_out, attempts=answer.attempts)
