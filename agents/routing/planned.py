"""A task's plan as the router makes it before the step check and the team finder (what their training reads)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agents.routing.coverage import Coverage, TaskParts
from agents.routing.explain import Evidence
from agents.routing.segments import ClauseVerdict, PlanSegment, SegmentRules, TeamScore


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
