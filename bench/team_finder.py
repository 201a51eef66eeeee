"""Train the team finder (does the task ask for a team its plan lacks?) and measure it on plans it never saw.

Usage: python bench/team_finder.py [--write] [--folds K] [--c C] [--cache DIR] [--rows FILE] [--measure FILE.jsonl ...]

Training rows come from plans the planner makes on tasks its coverage reader never saw: the labelled sets in
tests/data are held out K folds at a time (a set is never split, as in bench/step_check.py), a coverage reader
learns from the others, and the planner, with that reader, the shipped step check and without the finder, plans
the held-out tasks. Each team a plan lacks that the whole task gives at least ``HEARD_FLOOR`` is one row,
labelled by whether the task needs that team. The rows' chances are then predicted out of fold once more (whole
sets held out), and the exact team sets and false plans with and without the finder are printed for several bars.
``--write`` trains on all rows and writes resources/routing/team_finder.json. scikit-learn fits the weights.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from agents.routing.coverage import without_team  # noqa: E402
from agents.routing.finder import ADD_AT, HEARD_FLOOR, TeamFinder, finder_features, spots_of  # noqa: E402
from agents.routing.router import Router, builtin_team_profiles  # noqa: E402
from agents.routing.verify import builtin_step_check  # noqa: E402
from clause_reader import Task, figures, load  # noqa: E402
from step_check import Fold, fit, fold_reader, out_of_fold  # noqa: E402

OUT = REPO / "resources" / "routing" / "team_finder.json"
DEFAULT_C = 0.5
BARS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


@dataclass(frozen=True)
class Row:
    features: dict[str, float]
    asked: bool
    group: str
    task: str  # the task's text
    team: str


@dataclass(frozen=True)
class Plan:
    """A held-out task's plan before the finder: its teams and the teams it needs."""

    group: str
    task: str
    planned: frozenset[str]
    needs: frozenset[str]
    also_ok: tuple[frozenset[str], ...]


def _fold(args: Fold) -> list[Row | Plan]:
    k, folds, train, held, cache = args
    reader = fold_reader(k, folds, train, cache)
    router = Router(builtin_team_profiles(), coverage=reader, check=False, finder=False)
    check = builtin_step_check()
    known = frozenset(t.name for t in builtin_team_profiles())
    out: list[Row | Plan] = []
    for task in held:
        planned = router.planned(task.text)
        own, heard, parts = planned.ranked[0].team, planned.heard, planned.task
        if heard is None or parts is None or planned.core is None:
            continue
        segments = check.checked(planned.segments, team=own, heard=heard, core=planned.core, read=reader.read,
                                 without=without_team)
        teams = frozenset(s.team for s in segments) or frozenset([own])
        out.append(Plan(task.group, task.text, teams, task.teams, task.also_ok))
        wanted = [t for t in sorted(known - teams) if heard.teams.get(t, 0.0) >= HEARD_FLOOR]
        if not wanted or not parts.clauses:
            continue
        spots = spots_of(parts.clauses, reader.read)
        for team in wanted:
            asked = team in task.teams or any(team in s for s in task.also_ok)
            features = finder_features(segments, team, own=own, heard=heard, core=planned.core, spots=spots,
                                       clauses=parts.clauses, classify=parts.classify)
            out.append(Row(features, asked, task.group, task.text, team))
    return out


def simulate(plans: list[Plan], rows: list[Row], chances: list[float], bar: float, cap: int = 2) -> str:
    """Exact team sets and false plans when the teams at least ``bar`` likely join their plans."""
    added: dict[str, list[tuple[float, str]]] = {}
    for row, p in zip(rows, chances, strict=True):
        if p >= bar:
            added.setdefault(row.task, []).append((p, row.team))
    multi = exact = ones = false = 0
    for plan in plans:
        teams = set(plan.planned) | {t for _, t in sorted(added.get(plan.task, []), reverse=True)[:cap]}
        if len(plan.needs) > 1:
            multi += 1
            exact += teams == set(plan.needs) or any(teams == set(s) for s in plan.also_ok)
        else:
            ones += 1
            false += len(teams) > 1
    return f"exact {exact}/{multi} {exact / max(multi, 1):.1%}  false plans {false}/{ones} {false / max(ones, 1):.2%}"


def oof_chances(rows: list[Row], c: float, folds: int) -> list[float]:
    groups = sorted({r.group for r in rows})
    chances = [0.0] * len(rows)
    for k in range(folds):
        held = set(groups[k::folds])
        model = fit([(r.features, r.asked) for r in rows if r.group not in held], c)
        for n, r in enumerate(rows):
            if r.group in held:
                chances[n] = model.asked(r.features)
    return chances


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, default=DEFAULT_C)
    parser.add_argument("--cache", default="", help="a folder to keep the fold readers (and rows) in between runs")
    parser.add_argument("--measure", nargs="*", default=[], type=Path)
    args = parser.parse_args(argv)
    tasks = load(sorted((REPO / "tests" / "data").glob("*_own.jsonl")))
    saved = Path(args.cache) / "finder_rows.pkl" if args.cache else None
    if saved is not None and saved.exists():
        out = pickle.loads(saved.read_bytes())
    else:
        out = out_of_fold(tasks, args.folds, args.cache, _fold)
        if saved is not None:
            saved.write_bytes(pickle.dumps(out))
    plans = [r for r in out if isinstance(r, Plan)]
    rows = [r for r in out if isinstance(r, Row)]
    print(f"{len(plans)} held-out plans, {len(rows)} teams they lack: {sum(r.asked for r in rows)} asked")
    chances = oof_chances(rows, args.c, args.folds)
    print(f"without the finder        {simulate(plans, rows, [0.0] * len(rows), 2.0)}")
    for bar in BARS:
        print(f"with the finder at {bar:.2f}   {simulate(plans, rows, chances, bar)}")
    finder = TeamFinder(fit([(r.features, r.asked) for r in rows], args.c), ADD_AT)
    print(f"finder: {len(finder.model.weights)} weights, C={args.c}, adds at {finder.add_at}")
    if args.measure:
        held = load(args.measure)
        print(f"without the finder  {figures(held, Router(builtin_team_profiles(), finder=False))}")
        print(f"with the finder     {figures(held, Router(builtin_team_profiles(), finder=finder))}")
    if args.write:
        OUT.write_text(json.dumps(finder.to_json(), indent=0) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
