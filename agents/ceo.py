"""The CEO's triage: which team owns a task, how sure it is, and the plan of steps.

Plan shapes: single step; graph (steps for several teams with dependencies); fanout (one
step per item, run with a concurrency limit); mapreduce (a step per item, then one that
combines them); pipeline (each item flows through stages without waiting for the others);
verify (several critics judge, a threshold decides); loop (rework until a check passes).
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Literal, get_args

from agents.plan_graph import graph_steps, plan_confidence, stage_lookup
from agents.planner import LengthCheck, Shape, counted_stage, read_shape
from agents.routing.examples import ExampleIndex, IndexedExample
from agents.routing.router import MAX_ROUTE_CHARS, PlanSegment, RouteDecision, Router, TeamScore
from teams.base import TeamSpec

ShapeName = Literal["single", "graph", "fanout", "mapreduce", "pipeline", "verify", "loop"]
SHAPES: tuple[str, ...] = get_args(ShapeName)
DEFAULT_CONCURRENCY = 2
DEFAULT_CRITICS = 3
LOOP_ITERATIONS = 4

@dataclass(frozen=True)
class PlannedStep:
    key: str
    team: str
    text: str
    depends_on: tuple[str, ...] = ()
    review: bool = True  # the CEO reviews this step's output (map steps feed a reduce instead)


@dataclass(frozen=True)
class Plan:
    shape: ShapeName
    steps: tuple[PlannedStep, ...]
    concurrency: int = 1
    critics: int = 1  # reviewers per output
    threshold: int = 1  # passes needed among the critics
    check: LengthCheck | None = None  # for loops: rework until it passes
    max_iterations: int = 0
    confidence: float | None = None  # the plan's own (multi-team plans); None: the routing's confidence
    doubt: str = ""  # what the CEO is least sure of in the plan

    def waits_for(self, first: str, then: str) -> bool:
        """True when a step of team ``then`` waits, directly or through other steps, for a step of ``first``."""
        by_key = {s.key: s for s in self.steps}
        for step in self.steps:
            if step.team != then:
                continue
            seen: set[str] = set()
            todo = list(step.depends_on)
            while todo:
                key = todo.pop()
                if key in seen or key not in by_key:
                    continue
                seen.add(key)
                if by_key[key].team == first:
                    return True
                todo.extend(by_key[key].depends_on)
        return False

    @property
    def teams(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.team for s in self.steps))

    def to_json(self) -> dict[str, Any]:
        return {
            "shape": self.shape, "concurrency": self.concurrency, "critics": self.critics,
            "threshold": self.threshold, "max_iterations": self.max_iterations,
            "check": None if self.check is None else {"max_words": self.check.max_words,
                                                      "max_chars": self.check.max_chars},
            "steps": [{"key": s.key, "team": s.team, "text": s.text, "depends_on": list(s.depends_on),
                       "review": s.review} for s in self.steps],
            "confidence": self.confidence, "doubt": self.doubt,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        check = data.get("check")
        return cls(
            shape=data["shape"], concurrency=int(data.get("concurrency", 1)), critics=int(data.get("critics", 1)),
            threshold=int(data.get("threshold", 1)), max_iterations=int(data.get("max_iterations", 0)),
            check=LengthCheck(**check) if check else None,
            confidence=None if data.get("confidence") is None else float(data["confidence"]),
            doubt=str(data.get("doubt") or ""),
            steps=tuple(PlannedStep(key=s["key"], team=s["team"], text=s["text"], depends_on=tuple(s["depends_on"]),
                                    review=bool(s.get("review", True))) for s in data["steps"]),
        )


@dataclass(frozen=True)
class PlanExample:
    """A plan the founder set for a task text: the planner reuses it for the same task."""

    text: str
    plan: Plan


RECALL_SIMILARITY = 0.9  # a founder's plan is reused for texts at least this similar


def recall(examples: Sequence[PlanExample], text: str) -> tuple[Plan, float] | None:
    """The founder's plan for (nearly) this text, newest first, and how similar the texts are."""
    if not examples:
        return None
    index = _example_index(tuple(examples))
    best = index.neighbours(text, limit=1)
    if not best or best[0].similarity < RECALL_SIMILARITY:
        return None
    return examples[int(best[0].example.source)].plan, best[0].similarity


@lru_cache(maxsize=4)
def _example_index(examples: tuple[PlanExample, ...]) -> ExampleIndex:
    # newest first, so that among equals the founder's latest edit wins
    rows = [IndexedExample(e.text, "plan", 1.0, str(i)) for i, e in reversed(list(enumerate(examples)))]
    return ExampleIndex(rows, max_chars=MAX_ROUTE_CHARS)


@dataclass(frozen=True)
class Triage:
    route: RouteDecision
    plan: Plan


def single_plan(team: str, text: str) -> Plan:
    return Plan(shape="single", steps=(PlannedStep(key="s1", team=team, text=text),))


def plan_from_segments(segments: tuple[PlanSegment, ...], router: Router, *,
                       teams: Mapping[str, TeamSpec] | None = None) -> Plan:
    """A graph plan: a step per team's part, ordered as the text says (team stages as the fallback)."""
    graph = graph_steps(segments, stage_lookup(router, teams))
    confidence, doubt = plan_confidence(graph)
    steps = tuple(PlannedStep(key=g.key, team=g.team, text=g.text, depends_on=g.depends_on) for g in graph)
    return Plan(shape="graph", steps=steps, concurrency=DEFAULT_CONCURRENCY, confidence=confidence, doubt=doubt)


def plan_for_shape(shape: Shape, team: str, text: str, router: Router) -> Plan:
    """Steps for the shape the task asks for, owned by ``team`` (pipelines route each stage)."""
    what = shape.instruction or text
    match shape.kind:
        case "fanout":
            steps = tuple(PlannedStep(key=f"i{n}", team=team, text=f"{what} ({item})")
                          for n, item in enumerate(shape.items, start=1))
            return Plan(shape="fanout", steps=steps, concurrency=DEFAULT_CONCURRENCY)
        case "mapreduce":
            maps = tuple(PlannedStep(key=f"m{n}", team=team, review=False,
                                     text=f"Work on this one item only: {item}. (The whole task: {what})")
                         for n, item in enumerate(shape.items, start=1))
            reduce = PlannedStep(key="reduce", team=team, depends_on=tuple(m.key for m in maps),
                                 text=f"{what} Combine the work done on each item into one result.")
            return Plan(shape="mapreduce", steps=(*maps, reduce), concurrency=DEFAULT_CONCURRENCY)
        case "pipeline":
            teams = [_stage_team(router, stage, team) for stage in shape.stages]
            fanned = counted_stage(shape.stages) if shape.counted else None
            if fanned is not None:
                return _counted_pipeline(shape, teams, fanned)
            steps_list: list[PlannedStep] = []
            for n, item in enumerate(shape.items, start=1):
                for k, (stage, stage_team) in enumerate(zip(shape.stages, teams, strict=True), start=1):
                    steps_list.append(PlannedStep(
                        key=f"i{n}s{k}", team=stage_team, text=f"{stage} ({item})",
                        depends_on=(f"i{n}s{k - 1}",) if k > 1 else (), review=k == len(shape.stages)))
            return Plan(shape="pipeline", steps=tuple(steps_list), concurrency=DEFAULT_CONCURRENCY)
        case "verify":
            return Plan(shape="verify", steps=(PlannedStep(key="s1", team=team, text=text),),
                        critics=DEFAULT_CRITICS, threshold=DEFAULT_CRITICS // 2 + 1)
        case "loop":
            return Plan(shape="loop", steps=(PlannedStep(key="s1", team=team, text=text),),
                        check=shape.check, max_iterations=LOOP_ITERATIONS)
        case _:
            return single_plan(team, text)


def _counted_pipeline(shape: Shape, teams: Sequence[str], fanned: int) -> Plan:
    """'Research the sale, then write 3 posts, then schedule them': the counted stage once per piece, the
    stages before it once (each piece waits for them) and the stages after it once (they wait for every piece).
    No longer one item through the stages, it is a graph of steps."""
    steps: list[PlannedStep] = []
    last: tuple[str, ...] = ()
    for k, (stage, stage_team) in enumerate(zip(shape.stages, teams, strict=True), start=1):
        final = k == len(shape.stages)
        if k - 1 == fanned:
            pieces = tuple(PlannedStep(key=f"i{n}", team=stage_team, text=f"{stage} ({item})", depends_on=last,
                                       review=final) for n, item in enumerate(shape.items, start=1))
            steps.extend(pieces)
            last = tuple(p.key for p in pieces)
        else:
            steps.append(PlannedStep(key=f"s{k}", team=stage_team, text=stage, depends_on=last, review=final))
            last = (f"s{k}",)
    return Plan(shape="graph", steps=tuple(steps), concurrency=DEFAULT_CONCURRENCY)


_STAGE_SURE = 0.3  # a stage ("document it") is a few words: the labelled sets' vote spreads its confidence thin
# (content 0.34 for "document it" with the 643 labelled files learnt, devops next at 0.30)


def _stage_team(router: Router, stage: str, fallback: str) -> str:
    decision = router.route(stage)
    return decision.team if decision.confidence >= _STAGE_SURE else fallback


def triage(router: Router, text: str, *, forced_team: str | None = None, shape: str | None = None,
           teams: Mapping[str, TeamSpec] | None = None, examples: Sequence[PlanExample] = ()) -> Triage:
    """Route ``text`` and plan it; the founder's own team (``forced_team``) wins with full confidence.

    ``teams`` is the catalogue (built-in and the founder's); by default the built-in teams.
    ``examples`` are plans the founder set: one for (nearly) the same text is reused.
    """
    decision = router.route(text)
    known = teams if teams is not None else {p.name: None for p in router.teams}
    remembered = recall(examples, text) if forced_team is None and shape is None else None
    if remembered is not None and all(t in known for t in remembered[0].teams):
        plan, similarity = remembered
        plan = Plan(**{**plan.__dict__, "confidence": similarity,
                       "doubt": "" if similarity >= 0.999 else "a plan you set for a similar task is reused"})
        return Triage(route=decision, plan=plan)
    if forced_team is not None:
        alternatives = tuple(a for a in (TeamScore(decision.team, decision.confidence), *decision.alternatives)
                             if a.team != forced_team)
        decision = RouteDecision(team=forced_team, confidence=1.0,
                                 rationale=f"The founder assigned this task to the {forced_team} team.",
                                 alternatives=alternatives)
    read = read_shape(text, max_chars=MAX_ROUTE_CHARS)
    if shape is not None and shape != read.kind:
        read = Shape(kind=shape, items=read.items, instruction=read.instruction, stages=read.stages,
                     check=read.check)
    # several teams asked for win over one team's fan-out, over a count of pieces ("then three posts") and over
    # an "until" that is no check ("until it ships") and over a check word said of another team's work ("once the
    # redirects are verified, announce it"); a list the founder wrote out keeps its map-reduce or pipeline
    several = (read.kind in ("single", "fanout", "verify") or (read.kind == "loop" and read.check is None)
               or (read.kind in ("pipeline", "mapreduce") and read.counted))
    if decision.is_multi_team and forced_team is None and several and shape in (None, "single"):
        # several teams asked for (a to-do list, "write 3 posts and build the widget") win over one team's fan-out
        return Triage(route=decision, plan=plan_from_segments(decision.segments, router, teams=teams))
    if read.kind in ("fanout", "mapreduce", "pipeline") and not read.items:
        read = Shape(kind="single", instruction=text)
    if read.kind == "pipeline" and not read.stages:
        read = Shape(kind="fanout", items=read.items, instruction=read.instruction)
    return Triage(route=decision, plan=plan_for_shape(read, decision.team, text, router))


def wait_reason(route: RouteDecision, plan: Plan, *, manual: bool) -> str:
    """What the founder is told when a triaged task waits: about the plan when there is one, else the team."""
    if plan.confidence is not None and len(plan.teams) >= 2:
        why = "autopilot is off" if manual else f"the CEO is only {plan.confidence:.0%} sure of this plan"
        doubt = f" ({plan.doubt})" if plan.doubt and not manual else ""
        return (f"Waiting for you because {why}{doubt}: {len(plan.steps)} steps for {', '.join(plan.teams)}. "
                "Approve the plan, edit it (`bureau plan set`), or reassign the task to one team.")
    runner_up = route.alternatives[0].team if route.alternatives else "another team"
    why = "autopilot is off" if manual else f"the CEO is only {route.confidence:.0%} sure"
    return f"Waiting for you because {why}: {route.team} or {runner_up}? Approve the CEO's choice or reassign the task."
