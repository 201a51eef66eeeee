"""Multi-team plans: one step per team's part, the order the text states, team stages as the fallback.

Dependencies come from the words of the task (``PlanSegment.follows``). Where the text says
nothing about two parts, the team stages decide: a later part of the text waits for an earlier
part whose team works at an earlier stage (the software before its announcement); parts of teams
at the same stage, and parts the text runs "in parallel", run side by side. Two teams' steps made of
the very same words ("could we build the SMS waitlist and get it out to production": the planner
heard both teams in one clause) wait for each other only where the planner found each team's own words
in a different part of the text; else the stages order them whichever comes first in the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from agents.routing.router import PlanSegment, Router
from teams import TEAMS
from teams.base import TeamSpec

DEFAULT_STAGE = 50
StageOf = Callable[[str], int]


@dataclass(frozen=True)
class GraphStep:
    key: str
    team: str
    text: str
    depends_on: tuple[str, ...]
    confidence: float


def stage_lookup(router: Router, teams: Mapping[str, TeamSpec] | None = None) -> StageOf:
    """A team's stage: its own, or (a founder's team without one) that of the built-in team its charter routes to."""
    catalogue: Mapping[str, TeamSpec] = teams if teams is not None else TEAMS
    profiles = {p.name: p.description for p in router.teams}
    cache: dict[str, int] = {}

    def known(name: str) -> int | None:
        spec = catalogue.get(name)
        return spec.stage if spec is not None else None

    def stage(name: str) -> int:
        if name not in cache:
            value = known(name)
            if value is None:
                spec = catalogue.get(name)
                charter = (spec.owns if spec is not None else "") or profiles.get(name, "")
                value = DEFAULT_STAGE
                if charter:
                    decision = router.route(charter)
                    for team in (decision.team, *(a.team for a in decision.alternatives)):
                        other = known(team) if team != name else None
                        if other is not None:
                            value = other
                            break
            cache[name] = value
        return cache[name]

    return stage


def graph_steps(segments: Sequence[PlanSegment], stage: StageOf) -> tuple[GraphStep, ...]:
    """Steps s1..sn in the text's order; each depends only on the steps it directly waits for."""
    n = len(segments)
    after: list[set[int]] = [set() for _ in range(n)]  # after[j]: steps j waits for

    def waits(j: int, i: int) -> bool:  # does j wait for i, directly or not?
        todo, seen = [j], set()
        while todo:
            k = todo.pop()
            for d in after[k]:
                if d == i:
                    return True
                if d not in seen:
                    seen.add(d)
                    todo.append(d)
        return False

    def add(j: int, i: int) -> None:
        if i != j and not waits(i, j):  # never a cycle: the text's first word on it wins
            after[j].add(i)

    def shared(i: int, j: int) -> bool:  # one clause heard as two teams' work: its words give no order
        return segments[i].team != segments[j].team and segments[i].text.strip() == segments[j].text.strip()

    for j, segment in enumerate(segments):
        for i in segment.follows:  # the planner orders two teams' steps of the same words by where each one's words are
            if 0 <= i < n:
                add(j, i)
    for j in range(n):
        for i in range(j):
            if segments[i].parallel or segments[j].parallel or waits(j, i) or waits(i, j):
                continue
            if stage(segments[i].team) < stage(segments[j].team):
                add(j, i)
            elif shared(i, j) and stage(segments[j].team) < stage(segments[i].team):
                add(i, j)
    for j in range(n):  # keep only direct dependencies
        after[j] = {i for i in after[j] if not any(k != i and _reaches(after, k, i) for k in after[j])}
    return tuple(GraphStep(key=f"s{j + 1}", team=s.team, text=s.text,
                           depends_on=tuple(f"s{i + 1}" for i in sorted(after[j])), confidence=s.confidence)
                 for j, s in enumerate(segments))


def _reaches(after: list[set[int]], start: int, target: int) -> bool:
    todo, seen = [start], {start}
    while todo:
        k = todo.pop()
        for d in after[k]:
            if d == target:
                return True
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return False


def plan_confidence(steps: Sequence[GraphStep]) -> tuple[float, str]:
    """How sure the CEO is of the plan (its least clear step), and what it is least sure about."""
    weakest = min(steps, key=lambda s: s.confidence)
    doubt = (f"step {weakest.key} ({weakest.team}: {_short(weakest.text)}) is the least clear part"
             if weakest.confidence < 1.0 else "")
    return weakest.confidence, doubt


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= limit else f'"{text[:limit - 1].rstrip()}…"'
