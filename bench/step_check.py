"""Train the step check (is a plan's second team really asked for?) and measure it on sets it never saw.

Usage: python bench/step_check.py [--write] [--folds K] [--c C] [--cache DIR] [--measure FILE.jsonl ...]

Training rows come from plans the planner makes on tasks its coverage reader never saw: the labelled
sets in tests/data are held out K folds at a time (a set is never split), a coverage reader learns from
the others, and the planner, with that reader and without the check, plans the held-out tasks. Each
team a plan hands work to besides the task's own team is one row, labelled by whether the task needs
that team (a one-team task needs only its own). The out-of-fold figures with and without the check are
printed; ``--measure`` also prints them for other sets with the shipped readers. ``--write`` trains on
all rows and writes resources/routing/step_check.json. scikit-learn (only needed here) fits the weights.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from agents.routing.coverage import CoverageReader  # noqa: E402
from agents.routing.router import Router, builtin_team_profiles  # noqa: E402
from agents.routing.verify import StepCheck, team_features  # noqa: E402
from clause_reader import Figures, Task, figures, load  # noqa: E402

OUT = REPO / "resources" / "routing" / "step_check.json"
DEFAULT_C = 6.0  # words only need less damping (2.0 with word pairs)
_PRUNE = 1e-3
_MIN_COUNT = 3  # a feature seen in fewer rows says nothing general

Row = tuple[dict[str, float], bool]
R = TypeVar("R")


def rows_of(tasks: list[Task], router: Router, reader: CoverageReader) -> list[Row]:
    """One row per second team of each plan the router makes (without the check)."""
    out: list[Row] = []
    for task in tasks:
        planned = router.planned(task.text)
        teams = {s.team for s in planned.segments}
        if len(teams) < 2 or planned.heard is None or planned.core is None:
            continue
        own = planned.ranked[0].team
        for team in sorted(teams - {own}):
            asked = team in task.teams or any(team in s for s in task.also_ok)
            out.append((team_features(planned.segments, team, own=own, heard=planned.heard, core=planned.core,
                                      read=reader.read),
                        asked))
    return out


def fold_reader(k: int, folds: int, train: list[Task], cache: str) -> CoverageReader:
    """The coverage reader of fold ``k``: trained on ``train`` (kept in ``cache`` between runs when given)."""
    from coverage_reader import fit as fit_coverage

    path = Path(cache) / f"coverage_fold{k}of{folds}.json" if cache else None
    if path is not None and path.exists():
        return CoverageReader.from_json(json.loads(path.read_text()))
    reader = fit_coverage(train, 1.0)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(reader.to_json()))
    return reader


Fold = tuple[int, int, list[Task], list[Task], str]  # (k, folds, training tasks, held-out tasks, cache folder)


def _fold(args: Fold) -> list[Row]:
    k, folds, train, held, cache = args
    reader = fold_reader(k, folds, train, cache)
    return rows_of(held, Router(builtin_team_profiles(), coverage=reader, check=False, finder=False), reader)


def out_of_fold(tasks: list[Task], folds: int, cache: str, fold: Callable[[Fold], list[R]] = _fold) -> list[R]:
    """``fold``'s rows for each fold of whole sets held out (two processes)."""
    groups = sorted({t.group for t in tasks})
    jobs = []
    for k in range(folds):
        held = set(groups[k::folds])
        jobs.append((k, folds, [t for t in tasks if t.group not in held], [t for t in tasks if t.group in held], cache))
    with ProcessPoolExecutor(max_workers=2) as pool:
        return [row for rows in pool.map(fold, jobs) for row in rows]


def fit(rows: list[Row], c: float) -> StepCheck:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    counts: Counter[str] = Counter(name for features, _ in rows for name in features)
    kept = [{n: v for n, v in features.items() if counts[n] >= _MIN_COUNT} for features, _ in rows]
    vectorizer = DictVectorizer()
    with threadpool_limits(limits=1):  # one thread: the same rows give the same weights, byte for byte
        model = LogisticRegression(C=c, max_iter=5000).fit(vectorizer.fit_transform(kept), [a for _, a in rows])
    weights = {str(name): round(float(w), 4) for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0])
               if abs(w) >= _PRUNE}
    return StepCheck(round(float(model.intercept_[0]), 5), weights)


def measure(tasks: list[Task], check: StepCheck | None) -> Figures:
    return figures(tasks, Router(builtin_team_profiles(), check=check if check is not None else False, finder=False))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, default=DEFAULT_C)
    parser.add_argument("--cache", default="", help="a folder to keep the fold readers in between runs")
    parser.add_argument("--measure", nargs="*", default=[], type=Path)
    args = parser.parse_args(argv)
    tasks = load(sorted((REPO / "tests" / "data").glob("*_own.jsonl")))
    rows = out_of_fold(tasks, args.folds, args.cache)
    asked = sum(a for _, a in rows)
    print(f"{len(rows)} second teams in out-of-fold plans: {asked} asked, {len(rows) - asked} not asked")
    check = fit(rows, args.c)
    print(f"check: {len(check.weights)} weights, C={args.c}")
    if args.measure:
        held = load(args.measure)
        print(f"without the check  {measure(held, None)}")
        print(f"with the check     {measure(held, check)}")
    if args.write:
        OUT.write_text(json.dumps(check.to_json(), indent=0) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
