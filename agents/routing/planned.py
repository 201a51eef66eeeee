"""A task's plan as the router makes it before the step check and the team finder (what their training reads)."""

from __future__ import annotations

from dataclasses import dataclass

from agents.routing.coverage import Coverage, TaskParts
from agents.routing.explain import Evidence
from agents.routing.segments import PlanSegment, TeamScore


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
