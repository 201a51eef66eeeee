"""The pieces pass: a team the plan lacks, heard in one piece of a clause read alone.

A founder packs several asks into one clause with the marks of quick typing ("reply to that angry g2 review +
turn the nice ones into quote cards for insta", "dns for the webinar page & the landing copy"). The rules read
such a clause as one request, and the whole task's reading (coverage.py) may hear the second team only faintly
because most of the words are the first team's. Read alone, the piece "turn the nice ones into quote cards for
insta" is plainly marketing's. This pass reads each piece of each clause with the coverage reader and gives a
team the plan lacks a step of its own when a piece leans to it more than to any other team, fairly surely, and
the whole task gives the team at least a little weight; the step check (verify.py) then weighs the step. Only
requests are read: a clause of context or material ("the checkout has thrown 502s since the upgrade", a list a
friend sent) asks for nothing.
A task the plan keeps as one team's is only split when the reader also thinks several teams are asked, so a
one-team task's context ("after the deploy on Friday", "our blog post on PCI") stays material.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from agents.routing.segments import PlanSegment

if TYPE_CHECKING:
    from agents.routing.clauses import Clause
    from agents.routing.coverage import Coverage, TaskParts

PIECE_SURE = 0.3  # a piece read alone gives a team the plan lacks at least this much ...
PIECE_WHOLE = 0.03  # ... the whole task gives that team at least this ...
PIECE_MULTI = 0.2  # ... and, for a task the plan keeps as one team's, several teams are at least this likely
MIN_WORDS = 3  # a shorter piece says too little to be read alone
# Where a clause's pieces part: quick typing's marks and dashes, commas, "and", "then", "plus", "w/".
_MARKS = re.compile(r"\s+[/+&—–]\s+|\s*->\s*|;\s*|,\s+(?:and\s+|then\s+)?|\s+and\s+(?:then\s+|also\s+)?|\s+then\s+"
                    r"|\s+plus\s+|\s+w/\s+", re.IGNORECASE)
_LATER_MARK = re.compile(r"->|\bthen\b", re.IGNORECASE)  # the mark before a piece says it comes after
_LATER_WORD = re.compile(r"^(?:then|after(?:wards)?|once|when)\b", re.IGNORECASE)
# "Once that works in the app,", "when it's on staging,": a condition (a conjunction and a state), not "after all that
# put up a blog post," (an ask with its order in front)
_CONDITION = re.compile(r"^(?:once|after|when(?:ever)?|as\s+soon\s+as|if|before|until|unless)\s+(?:[\w'’/-]+\s+){0,4}?"
                        r"(?:[\w-]*['’]s\b|(?:is|are|was|"
                        r"were|has|have|had|gets?|got|goes|went|works|ships|shipped|lands|landed|launches|launched|"
                        r"merged|done|live|ready|finished|completed?|signs|signed|passes|passed|comes|approved|fixed|"
                        r"deployed|out)\b)", re.IGNORECASE)
# the marks a piece taken out of a step leaves dangling at its ends
_DANGLING = re.compile(r"\s+(?:[/+&—–]|->|and|then|plus|w/)?\s*(?=;|$)|^\s*(?:[/+&,—–]|->|and)\s+")


def first_clause(segment: PlanSegment, clauses: Sequence[Clause]) -> int:
    """The index of the first of the clauses a step is made of (``len(clauses)`` when none is whole in it)."""
    position = {c.text: k for k, c in enumerate(clauses)}
    spots = [position[p] for p in segment.text.split("; ") if p in position]
    return min(spots) if spots else len(clauses)


def pieces(text: str) -> list[tuple[str, bool]]:
    """A clause's pieces of at least ``MIN_WORDS`` words, each with whether the text says it comes later. A
    condition before a comma ("Once that works in the app, ...") is no piece: it says when the next one comes."""
    out: list[tuple[str, bool]] = []
    start, later, waits = 0, False, False
    for mark in [*_MARKS.finditer(text), None]:
        end = mark.start() if mark else len(text)
        piece = text[start:end].strip(" ,;.")
        if mark is not None and mark.group().lstrip().startswith(",") and _CONDITION.match(piece):
            waits = waits or bool(_LATER_WORD.match(piece))
        elif len(piece.split()) >= MIN_WORDS:
            out.append((piece, later or waits or bool(_LATER_WORD.match(piece))))
            waits = False
        if mark:
            start, later = mark.end(), bool(_LATER_MARK.search(mark.group()))
    return out


def with_pieces(segments: tuple[PlanSegment, ...], coverage: Coverage, task: TaskParts, *,
                known: frozenset[str]) -> tuple[PlanSegment, ...]:
    """The plan with a step for each team the plan lacks that a piece of a clause asks for (see the module's
    docstring); () stays () unless a team joins."""
    if task.read is None or not task.clauses or (not segments and coverage.multi < PIECE_MULTI):
        return segments
    involved = {s.team for s in segments} or {task.team}
    wanted = sorted((t for t in known if t not in involved and coverage.teams.get(t, 0.0) >= PIECE_WHOLE),
                    key=lambda t: -coverage.teams[t])
    if not wanted:
        return segments
    found: list[tuple[int, str, bool, str, float]] = []  # (clause index, piece, later, team, sureness)
    readings = [(n, piece, later, task.read(piece)) for n, clause in enumerate(task.clauses) if clause.request
                for piece, later in pieces(clause.text)]  # context ("the 502s since the upgrade") asks for nothing
    for team in wanted:
        best = None
        for n, piece, later, heard in readings:
            sure = heard.teams.get(team, 0.0)
            if sure >= PIECE_SURE and sure >= max(heard.teams.values()) and (best is None or sure > best[4]):
                best = (n, piece, later, team, sure)
        if best is not None and best[1] not in {f[1] for f in found} | {s.text.strip() for s in segments}:
            found.append(best)
    if not found:
        return segments
    plan = list(segments) or [PlanSegment(task.team, "; ".join(c.text for c in task.clauses), confidence=1.0)]
    for n, piece, later, team, sure in sorted(found):
        plan = joined(plan, task, n, piece, later, team, min(sure, coverage.teams[team]))
    return tuple(plan)


def joined(plan: list[PlanSegment], task: TaskParts, n: int, piece: str, later: bool, team: str,
            sure: float) -> list[PlanSegment]:
    """The plan with the piece as a step of its own, placed where its clause sits in the text; the piece leaves
    the step it was part of; a piece the text says comes later waits for the steps before it."""
    at = sum(1 for s in plan if first_clause(s, task.clauses) <= n)
    out = []
    for s in plan:
        rest = s.text.replace(piece, " ").strip() if piece in s.text and s.text.strip() != piece else s.text
        rest = _DANGLING.sub("", rest).strip(" ,;")
        out.append(PlanSegment(s.team, rest or s.text, s.confidence, tuple(i + (i >= at) for i in s.follows),
                               s.parallel))
    clause = task.clauses[n]
    waits = later or (clause.request and (clause.later or clause.refers) and not clause.text.startswith(piece))
    out.insert(at, PlanSegment(team, piece, confidence=sure, follows=tuple(range(at)) if waits else ()))
    return out
