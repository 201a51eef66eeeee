"""A task's plan as the router makes it before the step check and the team finder (what their training reads)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from agents.routing.clauses import Clause
from agents.routing.context import doers, team_news
from agents.routing.coverage import Coverage, TaskParts
from agents.routing.explain import Evidence
from agents.routing.segments import ClauseVerdict, PlanSegment, SegmentRules, TeamScore, acts


@dataclass(frozen=True)
class Planned:
    """A task's routing (best first), its evidence, the team its phrases alone pick, its plan before the step
    check, and the coverage readings of the task and of the task without its material (None without a reader)."""

    ranked: tuple[TeamScore, ...]
    evidence: Evidence
    phrases: str
    segments: tuple[PlanSegment, ...]
    heard: Coverage | None
    core: Coverage | None
    task: TaskParts | None = None  # the task as the mending read it (None without a reader)
    done: frozenset[str] = frozenset()  # the teams the task says did their part ("Devops finished the cluster"): no step


def deciding(clauses: Sequence[Clause], news: set[int], done: frozenset[str],
             agents: Mapping[str, str]) -> tuple[list[Clause], bool]:
    """The clauses whose teams decide the task's team past a team that did its part, and whether they are requests:
    the requests that say what to do (any request when no team is done: not "Tom's refund mess" before "support
    already sorted the refund"); when none, the rest of the task past what the doers did ("devops already set up
    the Redis instance. now the app side: cache ...")."""
    asked = [c for c in clauses if c.request and (acts(c) or not done)]
    if asked:
        return asked, True
    return [c for c in clauses if not (c.title or id(c) in news or team_news(c.text, agents) or doers([c.text], agents))], False


def past_the_doer(ranked: Sequence[TeamScore], asked: Sequence[ClauseVerdict], done: frozenset[str], *,
                  rules: SegmentRules = SegmentRules()) -> tuple[TeamScore, ...]:
    """``ranked`` with the task's own team taken from its requests when the team it ranks first is one the task
    says already did its part ("support answered her already. fix the send window": code, not support).

    Only where every clear request (by ``rules``) points to one other team and none to the doer; else ``ranked`` as it is. The
    two teams swap their scores, so the task is as sure of its team as before."""
    top = ranked[0]
    if top.team not in done:
        return tuple(ranked)
    clear = {v.team for v in asked if v.raw >= rules.min_raw and v.sureness >= rules.min_confidence}
    if len(clear) != 1 or top.team in clear or any(v.team == top.team for v in asked):
        return tuple(ranked)
    (team,) = clear
    if team not in {s.team for s in ranked}:
        return tuple(ranked)
    other = next(s for s in ranked if s.team == team)
    swapped = [TeamScore(team, top.score) if s is top else TeamScore(top.team, other.score) if s is other else s
               for s in ranked]
    return tuple(sorted(swapped, key=lambda s: -s.score))
