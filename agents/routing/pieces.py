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
from dataclasses import replace
from typing import TYPE_CHECKING

from agents.routing.segments import PlanSegment

if TYPE_CHECKING:
    from agents.routing.clauses import Clause
    from agents.routing.coverage import Coverage, TaskParts

PIECE_SURE = 0.3  # a piece read alone gives a team the plan lacks at least this much ...
PIECE_WHOLE = 0.03  # ... the whole task gives that team at least this ...
PIECE_MULTI = 0.2  # ... and, for a task the plan keeps as one team's, several teams are at least this likely
MIN_WORDS = 2  # a shorter piece says too little to be read alone
# Where a clause's pieces part: quick typing's marks and dashes, commas, "and", "then", "plus", "w/".
_MARKS = re.compile(r"\s+[/+&—–]\s+|\s*->\s*|;\s*|,\s+(?:and\s+|then\s+)?|\s+and\s+(?:then\s+|also\s+)?|\s+then\s+"
                    r"|\s+plus\s+|\s+w/\s+", re.IGNORECASE)
_PARENS = re.compile(r"\([^()]*\)")
_LATER_MARK = re.compile(r"->|\bthen\b", re.IGNORECASE)  # the mark before a piece says it comes after
_LATER_WORD = re.compile(r"^(?:then|after(?:wards)?|once|when)\b", re.IGNORECASE)
# "Once that works in the app,", "when it's on staging,": a condition (a conjunction and a state), not "after all that
# put up a blog post," (an ask with its order in front)
WAITED_FOR = re.compile(r"^(?:once|after|when(?:ever)?|as\s+soon\s+as|if|before|until|unless)\s+(?:[\w'’/-]+\s+){0,4}?"
                        r"(?:[\w-]*['’]s\b|(?:is|are|was|"
                        r"were|has|have|had|gets?|got|goes|went|works|ships|shipped|lands|landed|launches|launched|"
                        r"merged|done|live|ready|finished|completed?|signs|signed|passes|passed|comes|approved|fixed|"
                        r"deployed|out|exists?)\b)", re.IGNORECASE)
# a step that opens on the work before it: "Once we know which ones to target, ...", "Off the back of that ...",
# "using that summary rewrite ...", "after all that send ..."
_OPENS_LATER = re.compile(r"^(?:and\s+|so\s+)?(?:then|afterwards|after\s+(?:that|this|all\s+that|which|it|them|the|we|they)\b|"
                          r"once\s+(?!a\s+|per\s+|every\s+)|when\s+(?:it|that|this|they|we|you|those|these)\b|"
                          r"off\s+the\s+back\s+of|(?:using|based\s+on|from|with)\s+(?:that|this|it|these|those|them)\b)",
                          re.IGNORECASE)
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
    inside = [(m.start(), m.end()) for m in _PARENS.finditer(text)]  # "stand up the stack (terraform, mirror prod)": one piece
    marks = [m for m in _MARKS.finditer(text) if not any(a < m.start() < b for a, b in inside)]
    for mark in [*marks, None]:
        end = mark.start() if mark else len(text)
        piece = text[start:end].strip(" ,;.")
        if mark is not None and mark.group().lstrip().startswith(",") and WAITED_FOR.match(piece):
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
    asks = [clause for clause in task.clauses if clause.request]
    readings = [(n, piece, later, task.read(piece)) for n, clause in enumerate(task.clauses) if clause.request
                for piece, later in pieces(clause.text)  # context ("the 502s since the upgrade") asks for nothing
                if segments or len(asks) > 1 or piece.strip() != clause.text.strip()]  # the one ask whole: the task's
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


def _starts(step: PlanSegment, kept: PlanSegment, clauses: Sequence[Clause]) -> int:
    """Where a step starts in the text once a piece has left it: the first clause any part of what is left comes
    from (the first clause it was made of when none can be found)."""
    found = [k for part in kept.text.split("; ") if part.strip() for k, c in enumerate(clauses) if part.strip() in c.text]
    return min(found) if found else first_clause(step, clauses)


def joined(plan: list[PlanSegment], task: TaskParts, n: int, piece: str, later: bool, team: str,
            sure: float) -> list[PlanSegment]:
    """The plan with the piece as a step of its own, placed where its clause sits in the text; the piece leaves
    the step it was part of; a piece the text says comes later waits for the steps before it."""
    kept = []
    for s in plan:
        rest = s.text.replace(piece, " ").strip() if piece in s.text and s.text.strip() != piece else s.text
        kept.append(replace(s, text=_DANGLING.sub("", rest).strip(" ,;") or s.text))
    clause = task.clauses[n]
    front = clause.text.startswith(piece)  # "Once the STK push is built and deployed ...": before the clause's rest
    starts = [_starts(s, k, task.clauses) for s, k in zip(plan, kept, strict=True)]
    at = sum(1 for m in starts if m < n or (m == n and not front))
    out = [replace(s, follows=tuple(i + (i >= at) for i in s.follows)) for s in kept]
    waits = later or (clause.request and (clause.later or clause.refers) and not clause.text.startswith(piece))
    out.insert(at, PlanSegment(team, piece, confidence=sure, follows=tuple(range(at)) if waits else ()))
    for k in range(at + 1, len(out)):  # a step written after it that says it comes later now waits for it too
        s, m = out[k], first_clause(out[k], task.clauses)  # ("DB migration this weekend. Once it's finished, ...")
        if n < m < len(task.clauses) and (task.clauses[m].then or task.clauses[m].later) and at not in s.follows:
            out[k] = replace(s, follows=tuple(sorted({*s.follows, at})))
    return out


def said_later(segments: tuple[PlanSegment, ...]) -> tuple[PlanSegment, ...]:
    """The plan where a step that waits for nothing yet opens by saying it comes after the work before it ("Once we
    have them, build a 50/50 split on the page", "using that summary rewrite the homepage") waits for the steps
    before it. When an earlier step waits for it, the step goes first unless it goes on past its condition ("Once we
    have them, build ..."): then the text's order wins and the earlier wait is dropped. No step waits on itself."""
    out = list(segments)
    for k in range(1, len(out)):
        s = out[k]
        first = s.text.split("; ")[0].strip()
        if s.follows or s.parallel or not (_OPENS_LATER.match(first) or WAITED_FOR.match(first) or _ends_later(first)):
            continue
        if any(e.text.strip() == s.text.strip() for e in out[:k]):
            continue  # the whole task for two teams: its opening orders neither before the other
        # "Once we have them, build the split": the text's order outweighs an earlier step's wait for this one;
        # "once the devs have renamed the event types" alone is the work the earlier step waits for
        trial = [replace(e, follows=tuple(i for i in e.follows if i != k)) if j < k and "," in first else e
                 for j, e in enumerate(out)]
        trial[k] = replace(s, follows=tuple(range(k)))
        if not _cyclic(trial):
            out = trial
    return tuple(out)


# where a condition may start after the words of a step: "help doc written after the UI is final"
_TRAILING_WHEN = re.compile(r"(?<=\w)[,\s]+(?=(?:once|after|when|as\s+soon\s+as)\s)", re.IGNORECASE)


def _ends_later(text: str) -> bool:
    """A step whose words end on a condition on work done: "help doc written after the UI is final", "tell the 9
    customers how to turn it on, once the doc exists" (not "reply to them after the outage": no state)."""
    return any(WAITED_FOR.match(text[m.end():]) for m in _TRAILING_WHEN.finditer(text))


def _cyclic(segments: Sequence[PlanSegment]) -> bool:
    """Whether some step waits, through the steps it waits for, on itself."""
    def reaches(start: int) -> set[int]:
        seen: set[int] = set()
        todo = list(segments[start].follows)
        while todo:
            n = todo.pop()
            if n not in seen and 0 <= n < len(segments):
                seen.add(n)
                todo.extend(segments[n].follows)
        return seen
    return any(k in reaches(k) for k in range(len(segments)))
