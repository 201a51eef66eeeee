"""A task as the founder sees it: the plan's shape, the result, the budgets and the attachments.

The result follows the shape: every variant of a fan-out, the combined result of a map-reduce,
the last stage of each item of a pipeline, each team's part of a graph, the one output of a
single, verify or loop plan. These are exactly the plan's reviewed steps (map steps and
intermediate pipeline stages feed another step and are not the result).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agents.grounding import citations
from app.knowledge.present import TaskGrounding, outbound_json

from app.core.settings import Budgets
from app.store.snapshot import TaskSnapshot
from app.tasks.attachments import Attachment
from app.tasks.budgets import budget_lines

SHAPE_WORDS = {
    "single": "one step", "graph": "a step per team, in dependency order", "fanout": "one step per item",
    "mapreduce": "one step per item, then one that combines them", "pipeline": "each item through the stages",
    "verify": "judged by several critics", "loop": "reworked until a check passes",
}


@dataclass(frozen=True)
class ResultPart:
    key: str
    team: str
    label: str  # what this part is: the item, the team's part
    output: str | None  # None while not done


@dataclass(frozen=True)
class TaskOverview:
    shape: str | None
    step_count: int
    parts: tuple[ResultPart, ...]
    budgets: tuple[dict[str, Any], ...]
    attachments: tuple[Attachment, ...]
    grounding: TaskGrounding = TaskGrounding()  # profile facts and sections the steps used; outbound drafts

    @property
    def citations(self) -> list[dict[str, str]]:
        """Every ``[kb: file § section]`` the result cites."""
        cited = [c for p in self.parts if p.output for c in citations(p.output)]
        return [{"source": c.source, "section": c.section} for c in dict.fromkeys(cited)]

    @property
    def result(self) -> str | None:
        """The whole result as one text (parts under headings when there are several); None before any."""
        done = [p for p in self.parts if p.output is not None]
        if not done:
            return None
        if len(self.parts) == 1:
            return done[0].output
        return "\n\n".join(f"## {p.label}\n\n{p.output}" for p in done)

    def to_json(self) -> dict[str, Any]:
        return {
            "shape": self.shape, "plan_steps": self.step_count, "result": self.result,
            "result_parts": [{"key": p.key, "team": p.team, "label": p.label, "output": p.output} for p in self.parts],
            "budgets": {b["name"]: {"allowed": b["allowed"], "used": b["used"], "own": b["own"]} for b in self.budgets},
            "attachments": [{"name": a.name, "chars": a.chars} for a in self.attachments],
            "citations": self.citations,
            "profile_facts": list(self.grounding.profile_facts),
            "kb_sources": list(self.grounding.sources),
            "outbound": [outbound_json(d) for d in self.grounding.drafts],
        }


def overview(task: TaskSnapshot, defaults: Budgets, attachments: tuple[Attachment, ...] = (), *,
             grounding: TaskGrounding = TaskGrounding()) -> TaskOverview:
    plan = task.plan
    parts: list[ResultPart] = []
    if plan is not None:
        outputs = task.outputs()
        reviewed = [s for s in plan.steps if s.review] or list(plan.steps[-1:])
        for n, step in enumerate(reviewed, start=1):
            row = outputs.get(step.key)
            parts.append(ResultPart(key=step.key, team=step.team, label=_label(plan.shape, n, step.team, step.text),
                                    output=row.output if row is not None else None))
    return TaskOverview(shape=plan.shape if plan else None, step_count=len(plan.steps) if plan else 0,
                        parts=tuple(parts), budgets=tuple(budget_lines(task, defaults)), attachments=attachments,
                        grounding=grounding)


def _label(shape: str, n: int, team: str, text: str) -> str:
    short = " ".join(text.split())
    short = short if len(short) <= 70 else short[:67].rstrip() + "..."
    match shape:
        case "fanout":
            return f"Variant {n}: {short}"
        case "pipeline":
            return f"Item {n}: {short}"
        case "graph":
            return f"{team}: {short}"
        case "mapreduce":
            return "Combined result"
        case _:
            return short
