"""Plan figures for bench/routing.py: exact team sets, stated orders, false plans (imported, not run).

A plans file holds {"text", "teams", "before", "also_ok"} per line: ``teams`` is the exact set of
teams the task needs, ``before`` pairs [a, b] say b's step must come after a's (directly or
through other steps), ``also_ok`` lists other acceptable sets.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class PlanCase:
    text: str
    teams: frozenset[str]
    before: tuple[tuple[str, str], ...] = ()
    also_ok: tuple[frozenset[str], ...] = ()


@dataclass
class PlanFigures:
    tasks: int = 0
    exact: int = 0
    orders: int = 0
    orders_kept: int = 0
    reversed: int = 0  # stated a -> b, planned b -> a
    confident: int = 0  # plans at or above the autopilot threshold (0.8)
    confident_exact: int = 0  # ... with the exact team set
    ms: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)


def is_plans_file(path: Path) -> bool:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            return "teams" in json.loads(line)
    return False


def load_cases(path: Path) -> list[PlanCase]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        cases.append(PlanCase(row["text"], frozenset(row["teams"]),
                              tuple((a, b) for a, b in row.get("before", ())),
                              tuple(frozenset(s) for s in row.get("also_ok", ()))))
    return cases


def after(plan: Any, first: str, then: str) -> bool:
    """True when some step of team ``then`` waits (directly or not) for a step of team ``first``."""
    return bool(plan.waits_for(first, then))


def score_plans(triage: Any, cases: list[PlanCase], *, show_errors: bool) -> PlanFigures:
    figures = PlanFigures()
    for case in cases:
        start = time.perf_counter()
        plan = triage(case.text).plan
        figures.ms.append((time.perf_counter() - start) * 1000)
        teams = frozenset(plan.teams)
        figures.tasks += 1
        ok = teams == case.teams or teams in case.also_ok
        figures.exact += ok
        sure = (plan.confidence if plan.confidence is not None else 0.0) >= 0.8
        figures.confident += sure
        figures.confident_exact += sure and ok
        bad_orders = []
        for a, b in case.before:
            figures.orders += 1
            if after(plan, a, b):
                figures.orders_kept += 1
            else:
                bad_orders.append(f"{a}->{b}")
                figures.reversed += after(plan, b, a)
        if show_errors and (not ok or bad_orders):
            steps = "; ".join(f"{s.key}[{s.team}]<{','.join(s.depends_on)}> {s.text[:50]!r}" for s in plan.steps)
            figures.misses.append(f"  want {sorted(case.teams)} {' '.join(bad_orders)} | {case.text[:90]!r}\n"
                                  f"      got {plan.shape}: {steps}")
    return figures


def plans_report(figures: PlanFigures, percentile: Any) -> str:
    n = max(1, figures.tasks)
    lines = [
        f"multi-team tasks:    {figures.tasks}",
        f"exact team set:      {figures.exact / n:.1%} ({figures.exact}/{figures.tasks})",
        f"stated order kept:   {figures.orders_kept / max(1, figures.orders):.1%} "
        f"({figures.orders_kept}/{figures.orders}); reversed: {figures.reversed}",
        f"confident plans:     {figures.confident}/{figures.tasks}, exact set on "
        f"{figures.confident_exact / max(1, figures.confident):.1%} of them",
        f"route+plan ms:       p50 {percentile(figures.ms, 50):.2f}  p95 {percentile(figures.ms, 95):.2f}  "
        f"max {max(figures.ms, default=0):.2f}",
    ]
    return "\n".join(lines + figures.misses)


def false_plans(triage: Any, texts: list[str], *, show_errors: bool) -> tuple[int, list[float], list[str]]:
    """How many one-team tasks got a plan for several teams, the route+plan times, and the cases."""
    count, ms, cases = 0, [], []
    for text in texts:
        start = time.perf_counter()
        plan = triage(text).plan
        ms.append((time.perf_counter() - start) * 1000)
        if len(plan.teams) >= 2:
            count += 1
            if show_errors:
                cases.append(f"  false plan {plan.teams}: {text[:100]!r}")
    return count, ms, cases
