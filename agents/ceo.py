"""The CEO's triage: which team owns a task, how sure it is, and the plan of steps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from agents.router import PlanSegment, RouteDecision, Router, TeamScore

# Which teams' work a step waits for when both are in one plan (unknown teams wait for none).
UPSTREAM: dict[str, frozenset[str]] = {
    "code": frozenset(),
    "devops": frozenset({"code"}),
    "content": frozenset({"code"}),
    "marketing": frozenset({"code", "devops", "content"}),
    "sales": frozenset({"code", "content", "marketing"}),
    "support": frozenset({"code", "devops", "content"}),
}


@dataclass(frozen=True)
class PlannedStep:
    key: str
    team: str
    text: str
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    shape: Literal["single", "graph"]
    steps: tuple[PlannedStep, ...]

    @property
    def teams(self) -> tuple[str, ...]:
        return tuple(s.team for s in self.steps)


@dataclass(frozen=True)
class Triage:
    route: RouteDecision
    plan: Plan


def single_plan(team: str, text: str) -> Plan:
    return Plan(shape="single", steps=(PlannedStep(key="s1", team=team, text=text),))


def plan_from_segments(segments: tuple[PlanSegment, ...]) -> Plan:
    steps: list[PlannedStep] = []
    for index, segment in enumerate(segments, start=1):
        upstream = UPSTREAM.get(segment.team, frozenset())
        deps = tuple(s.key for s in steps if s.team in upstream)
        steps.append(PlannedStep(key=f"s{index}", team=segment.team, text=segment.text, depends_on=deps))
    return Plan(shape="graph", steps=tuple(steps))


def triage(router: Router, text: str, *, forced_team: str | None = None) -> Triage:
    """Route ``text``; the founder's own choice of team (``forced_team``) wins with full confidence."""
    if forced_team is not None:
        decision = RouteDecision(
            team=forced_team,
            confidence=1.0,
            rationale=f"The founder assigned this task to the {forced_team} team.",
            alternatives=tuple(a for a in router.route(text).alternatives if a.team != forced_team)
            or (TeamScore(team=forced_team, score=1.0),),
        )
        return Triage(route=decision, plan=single_plan(forced_team, text))
    decision = router.route(text)
    if decision.is_multi_team:
        return Triage(route=decision, plan=plan_from_segments(decision.segments))
    return Triage(route=decision, plan=single_plan(decision.team, text))
