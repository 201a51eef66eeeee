"""Multi-team detection: split a task into listed actions and keep the split only when it is clear."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_HARD_SPLIT_RE = re.compile(r"\s*(?:;|\.\s+|\n+|•)\s*")
_SOFT_SPLIT_RE = re.compile(
    r"\s*(?:,\s*(?:and\s+|then\s+|and\s+then\s+)?|\s+and\s+then\s+|\s+then\s+|\s+and\s+also\s+|\s+and\s+|\s+plus\s+)",
    re.IGNORECASE,
)
_LEADING_JOINER_RE = re.compile(r"^(?:and|then|also|finally|afterwards|after that|next|plus)\b[\s,]*", re.IGNORECASE)
_WORD_RE = re.compile(r"[A-Za-z0-9']+")
_TITLE_MAX_WORDS = 4


@dataclass(frozen=True)
class ClauseVerdict:
    """How the router scores one clause on its own."""

    team: str
    raw: float
    confidence: float


@dataclass(frozen=True)
class SegmentRules:
    """When a clause counts as a clear request for its team."""

    min_raw: float = 3.5
    min_confidence: float = 0.8


def _first_word(text: str) -> str:
    match = _WORD_RE.search(text)
    return match.group(0).casefold() if match else ""


def _split_soft(sentence: str, verbs: frozenset[str]) -> list[str]:
    """Split at commas/'and'/'then' only where an action verb starts the next part."""
    parts: list[str] = []
    pos = 0
    current_start = 0
    for match in _SOFT_SPLIT_RE.finditer(sentence):
        if match.start() < pos:
            continue
        rest = sentence[match.end() :]
        if _first_word(rest) in verbs:
            parts.append(sentence[current_start : match.start()])
            current_start = match.end()
        pos = match.end()
    parts.append(sentence[current_start:])
    return [p for p in (_tidy(p) for p in parts) if p]


def _tidy(part: str) -> str:
    part = _LEADING_JOINER_RE.sub("", part.strip(" \t,.;:!?"))
    return part.strip(" \t,.;:!?")


def _strip_title(text: str) -> str:
    """Drop a short heading before a colon ('Launch v2: ...')."""
    head, sep, tail = text.partition(":")
    if sep and tail.strip() and len(_WORD_RE.findall(head)) <= _TITLE_MAX_WORDS:
        return tail
    return text.replace(":", ";")


def split_clauses(text: str, verbs: frozenset[str]) -> list[str]:
    """The listed actions of a task, in order."""
    clauses: list[str] = []
    for sentence in _HARD_SPLIT_RE.split(_strip_title(text)):
        clauses.extend(_split_soft(sentence, verbs))
    return clauses


def plan_segments(
    clauses: Sequence[str],
    classify: Callable[[str], ClauseVerdict],
    rules: SegmentRules = SegmentRules(),
) -> list[tuple[str, str]]:
    """(team, text) steps in order when at least two teams are clearly asked for, else []."""
    if len(clauses) < 2:
        return []
    steps: list[list[str]] = []  # [team, text]
    for clause in clauses:
        verdict = classify(clause)
        clear = verdict.raw >= rules.min_raw and verdict.confidence >= rules.min_confidence
        if clear and (not steps or steps[-1][0] != verdict.team):
            steps.append([verdict.team, clause])
        elif steps:
            steps[-1][1] = f"{steps[-1][1]}; {clause}"
        else:
            steps.append(["", clause])
    return _merge_steps(steps)


def _merge_steps(steps: list[list[str]]) -> list[tuple[str, str]]:
    """Give leading unclear text to the first clear step and join repeated teams."""
    if steps and not steps[0][0]:
        if len(steps) < 2:
            return []
        steps[1][1] = f"{steps[0][1]}; {steps[1][1]}"
        steps = steps[1:]
    merged: dict[str, str] = {}
    for team, text in steps:
        merged[team] = f"{merged[team]}; {text}" if team in merged else text
    if len(merged) < 2:
        return []
    return list(merged.items())
