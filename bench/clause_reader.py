"""Train the learned clause reader and measure it: leave-one-set-out figures against the rules alone.

Usage: python bench/clause_reader.py [FILE.jsonl ...] [--write] [--only SET,SET] [--folds K] [--c C]
FILEs default to the labelled sets in tests/data: plans files ({"text", "teams", "before"}) give
multi-team tasks, one-team files ({"text", "team"}) give tasks that must stay one team's. Every set
(holdoutN, probe, tune ...) is held out once while the reader learns from all the others, and the
planner's figures on it are printed beside the rules' own. ``--write`` then trains on everything
and writes resources/routing/clause_reader.json.

Labels: the sets say which teams a task needs, not which clause is whose. Each request gets the
needed team the rules score highest for it; a needed team no request got takes the request that
leans to it most among a team's several requests. scikit-learn (only needed here) fits the weights.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from agents.ceo import triage  # noqa: E402
from agents.routing.learned import ClauseReader  # noqa: E402
from agents.routing.router import ClauseReading, Router, builtin_team_profiles  # noqa: E402
from plans import PlanCase, false_plans, score_plans  # noqa: E402

OUT = REPO / "resources" / "routing" / "clause_reader.json"
DEFAULT_C = 2.0
_PRUNE = 1e-3  # weights smaller than this are left out of the shipped file
_MIN_COUNT = 2  # a feature seen in fewer training requests says nothing general


@dataclass(frozen=True)
class Task:
    group: str
    text: str
    teams: frozenset[str]
    before: tuple[tuple[str, str], ...]
    also_ok: tuple[frozenset[str], ...]


def group_of(path: Path) -> str:
    found = re.search(r"holdout(\d+)", path.name)
    return f"set{found.group(1)}" if found else path.stem.removesuffix("_own")


def load(paths: list[Path]) -> list[Task]:
    tasks = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            teams = frozenset(row["teams"]) if "teams" in row else frozenset([row["team"]])
            tasks.append(Task(group_of(path), row["text"], teams, tuple((a, b) for a, b in row.get("before", ())),
                              tuple(frozenset(s) for s in row.get("also_ok", ()))))
    return tasks


def labels(readings: tuple[ClauseReading, ...], teams: frozenset[str]) -> list[str]:
    """The needed team each request is most likely for, every needed team given to some request if it can be."""
    if len(teams) == 1:
        return [next(iter(teams))] * len(readings)
    scores = [dict(r.verdict.scores) or {r.verdict.team: r.verdict.raw} for r in readings]
    out = [max(sorted(teams), key=lambda t, r=r, s=s: (r.clause.agent == t, s.get(t, 0.0), r.verdict.team == t))
           for r, s in zip(readings, scores)]
    for team in sorted(teams - set(out)):
        free = [i for i, t in enumerate(out) if out.count(t) >= 2 and not readings[i].clause.agent]
        if free:
            i = max(free, key=lambda i: scores[i].get(team, 0.0) - scores[i].get(out[i], 0.0))
            out[i] = team
    return out


def rows(tasks: list[Task], router: Router) -> tuple[list[dict[str, float]], list[str]]:
    features, targets = [], []
    for task in tasks:
        readings = router.clause_readings(task.text)
        features.extend(dict(r.features) for r in readings)
        targets.extend(labels(readings, task.teams))
    return features, targets


def fit(features: list[dict[str, float]], targets: list[str], c: float, *,
        sample_weight: list[float] | None = None) -> ClauseReader:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts: Counter[str] = Counter(name for row in features for name in row)
    features = [{name: value for name, value in row.items() if counts[name] >= _MIN_COUNT} for row in features]
    from threadpoolctl import threadpool_limits

    vectorizer = DictVectorizer()
    with threadpool_limits(limits=1):  # one thread: the same sets give the same weights, byte for byte
        model = LogisticRegression(C=c, max_iter=5000).fit(vectorizer.fit_transform(features), targets,
                                                            sample_weight=sample_weight)
    names = vectorizer.get_feature_names_out()
    weights = {}
    for j, name in enumerate(names):
        row = tuple(round(float(model.coef_[k, j]), 4) for k in range(len(model.classes_)))
        if max(abs(w) for w in row) >= _PRUNE:
            weights[str(name)] = row
    return ClauseReader(tuple(str(c) for c in model.classes_),
                        tuple(round(float(b), 5) for b in model.intercept_), weights)


@dataclass
class Figures:
    multi: int = 0
    exact: int = 0
    orders: int = 0
    kept: int = 0
    ones: int = 0
    false_plans: int = 0

    def add(self, other: Figures) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def __str__(self) -> str:
        pct = lambda a, b: f"{a}/{b} {a / b:6.1%}" if b else "   -   "  # noqa: E731
        return (f"exact {pct(self.exact, self.multi):>15}  order {pct(self.kept, self.orders):>15}  "
                f"false plans {pct(self.false_plans, self.ones):>15}")


def figures(tasks: list[Task], router: Router) -> Figures:
    def run(text: str) -> Any:
        return triage(router, text)

    multi = [PlanCase(t.text, t.teams, t.before, t.also_ok) for t in tasks if len(t.teams) > 1]
    ones = [t.text for t in tasks if len(t.teams) == 1]
    plans = score_plans(run, multi, show_errors=False)
    wrong, _, _ = false_plans(run, ones, show_errors=False)
    return Figures(plans.tasks, plans.exact, plans.orders, plans.orders_kept, len(ones), wrong)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--write", action="store_true", help=f"train on everything and write {OUT.relative_to(REPO)}")
    parser.add_argument("--only", default="", help="hold out only these sets (comma-separated), e.g. set22,set23")
    parser.add_argument("--c", type=float, default=DEFAULT_C, help="inverse regularisation strength")
    parser.add_argument("--no-cv", action="store_true", help="skip the leave-one-set-out figures")
    parser.add_argument("--folds", type=int, default=0,
                        help="hold out the numbered sets (holdout22 and later) K folds at a time instead of one set at a "
                             "time (faster); the other sets always train")
    args = parser.parse_args(argv)
    paths = args.files or sorted((REPO / "tests" / "data").glob("*_own.jsonl"))
    tasks = load(paths)
    profiles = builtin_team_profiles()
    rules = Router(profiles, learned=False)
    print(f"{len(tasks)} tasks from {len(paths)} files "
          f"({sum(len(t.teams) > 1 for t in tasks)} multi-team, {sum(len(t.teams) == 1 for t in tasks)} one-team)")
    if not args.no_cv:
        if args.folds:  # the numbered sets K folds at a time, round robin
            numbered = sorted({t.group for t in tasks if t.group[3:].isdigit() and int(t.group[3:]) >= 22},
                              key=lambda g: int(g[3:]))
            folds = [(f"fold {k + 1}", set(numbered[k::args.folds])) for k in range(args.folds)]
        else:  # one set at a time
            folds = [(g, {g}) for g in (args.only.split(",") if args.only else sorted({t.group for t in tasks}))]
        total, base = Figures(), Figures()
        for name, fold in folds:
            held = [t for t in tasks if t.group in fold]
            reader = fit(*rows([t for t in tasks if t.group not in fold], rules), args.c)
            learned, alone = figures(held, Router(profiles, reader=reader)), figures(held, rules)
            print(f"{name:>22}  reader: {learned}\n{'':>22}   rules: {alone}")
            total.add(learned)
            base.add(alone)
        print(f"{'ALL held out':>22}  reader: {total}\n{'':>22}   rules: {base}")
    if args.write:
        reader = fit(*rows(tasks, rules), args.c)
        OUT.write_text(json.dumps(reader.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(REPO)}: {len(reader.weights)} features x {len(reader.classes)} teams, "
              f"{OUT.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
